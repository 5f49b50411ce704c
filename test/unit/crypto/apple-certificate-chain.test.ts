import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CertificateError,
  DEVELOPMENT_ROOT_SUBJECT,
  type IssuedCertificate,
  MAX_CHAIN_LENGTH,
  TrustAnchors,
  issueCertificate,
  p256PointFromKeyObject,
  splitPemChain,
  validateAppleCertificateChain,
} from '@tlo/crypto';
import { anchorsOf, makeAppleChain, makeRoot, makeSelfSignedLeaf } from '../../support/certificates';

const DAY_MS = 24 * 60 * 60 * 1000;
const daysFromNow = (days: number) => new Date(Date.now() + days * DAY_MS);
const keyOf = (pem: string) => p256PointFromKeyObject(createPublicKey(createPrivateKey(pem)));

/** The refusal's reason, or 'accepted'. */
function verdict(chainPem: string, anchors: TrustAnchors): string {
  try {
    validateAppleCertificateChain(chainPem, anchors);
    return 'accepted';
  } catch (error) {
    if (error instanceof CertificateError) return error.message;
    throw error;
  }
}

/** A root, intermediate and leaf made by the openssl CLI: an implementation independent of ours. */
function opensslChain(): { root: string; chain: string; leafKey: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tlo-openssl-chain-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) =>
    execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  try {
    writeFileSync(
      at('ca.ext'),
      'basicConstraints=critical,CA:TRUE,pathlen:0\nkeyUsage=critical,keyCertSign,cRLSign\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    writeFileSync(
      at('leaf.ext'),
      'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,keyAgreement\nsubjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n',
    );
    for (const name of ['root', 'ca', 'leaf'])
      openssl(
        'genpkey',
        '-algorithm',
        'EC',
        '-pkeyopt',
        'ec_paramgen_curve:P-256',
        '-out',
        at(`${name}.key`),
      );
    openssl(
      ...['req', '-x509', '-new', '-key', at('root.key'), '-subj', '/CN=OpenSSL Root', '-days', '30'],
      ...['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'],
      ...['-out', at('root.pem')],
    );
    for (const [name, issuer, ext] of [
      ['ca', 'root', 'ca.ext'],
      ['leaf', 'ca', 'leaf.ext'],
    ]) {
      openssl(
        'req',
        '-new',
        '-key',
        at(`${name}.key`),
        '-subj',
        `/CN=OpenSSL ${name}`,
        '-out',
        at(`${name}.csr`),
      );
      openssl(
        ...[
          'x509',
          '-req',
          '-in',
          at(`${name}.csr`),
          '-CA',
          at(`${issuer}.pem`),
          '-CAkey',
          at(`${issuer}.key`),
        ],
        ...['-set_serial', String(Date.now()), '-days', '10', '-extfile', at(ext), '-out', at(`${name}.pem`)],
      );
    }
    const read = (name: string) => readFileSync(at(name), 'utf8');
    return { root: read('root.pem'), chain: read('leaf.pem') + read('ca.pem'), leafKey: read('leaf.key') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('ApplePay certificate chain validation', () => {
  let root: IssuedCertificate;
  let anchors: TrustAnchors;

  beforeAll(async () => {
    root = await makeRoot();
    anchors = anchorsOf(root);
  });

  describe('accepts', () => {
    it('a chain leaf → intermediate under a trust anchor, answering the leaf key', async () => {
      const chain = await makeAppleChain(root);
      expect(splitPemChain(chain.chainPem)).toHaveLength(2);
      expect(Buffer.from(validateAppleCertificateChain(chain.chainPem, anchors))).toEqual(
        Buffer.from(keyOf(chain.leafPrivateKeyPem)),
      );
    });

    it('the same chain with the root itself appended, and any one of several anchors', async () => {
      const chain = await makeAppleChain(root);
      expect(verdict(chain.chainPem + root.certificatePem, anchors)).toBe('accepted');
      expect(verdict(chain.chainPem, anchorsOf(await makeRoot(), root))).toBe('accepted');
    });

    it('a chain made by the openssl CLI under its own root', () => {
      const made = opensslChain();
      const key = validateAppleCertificateChain(made.chain, TrustAnchors.parse(made.root, 'openssl root'));
      expect(Buffer.from(key)).toEqual(Buffer.from(keyOf(made.leafKey)));
    });
  });

  describe('refuses', () => {
    it('a self-signed P-256 leaf (the rogue certificate), alone or in a made-up chain', async () => {
      const rogue = await makeSelfSignedLeaf();
      expect(verdict(rogue.certificatePem, anchors)).toMatch(
        /self-signed and is not a configured trust anchor/,
      );
      const other = await makeSelfSignedLeaf('apple-intermediate');
      expect(verdict(rogue.certificatePem + other.certificatePem, anchors)).toMatch(/is not signed by/);
    });

    it('a chain under an untrusted root, with or without that root', async () => {
      const untrusted = await issueCertificate({
        subject: 'CN=Untrusted Root',
        ca: true,
        keyUsage: ['keyCertSign'],
      });
      const chain = await makeAppleChain(untrusted);
      expect(verdict(chain.chainPem, anchors)).toMatch(
        /certificate 2 .* is not issued by a configured trust anchor \(its issuer is CN=Untrusted Root\)/,
      );
      expect(verdict(chain.chainPem + untrusted.certificatePem, anchors)).toMatch(
        /self-signed and is not a configured trust anchor/,
      );
    });

    it('a root that copies the trust anchor name but not its key: signatures decide, not names', async () => {
      const impostor = await issueCertificate({
        subject: DEVELOPMENT_ROOT_SUBJECT,
        ca: { pathLength: 1 },
        keyUsage: ['keyCertSign'],
      });
      const chain = await makeAppleChain(impostor);
      expect(verdict(chain.chainPem, anchors)).toMatch(
        /certificate 2 .* names a configured trust anchor as its issuer but is not signed by that anchor's key/,
      );
      expect(verdict(chain.chainPem + impostor.certificatePem, anchors)).toMatch(
        /not a configured trust anchor/,
      );
    });

    it.each([
      [
        'an expired leaf',
        'leaf',
        { notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) },
        /certificate 1 .* expired on/,
      ],
      ['a leaf not yet valid', 'leaf', { notBefore: daysFromNow(1) }, /certificate 1 .* is not valid before/],
      [
        'an expired intermediate',
        'intermediate',
        { notBefore: daysFromNow(-30), notAfter: daysFromNow(-1) },
        /certificate 2 .* expired on/,
      ],
      [
        'an intermediate not yet valid',
        'intermediate',
        { notBefore: daysFromNow(1) },
        /certificate 2 .* not valid before/,
      ],
      [
        'an intermediate marked not a CA',
        'intermediate',
        { ca: false },
        /certificate 2 .* is not a CA certificate/,
      ],
      [
        'an intermediate without basicConstraints',
        'intermediate',
        { ca: undefined },
        /is not a CA certificate/,
      ],
      [
        'an intermediate whose keyUsage lacks keyCertSign',
        'intermediate',
        { keyUsage: ['digitalSignature'] },
        /may not sign certificates/,
      ],
      [
        'a P-384 leaf',
        'leaf',
        { privateKey: generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).privateKey },
        /certificate 1 .* does not hold an EC P-256 key/,
      ],
      [
        'an RSA leaf',
        'leaf',
        { privateKey: generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
        /does not hold an EC P-256 key/,
      ],
      [
        'a leaf that is a CA',
        'leaf',
        { ca: true },
        /certificate 1 .* is a CA certificate, not a device certificate/,
      ],
      ['a leaf not meant for key agreement', 'leaf', { keyUsage: ['digitalSignature'] }, /key agreement/],
    ] as const)('%s', async (_case, which, override, reason) => {
      const chain = await makeAppleChain(root, { [which]: override });
      expect(verdict(chain.chainPem, anchors)).toMatch(reason);
    });

    it('an intermediate below a root whose pathLength allows none', async () => {
      const strictRoot = await issueCertificate({
        subject: 'CN=Root allowing no intermediate',
        ca: { pathLength: 0 },
        keyUsage: ['keyCertSign'],
      });
      const chain = await makeAppleChain(strictRoot);
      expect(verdict(chain.chainPem, anchorsOf(strictRoot))).toMatch(
        /trust anchor .* allows 0 intermediate\(s\) below it, the chain has 1/,
      );
    });

    it('a chain out of order, or missing its intermediate', async () => {
      const [leaf, intermediate] = splitPemChain((await makeAppleChain(root)).chainPem);
      expect(verdict(intermediate + leaf, anchors)).toMatch(
        /certificate 1 .* is not signed by certificate 2 .*: the chain must start with the leaf/,
      );
      expect(verdict(leaf, anchors)).toMatch(/certificate 1 .* is not issued by a configured trust anchor/);
    });

    it(`more than ${MAX_CHAIN_LENGTH} certificates`, async () => {
      const chain = await makeAppleChain(root);
      expect(verdict(chain.chainPem + root.certificatePem.repeat(MAX_CHAIN_LENGTH), anchors)).toMatch(
        /at most 4/,
      );
    });

    it.each([
      ['basicConstraints', '2.5.29.19', [0x30, 0x03, 0x01, 0x01]],
      ['keyUsage', '2.5.29.15', [0x03, 0x05, 0x00]],
    ])(
      'an intermediate whose %s extension is malformed, as a refusal, not a crash',
      async (_name, oid, value) => {
        const signingKey = await webcrypto.subtle.importKey(
          'pkcs8',
          createPrivateKey(root.privateKeyPem).export({ type: 'pkcs8', format: 'der' }),
          { name: 'ECDSA', namedCurve: 'P-256' },
          false,
          ['sign'],
        );
        const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
        const intermediate = await x509.X509CertificateGenerator.create(
          {
            serialNumber: '0102',
            subject: 'CN=Malformed CA',
            issuer: new x509.X509Certificate(root.certificatePem).subject,
            notBefore: daysFromNow(-1),
            notAfter: daysFromNow(30),
            publicKey: new Uint8Array(keys.publicKey.export({ type: 'spki', format: 'der' })),
            signingKey,
            signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' },
            extensions: [new x509.Extension(oid, true, new Uint8Array(value))],
          },
          webcrypto,
        );
        const ca = {
          certificatePem: intermediate.toString('pem'),
          privateKeyPem: keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        };
        const leaf = await issueCertificate({ subject: 'CN=leaf', issuer: ca, ca: false });
        expect(verdict(leaf.certificatePem + ca.certificatePem, anchors)).toBe(
          'certificate 2 of the chain is not a valid X.509 certificate',
        );
      },
    );

    it('garbage: no PEM, a damaged PEM, text around the certificates', async () => {
      const { chainPem } = await makeAppleChain(root);
      expect(verdict('', anchors)).toBe('the chain holds no PEM certificate');
      expect(verdict('hello', anchors)).toBe('the chain holds no PEM certificate');
      const damaged = '-----BEGIN CERTIFICATE-----\nMIIBnotacertificate==\n-----END CERTIFICATE-----\n';
      expect(verdict(damaged, anchors)).toBe('certificate 1 of the chain is not a valid X.509 certificate');
      const truncated = chainPem.replace(/(-----BEGIN CERTIFICATE-----\n.{40})[\s\S]*?(-----END)/, '$1\n$2');
      expect(verdict(truncated, anchors)).toMatch(/is not a valid X.509 certificate/);
      expect(verdict(`subject=CN=x\n${chainPem}`, anchors)).toBe('the chain must hold only PEM certificates');
    });
  });

  describe('trust anchors', () => {
    it('refuses configuration that is not one or more PEM CA certificates', async () => {
      const parse = (pem: string) => () => TrustAnchors.parse(pem, 'APPLE_PAY_TRUST_ANCHORS_PEM');
      expect(parse('')).toThrow('APPLE_PAY_TRUST_ANCHORS_PEM holds no PEM certificate');
      expect(parse('pem')).toThrow('APPLE_PAY_TRUST_ANCHORS_PEM holds no PEM certificate');
      expect(parse((await makeSelfSignedLeaf()).certificatePem)).toThrow('is not a CA certificate');
      expect(
        TrustAnchors.parse(root.certificatePem + (await makeRoot()).certificatePem).subjects,
      ).toHaveLength(2);
    });
  });
});
