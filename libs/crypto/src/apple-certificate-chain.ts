import 'reflect-metadata'; // @peculiar/x509 resolves its services through tsyringe, which needs it
import * as x509 from '@peculiar/x509';
import { X509Certificate } from 'node:crypto';
import { CertificateError, p256PointFromKeyObject, splitPemChain } from './certificates';

/**
 * The certificate chain Apple's PassKit hands the issuer app for in-app provisioning (leaf first, then
 * the sub-CA), validated to configured trust anchors before any card data is sealed to the leaf's key:
 * whoever holds the leaf's private key can open the payload, so only a key Apple's hierarchy vouches
 * for may receive it. Parsing and signatures are OpenSSL's (node:crypto X509Certificate); the
 * extensions (basicConstraints with pathLength, keyUsage) are read with @peculiar/x509.
 */

/** Leaf, sub-CA and at most two more: Apple sends two; anything much longer is not a device chain. */
export const MAX_CHAIN_LENGTH = 4;

interface Certificate {
  node: X509Certificate;
  parsed: x509.X509Certificate;
  /** `certificate 2 (CN=...)`, for messages. */
  label: string;
  /** Read when parsed, so a malformed extension is a refusal like any other. */
  basicConstraints: x509.BasicConstraintsExtension | null;
  keyUsage: x509.KeyUsagesExtension | null;
}

function describe(parsed: x509.X509Certificate, index: number | null): string {
  const subject = parsed.subject.length > 120 ? `${parsed.subject.slice(0, 117)}...` : parsed.subject;
  return index === null ? `trust anchor (${subject})` : `certificate ${index + 1} (${subject})`;
}

/** Every PEM certificate of `pem`, in order; anything but whitespace around them is refused. */
function parseCertificates(pem: string, what: string, anchors: boolean): Certificate[] {
  const blocks = splitPemChain(pem);
  if (blocks.length === 0) throw new CertificateError(`${what} holds no PEM certificate`);
  if (blocks.reduce((rest, block) => rest.replace(block, ''), pem).trim() !== '')
    throw new CertificateError(`${what} must hold only PEM certificates`);
  return blocks.map((block, index) => {
    try {
      const node = new X509Certificate(block);
      const parsed = new x509.X509Certificate(node.raw);
      const basicConstraints = parsed.getExtension(x509.BasicConstraintsExtension);
      const keyUsage = parsed.getExtension(x509.KeyUsagesExtension);
      return { node, parsed, label: describe(parsed, anchors ? null : index), basicConstraints, keyUsage };
    } catch {
      throw new CertificateError(`certificate ${index + 1} of ${what} is not a valid X.509 certificate`);
    }
  });
}

/** The roots a chain must end at (`APPLE_PAY_TRUST_ANCHORS_PEM`): Apple Root CA - G3 in production. */
export class TrustAnchors {
  private constructor(private readonly roots: Certificate[]) {}

  /** One or more concatenated PEM certificates; `source` names where they came from in errors. */
  static parse(pem: string, source = 'APPLE_PAY_TRUST_ANCHORS_PEM'): TrustAnchors {
    const roots = parseCertificates(pem, source, true);
    for (const root of roots) {
      if (!isCa(root)) throw new CertificateError(`${source}: ${root.label} is not a CA certificate`);
    }
    return new TrustAnchors(roots);
  }

  get subjects(): string[] {
    return this.roots.map((root) => root.parsed.subject);
  }

  /** The configured root that is `certificate`, or that issued and signed it. */
  anchorOf(certificate: Certificate): Certificate | undefined {
    return (
      this.roots.find((root) => root.node.raw.equals(certificate.node.raw)) ??
      this.roots.find((root) => signedBy(certificate, root))
    );
  }

  /** A configured root with the name `certificate` gives as its issuer (whatever its key). */
  namedAs(issuerName: string): boolean {
    return this.roots.some((root) => root.node.subject === issuerName);
  }

  isAnchor(certificate: Certificate): boolean {
    return this.roots.some((root) => root.node.raw.equals(certificate.node.raw));
  }
}

/** Named as its issuer and signed by that certificate's key (what the issuer may sign is checked apart). */
function signedBy(child: Certificate, issuer: Certificate): boolean {
  if (child.node.issuer !== issuer.node.subject) return false;
  try {
    return child.node.verify(issuer.node.publicKey);
  } catch {
    return false; // a key OpenSSL cannot verify with signs nothing
  }
}

function isCa(certificate: Certificate): boolean {
  return certificate.basicConstraints?.ca === true;
}

/** RFC 5280 §4.2.1.3 and §4.2.1.9: a CA certificate with keyCertSign, within its pathLength. */
function requireCa(certificate: Certificate, intermediatesBelow: number): void {
  const constraints = certificate.basicConstraints;
  if (!constraints?.ca) throw new CertificateError(`${certificate.label} is not a CA certificate`);
  const usage = certificate.keyUsage;
  if (usage && !(usage.usages & x509.KeyUsageFlags.keyCertSign))
    throw new CertificateError(`${certificate.label} may not sign certificates (keyUsage lacks keyCertSign)`);
  if (constraints.pathLength !== undefined && intermediatesBelow > constraints.pathLength)
    throw new CertificateError(
      `${certificate.label} allows ${constraints.pathLength} intermediate(s) below it, the chain has ${intermediatesBelow}`,
    );
}

function requireValidAt(certificate: Certificate, now: Date): void {
  const { notBefore, notAfter } = certificate.parsed;
  if (now < notBefore)
    throw new CertificateError(`${certificate.label} is not valid before ${notBefore.toISOString()}`);
  if (now > notAfter) throw new CertificateError(`${certificate.label} expired on ${notAfter.toISOString()}`);
}

/** The leaf holds the device's key agreement key: an end entity, EC P-256, keyAgreement if restricted. */
function leafKey(leaf: Certificate): Uint8Array {
  if (isCa(leaf)) throw new CertificateError(`${leaf.label} is a CA certificate, not a device certificate`);
  const usage = leaf.keyUsage;
  if (usage && !(usage.usages & x509.KeyUsageFlags.keyAgreement))
    throw new CertificateError(`${leaf.label} may not be used for key agreement (keyUsage)`);
  try {
    return p256PointFromKeyObject(leaf.node.publicKey);
  } catch {
    throw new CertificateError(`${leaf.label} does not hold an EC P-256 key`);
  }
}

function untrustedReason(last: Certificate, anchors: TrustAnchors): string {
  if (signedBy(last, last)) return `${last.label} is self-signed and is not a configured trust anchor`;
  if (anchors.namedAs(last.node.issuer))
    return `${last.label} names a configured trust anchor as its issuer but is not signed by that anchor's key`;
  return `${last.label} is not issued by a configured trust anchor (its issuer is ${last.parsed.issuer})`;
}

/**
 * Validates a PEM chain (leaf first, each certificate followed by the one that signed it) at `now` and
 * answers the leaf's P-256 public key (SEC1 uncompressed point). Every certificate must be within its
 * dates, every one after the leaf a CA allowed to sign certificates, and the last one must be, or be
 * signed by, one of the trust anchors. Throws CertificateError saying why otherwise.
 */
export function validateAppleCertificateChain(
  pemChain: string,
  anchors: TrustAnchors,
  now: Date = new Date(),
): Uint8Array {
  const chain = parseCertificates(pemChain, 'the chain', false);
  if (chain.length > MAX_CHAIN_LENGTH)
    throw new CertificateError(`the chain has ${chain.length} certificates, at most ${MAX_CHAIN_LENGTH}`);
  chain.slice(1).forEach((issuer, at) => {
    if (!signedBy(chain[at], issuer))
      throw new CertificateError(
        `${chain[at].label} is not signed by ${issuer.label}: the chain must start with the leaf, each certificate followed by its issuer`,
      );
  });
  const last = chain[chain.length - 1];
  const anchor = anchors.anchorOf(last);
  if (!anchor) throw new CertificateError(untrustedReason(last, anchors));
  const path = anchors.isAnchor(last) ? chain : [...chain, anchor];
  path.slice(1).forEach((ca, at) => requireCa(ca, at));
  for (const certificate of path) requireValidAt(certificate, now);
  return leafKey(chain[0]);
}
