import { type KeyObject, createPublicKey } from 'node:crypto';

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

export class CertificateError extends Error {}

/** The PEM certificates of a chain, in order; Apple sends the leaf first. */
export function splitPemChain(pemChain: string): string[] {
  return pemChain.match(PEM_BLOCK) ?? [];
}

/** SEC1 uncompressed point of a P-256 public key given as SPKI PEM. */
export function p256PointFromSpkiPem(spkiPem: string): Uint8Array {
  return p256PointFromKeyObject(createPublicKey(spkiPem));
}

/** SEC1 uncompressed point (65 bytes) of a P-256 public key. */
export function p256PointFromKeyObject(key: KeyObject): Uint8Array {
  if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new CertificateError('the key is not an EC P-256 key');
  }
  const jwk = key.export({ format: 'jwk' });
  const x = Buffer.from(jwk.x as string, 'base64url');
  const y = Buffer.from(jwk.y as string, 'base64url');
  return new Uint8Array(Buffer.concat([Buffer.of(0x04), x, y]));
}
