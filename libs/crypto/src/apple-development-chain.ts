import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it
import * as x509 from '@peculiar/x509';
import {
  type KeyObject,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomBytes,
  webcrypto,
} from 'node:crypto';

/**
 * Certificates for development and tests, issued with @peculiar/x509 on Node's WebCrypto: the
 * development root CA that stands in for Apple's, and device chains under it shaped like the ones
 * Apple's PassKit hands the issuer app (leaf first, then the sub-CA that signed it).
 */
export interface IssuedCertificate {
  certificatePem: string;
  /** PKCS#8 PEM. */
  privateKeyPem: string;
}

export type KeyUsage = keyof typeof x509.KeyUsageFlags;

export interface CertificateRequest {
  /** Distinguished name, e.g. `CN=Device, O=Example`. */
  subject: string;
  /** The subject's key; a fresh P-256 key when absent. */
  privateKey?: KeyObject;
  /** The CA that signs it (its certificate and key); self-signed when absent. */
  issuer?: IssuedCertificate;
  /** basicConstraints (critical): `true` or `{ pathLength }` for a CA, `false` for an end entity. */
  ca?: boolean | { pathLength: number };
  /** keyUsage (critical). */
  keyUsage?: KeyUsage[];
  notBefore?: Date;
  notAfter?: Date;
}

/** A device chain as Apple's PassKit hands it over: the leaf's key and the PEM chain, leaf first. */
export interface AppleDevelopmentChain {
  /** PKCS#8 PEM of the leaf's fresh P-256 key: what opens the payload sealed to the leaf. */
  leafPrivateKeyPem: string;
  /** Leaf, then the intermediate that signed it (the root is the trust anchor, not sent). */
  chainPem: string;
}

export const DEVELOPMENT_ROOT_SUBJECT =
  'CN=Tokenization Orchestrator Development Apple Root CA, O=Development';

const DAY_MS = 24 * 60 * 60 * 1000;
const crypto = webcrypto;

function signatureAlgorithm(key: KeyObject): {
  import: webcrypto.Algorithm | webcrypto.EcKeyImportParams;
  sign: webcrypto.Algorithm;
} {
  const curve = key.asymmetricKeyDetails?.namedCurve;
  if (key.asymmetricKeyType === 'ec' && (curve === 'prime256v1' || curve === 'secp384r1')) {
    const p384 = curve === 'secp384r1';
    return {
      import: { name: 'ECDSA', namedCurve: p384 ? 'P-384' : 'P-256' } as webcrypto.EcKeyImportParams,
      sign: { name: 'ECDSA', hash: p384 ? 'SHA-384' : 'SHA-256' } as webcrypto.EcdsaParams,
    };
  }
  if (key.asymmetricKeyType === 'rsa') {
    const rsa = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } as webcrypto.RsaHashedImportParams;
    return { import: rsa, sign: rsa };
  }
  throw new Error(`cannot sign certificates with a ${key.asymmetricKeyType} ${curve ?? ''} key`);
}

const derBytes = (buffer: Buffer): Uint8Array => new Uint8Array(buffer);

/** One X.509 certificate: the single issuing primitive behind the root, the chains and the test variants. */
export async function issueCertificate(request: CertificateRequest): Promise<IssuedCertificate> {
  const privateKey = request.privateKey ?? generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
  const issuerKey = request.issuer ? createPrivateKey(request.issuer.privateKeyPem) : privateKey;
  const issuerCertificate = request.issuer && new x509.X509Certificate(request.issuer.certificatePem);
  const subjectSpki = derBytes(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }));
  const extensions: x509.Extension[] = [];
  if (request.ca !== undefined) {
    const pathLength = typeof request.ca === 'object' ? request.ca.pathLength : undefined;
    extensions.push(new x509.BasicConstraintsExtension(request.ca !== false, pathLength, true));
  }
  if (request.keyUsage) {
    const flags = request.keyUsage.reduce((all, usage) => all | x509.KeyUsageFlags[usage], 0);
    extensions.push(new x509.KeyUsagesExtension(flags, true));
  }
  extensions.push(await x509.SubjectKeyIdentifierExtension.create(subjectSpki, false, crypto));
  if (issuerCertificate)
    extensions.push(await x509.AuthorityKeyIdentifierExtension.create(issuerCertificate, false, crypto));
  const algorithm = signatureAlgorithm(issuerKey);
  const signingKey = await crypto.subtle.importKey(
    'pkcs8',
    derBytes(issuerKey.export({ type: 'pkcs8', format: 'der' })),
    algorithm.import,
    false,
    ['sign'],
  );
  const notBefore = request.notBefore ?? new Date(Date.now() - 5 * 60_000); // tolerate clock skew
  const certificate = await x509.X509CertificateGenerator.create(
    {
      // A positive INTEGER of 64 random bits (RFC 5280: unique per issuer, at most 20 octets).
      serialNumber: `01${randomBytes(8).toString('hex')}`,
      subject: request.subject,
      issuer: issuerCertificate ? issuerCertificate.subject : request.subject,
      notBefore,
      notAfter: request.notAfter ?? new Date(notBefore.getTime() + 365 * DAY_MS),
      publicKey: subjectSpki,
      signingKey,
      signingAlgorithm: algorithm.sign,
      extensions,
    },
    crypto,
  );
  return {
    certificatePem: `${certificate.toString('pem')}\n`,
    privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The development root CA, self-signed, valid ten years; for `privateKey` (a P-256 key) when given. */
export function createDevelopmentRoot(privateKey?: KeyObject): Promise<IssuedCertificate> {
  return issueCertificate({
    subject: DEVELOPMENT_ROOT_SUBJECT,
    privateKey,
    ca: { pathLength: 1 },
    keyUsage: ['keyCertSign', 'cRLSign'],
    notAfter: new Date(Date.now() + 10 * 365 * DAY_MS),
  });
}

/** What a chain's certificates may differ in from the usual shape (tests make the refused ones). */
export interface ChainOverrides {
  intermediate?: Partial<CertificateRequest>;
  leaf?: Partial<CertificateRequest>;
}

/**
 * A fresh device chain under `root`: a sub-CA (one year) and a P-256 leaf (thirty days) for a new
 * device key, shaped like Apple's in-app provisioning chain (the leaf an end entity for key agreement).
 */
export async function issueAppleDevelopmentChain(
  root: IssuedCertificate,
  overrides: ChainOverrides = {},
): Promise<AppleDevelopmentChain> {
  const intermediate = await issueCertificate({
    subject: 'CN=Development Apple Pay Provisioning CA, O=Development',
    issuer: root,
    ca: { pathLength: 0 },
    keyUsage: ['keyCertSign', 'cRLSign'],
    ...overrides.intermediate,
  });
  const leaf = await issueCertificate({
    subject: `CN=Development Apple Pay device ${randomBytes(4).toString('hex')}, O=Development`,
    issuer: intermediate,
    ca: false,
    keyUsage: ['keyAgreement'],
    notAfter: new Date(Date.now() + 30 * DAY_MS),
    ...overrides.leaf,
  });
  return {
    leafPrivateKeyPem: leaf.privateKeyPem,
    chainPem: leaf.certificatePem + intermediate.certificatePem,
  };
}
