import { hmacSha256 } from './signatures';
import { sealEnvelope } from './wallet-envelope';

/** Card data as sealed for the wallet; built inside an activity, never seen by a workflow. */
export interface CardSecrets {
  pan: string;
  expiryMonth: number;
  expiryYear: number;
  holderName: string;
}

const b64 = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64');
const json64 = (value: unknown): string => Buffer.from(JSON.stringify(value), 'utf8').toString('base64');

function expirationMMYY(card: CardSecrets): string {
  return `${String(card.expiryMonth).padStart(2, '0')}/${String(card.expiryYear % 100).padStart(2, '0')}`;
}

/** ApplePay `data`: base64 JSON {EphemeralPublicKey, EncryptedData, ActivationData}, to the leaf certificate's key. */
export function buildApplePayData(args: {
  card: CardSecrets;
  proxy: string;
  nonce: string;
  nonceSignature: string;
  leafPublicKey: Uint8Array;
  activationKey: Buffer;
}): string {
  const plaintext = JSON.stringify({
    primaryAccountNumber: args.card.pan,
    expiration: expirationMMYY(args.card),
    name: args.card.holderName,
    nonce: args.nonce,
    nonceSignature: args.nonceSignature,
  });
  const sealed = sealEnvelope(args.leafPublicKey, Buffer.from(plaintext, 'utf8'));
  return json64({
    EphemeralPublicKey: b64(sealed.ephemeralPublicKey),
    EncryptedData: b64(sealed.encryptedData),
    ActivationData: b64(hmacSha256(args.activationKey, `${args.proxy}|${args.nonce}`)),
  });
}

/** GooglePay `data`: base64 JSON {EphemeralPublicKey, EncryptedData}, to the wallet provider's key. */
export function buildGooglePayData(args: { card: CardSecrets; providerPublicKey: Uint8Array }): string {
  const plaintext = JSON.stringify({
    accountNumber: args.card.pan,
    expiryMonth: String(args.card.expiryMonth).padStart(2, '0'),
    expiryYear: String(args.card.expiryYear),
    name: args.card.holderName,
  });
  const sealed = sealEnvelope(args.providerPublicKey, Buffer.from(plaintext, 'utf8'));
  return json64({
    EphemeralPublicKey: b64(sealed.ephemeralPublicKey),
    EncryptedData: b64(sealed.encryptedData),
  });
}
