import { createDecipheriv, createECDH, createHash } from 'node:crypto';

/**
 * An independent implementation of the wallet envelope's recipient side, with node:crypto only
 * (OpenSSL), to check what the @noble code seals.
 */
export function nodeOpenEnvelope(
  recipientPrivateKey: Buffer,
  ephemeralPublicKey: Buffer,
  encryptedData: Buffer,
): Buffer {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(recipientPrivateKey);
  const z = ecdh.computeSecret(ephemeralPublicKey);
  const key = createHash('sha256')
    .update(
      Buffer.concat([
        Buffer.of(0, 0, 0, 1),
        z,
        Buffer.of(0x0d),
        Buffer.from('id-aes256-GCM'),
        Buffer.from('Apple'),
        ephemeralPublicKey,
      ]),
    )
    .digest();
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.alloc(16));
  decipher.setAuthTag(encryptedData.subarray(encryptedData.length - 16));
  return Buffer.concat([
    decipher.update(encryptedData.subarray(0, encryptedData.length - 16)),
    decipher.final(),
  ]);
}

/** Private key scalar (32 bytes) of a PKCS#8 / SEC1 PEM EC key, via JWK export. */
export function rawPrivateKey(pem: string): Buffer {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createPrivateKey } = require('node:crypto') as typeof import('node:crypto');
  return Buffer.from(createPrivateKey(pem).export({ format: 'jwk' }).d as string, 'base64url');
}

/**
 * Opens a wallet payload's `data` (base64 JSON with base64 `EphemeralPublicKey` and `EncryptedData`)
 * with node:crypto: returns the envelope's fields and the decrypted card JSON.
 */
export function openWalletData(
  data: string,
  recipientPrivateKey: Buffer,
): { fields: Record<string, string>; card: Record<string, unknown> } {
  const fields = JSON.parse(Buffer.from(data, 'base64').toString()) as Record<string, string>;
  const plaintext = nodeOpenEnvelope(
    recipientPrivateKey,
    Buffer.from(fields.EphemeralPublicKey, 'base64'),
    Buffer.from(fields.EncryptedData, 'base64'),
  );
  return { fields, card: JSON.parse(plaintext.toString()) };
}

/** SPKI PEM of a P-256 public key given as an uncompressed SEC1 point. */
export function spkiPemOf(uncompressedPoint: Uint8Array): string {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { createPublicKey } = require('node:crypto') as typeof import('node:crypto');
  const jwk = {
    kty: 'EC',
    crv: 'P-256',
    x: Buffer.from(uncompressedPoint.slice(1, 33)).toString('base64url'),
    y: Buffer.from(uncompressedPoint.slice(33)).toString('base64url'),
  };
  return createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'pem' }).toString();
}
