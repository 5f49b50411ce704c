import { gcm } from '@noble/ciphers/aes';
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha256';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils';

/**
 * The product's documented wallet envelope: ECDH P-256 to the recipient's key with a
 * fresh ephemeral key, a single-pass SHA-256 KDF (NIST SP 800-56A concatenation form) and AES-256-GCM
 * with a 16-byte zero IV. The zero IV is safe only because every key K is used exactly once.
 */
export interface SealedEnvelope {
  /** SEC1 uncompressed point, 65 bytes. */
  ephemeralPublicKey: Uint8Array;
  /** AES-256-GCM ciphertext followed by the 16-byte tag. */
  encryptedData: Uint8Array;
}

const KDF_COUNTER = Uint8Array.of(0, 0, 0, 1);
const KDF_ALGORITHM_ID = concatBytes(Uint8Array.of(0x0d), utf8ToBytes('id-aes256-GCM'));
const KDF_PARTY_U = utf8ToBytes('Apple');
const ZERO_IV = new Uint8Array(16);

export function deriveEnvelopeKey(sharedSecretX: Uint8Array, ephemeralPublicKey: Uint8Array): Uint8Array {
  return sha256(concatBytes(KDF_COUNTER, sharedSecretX, KDF_ALGORITHM_ID, KDF_PARTY_U, ephemeralPublicKey));
}

/**
 * @param recipientPublicKey SEC1 point (compressed or uncompressed) of the recipient's P-256 key.
 * @param ephemeralPrivateKey only for fixed test vectors; production always draws a fresh one.
 */
export function sealEnvelope(
  recipientPublicKey: Uint8Array,
  plaintext: Uint8Array,
  ephemeralPrivateKey: Uint8Array = p256.utils.randomPrivateKey(),
): SealedEnvelope {
  const ephemeralPublicKey = p256.getPublicKey(ephemeralPrivateKey, false);
  const sharedPoint = p256.getSharedSecret(ephemeralPrivateKey, recipientPublicKey, true);
  const key = deriveEnvelopeKey(sharedPoint.slice(1), ephemeralPublicKey);
  const encryptedData = gcm(key, ZERO_IV).encrypt(plaintext);
  return { ephemeralPublicKey, encryptedData };
}

/** The recipient's side; used by tests and by the simulated wallet. */
export function openEnvelope(recipientPrivateKey: Uint8Array, envelope: SealedEnvelope): Uint8Array {
  const sharedPoint = p256.getSharedSecret(recipientPrivateKey, envelope.ephemeralPublicKey, true);
  const key = deriveEnvelopeKey(sharedPoint.slice(1), envelope.ephemeralPublicKey);
  return gcm(key, ZERO_IV).decrypt(envelope.encryptedData);
}
