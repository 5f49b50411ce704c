import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ConfigError,
  devAppleRootPaths,
  ensureDevAppleRoot,
  loadAppleTrustAnchors,
  loadConfig,
} from '@tlo/config';
import { validateAppleCertificateChain } from '@tlo/crypto';
import { makeAppleChain, makeRoot } from '../../support/certificates';
import { PRODUCTION_ENV } from '../../support/production-env';

/** Production with every other secret set, and no trust anchors. */
const PRODUCTION: NodeJS.ProcessEnv = { ...PRODUCTION_ENV, APPLE_PAY_TRUST_ANCHORS_PEM: undefined };
const freshDataDir = () => mkdtempSync(join(tmpdir(), 'tlo-apple-root-'));

describe('APPLE_PAY_TRUST_ANCHORS_PEM', () => {
  it('is required in production, with no default', () => {
    expect(() => loadConfig(PRODUCTION)).toThrow(ConfigError);
    expect(() => loadConfig(PRODUCTION)).toThrow(/APPLE_PAY_TRUST_ANCHORS_PEM must be set in production/);
    expect(() => loadConfig({ ...PRODUCTION, APPLE_PAY_TRUST_ANCHORS_PEM: '' })).toThrow(
      /APPLE_PAY_TRUST_ANCHORS_PEM/,
    );
  });

  it('is the trust anchor when set, one line with \\n escapes or PEM as is', async () => {
    const [a, b] = [await makeRoot(), await makeRoot()];
    const pem = a.certificatePem + b.certificatePem;
    const oneLine = pem.replace(/\n/g, '\\n');
    const config = loadConfig({ ...PRODUCTION, APPLE_PAY_TRUST_ANCHORS_PEM: oneLine });
    expect(config.applePayTrustAnchorsPem).toBe(pem);
    const anchors = await loadAppleTrustAnchors(config);
    expect(anchors.subjects).toHaveLength(2);
    const chain = await makeAppleChain(b);
    expect(() => validateAppleCertificateChain(chain.chainPem, anchors)).not.toThrow();
  });

  it('refuses at load what is not PEM CA certificates, naming the variable', async () => {
    const load = (value: string) =>
      loadAppleTrustAnchors(loadConfig({ ...PRODUCTION, APPLE_PAY_TRUST_ANCHORS_PEM: value }));
    await expect(load('not a certificate')).rejects.toThrow(ConfigError);
    await expect(load('not a certificate')).rejects.toThrow(
      'APPLE_PAY_TRUST_ANCHORS_PEM holds no PEM certificate',
    );
  });
});

describe('development Apple root', () => {
  it('outside production, unset means the development root, made on first use in the data dir (0600)', async () => {
    const dataDir = freshDataDir();
    const config = loadConfig({ TLO_DATA_DIR: dataDir });
    expect(config.applePayTrustAnchorsPem).toBeNull();
    const anchors = await loadAppleTrustAnchors(config);
    const paths = devAppleRootPaths(dataDir);
    expect(paths).toEqual({
      certificate: join(dataDir, 'apple-dev-root.pem'),
      privateKey: join(dataDir, 'apple-dev-root.key'),
    });
    for (const path of Object.values(paths)) expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(readFileSync(paths.privateKey, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    const root = await ensureDevAppleRoot(dataDir);
    expect(root.certificatePem).toBe(readFileSync(paths.certificate, 'utf8'));
    const chain = await makeAppleChain(root);
    expect(() => validateAppleCertificateChain(chain.chainPem, anchors)).not.toThrow();
  });

  it('is one root for concurrent first uses: the key is made once', async () => {
    const dataDir = freshDataDir();
    const roots = await Promise.all(Array.from({ length: 5 }, () => ensureDevAppleRoot(dataDir)));
    expect(new Set(roots.map((root) => root.privateKeyPem)).size).toBe(1);
    const onDisk = await ensureDevAppleRoot(dataDir);
    // Whichever certificate was written last, chains issued under any of them validate to it.
    const anchors = await loadAppleTrustAnchors({ applePayTrustAnchorsPem: null, dataDir });
    for (const root of roots) {
      const chain = await makeAppleChain(root);
      expect(() => validateAppleCertificateChain(chain.chainPem, anchors)).not.toThrow();
    }
    expect(onDisk.privateKeyPem).toBe(roots[0].privateKeyPem);
  });

  it('refuses a certificate that is not the key beside it', async () => {
    const dataDir = freshDataDir();
    await ensureDevAppleRoot(dataDir);
    writeFileSync(devAppleRootPaths(dataDir).certificate, (await makeRoot()).certificatePem);
    await expect(ensureDevAppleRoot(dataDir)).rejects.toThrow(
      /is not the certificate of .*apple-dev-root.key/,
    );
  });
});
