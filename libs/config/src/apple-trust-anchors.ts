import { X509Certificate, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CertificateError, type IssuedCertificate, TrustAnchors, createDevelopmentRoot } from '@tlo/crypto';
import { type AppConfig, ConfigError } from './config';

/**
 * The development root CA that stands in for Apple Root CA - G3 when `APPLE_PAY_TRUST_ANCHORS_PEM` is
 * not set outside production: generated on first use into the data dir beside the development secrets
 * (`apple-dev-root.pem`, its key in `apple-dev-root.key`, both mode 0600), so `npm run apple:dev-chain`
 * can issue device chains the local API accepts.
 */
export function devAppleRootPaths(dataDir: string): { certificate: string; privateKey: string } {
  return {
    certificate: join(dataDir, 'apple-dev-root.pem'),
    privateKey: join(dataDir, 'apple-dev-root.key'),
  };
}

/** Writes `content` to `path` only if no file is there, never a partial file; false if one was. */
function createOnce(path: string, content: string): boolean {
  const staging = `${path}.${process.pid}.${Date.now()}.tmp`;
  writeFileSync(staging, content, { mode: 0o600, flag: 'wx' });
  try {
    linkSync(staging, path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw error;
  } finally {
    rmSync(staging, { force: true });
  }
}

function parsed<T>(parse: () => T, otherwise: string): T {
  try {
    return parse();
  } catch {
    throw new Error(otherwise);
  }
}

/**
 * Reads the development root, generating it on first use. The key is created once (whoever comes
 * first wins, so concurrent first starts agree on it); the certificate is made from that key.
 */
export async function ensureDevAppleRoot(dataDir: string): Promise<IssuedCertificate> {
  const paths = devAppleRootPaths(dataDir);
  mkdirSync(dataDir, { recursive: true });
  if (!existsSync(paths.privateKey)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    createOnce(paths.privateKey, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString());
  }
  const remake = 'delete both files to make a new development root';
  const privateKeyPem = readFileSync(paths.privateKey, 'utf8');
  const privateKey = parsed(
    () => createPrivateKey(privateKeyPem),
    `${paths.privateKey} is not a PEM private key: ${remake}`,
  );
  if (existsSync(paths.certificate)) {
    const certificatePem = readFileSync(paths.certificate, 'utf8');
    const certificate = parsed(
      () => new X509Certificate(certificatePem),
      `${paths.certificate} is not a PEM certificate: ${remake}`,
    );
    if (!certificate.publicKey.equals(createPublicKey(privateKey)))
      throw new Error(`${paths.certificate} is not the certificate of ${paths.privateKey}: ${remake}`);
    return { certificatePem, privateKeyPem };
  }
  const root = await createDevelopmentRoot(privateKey);
  const staging = `${paths.certificate}.${process.pid}.tmp`;
  writeFileSync(staging, root.certificatePem, { mode: 0o600 });
  renameSync(staging, paths.certificate);
  return root;
}

/**
 * The trust anchors of ApplePay certificate chains: `APPLE_PAY_TRUST_ANCHORS_PEM`, else (outside
 * production, where loadConfig already refused its absence) the development root.
 */
export async function loadAppleTrustAnchors(
  config: Pick<AppConfig, 'applePayTrustAnchorsPem' | 'dataDir'>,
): Promise<TrustAnchors> {
  const pem = config.applePayTrustAnchorsPem ?? (await ensureDevAppleRoot(config.dataDir)).certificatePem;
  const source =
    config.applePayTrustAnchorsPem === null
      ? devAppleRootPaths(config.dataDir).certificate
      : 'APPLE_PAY_TRUST_ANCHORS_PEM';
  try {
    return TrustAnchors.parse(pem, source);
  } catch (error) {
    if (error instanceof CertificateError) throw new ConfigError(error.message);
    throw error;
  }
}
