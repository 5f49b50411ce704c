import { createPrivateKey, createPublicKey, verify } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha256';

const b64url = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64url');

/** A P-256 key pair drawn by `@noble/curves`, exported as PKCS#8 and SPKI PEM. */
export function generateSmartTapKeyPair(): { privateKeyPem: string; publicKeyPem: string } {
  const privateKey = p256.utils.randomPrivateKey();
  const point = p256.getPublicKey(privateKey, false);
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    d: b64url(privateKey),
    x: b64url(point.slice(1, 33)),
    y: b64url(point.slice(33)),
  };
  const key = createPrivateKey({ key: jwk, format: 'jwk' });
  return {
    privateKeyPem: key.export({ type: 'pkcs8', format: 'pem' }).toString(),
    publicKeyPem: createPublicKey(key).export({ type: 'spki', format: 'pem' }).toString(),
  };
}

/** ECDSA P-256 / SHA-256 signature, DER-encoded, by `@noble/curves` (what a terminal does). */
export function signSmartTap(privateKeyPem: string, message: Uint8Array): Uint8Array {
  const jwk = createPrivateKey(privateKeyPem).export({ format: 'jwk' });
  const scalar = Buffer.from(jwk.d!, 'base64url');
  return p256.sign(sha256(message), scalar).toDERRawBytes();
}

/** Verifies a DER ECDSA P-256 / SHA-256 signature against an SPKI PEM key; false on any malformation. */
export function verifySmartTapSignature(
  publicKeyPem: string,
  message: Uint8Array,
  derSignature: Uint8Array,
): boolean {
  try {
    return verify('sha256', message, { key: publicKeyPem, dsaEncoding: 'der' }, derSignature);
  } catch {
    return false;
  }
}
