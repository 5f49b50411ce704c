import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KeyRing, aesGcmDecrypt, aesGcmEncrypt } from '@tlo/crypto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Encrypts every Temporal payload (inputs, results, signals, updates, memos, failures' details) with
 * AES-256-GCM under the key ring's active key; the key id travels in the metadata so payloads written
 * under a retired key still decode after rotation. Search attributes are not payloads: never put
 * secrets there.
 */
export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly ring: KeyRing) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const { id, key } = this.ring.active;
    return payloads.map((payload) => ({
      metadata: { encoding: encoder.encode(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: encoder.encode(id) },
      data: aesGcmEncrypt(key, temporal.api.common.v1.Payload.encode(payload).finish()),
    }));
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      if (!payload.metadata || decoder.decode(payload.metadata.encoding) !== ENCRYPTED_ENCODING)
        return payload;
      const keyId = decoder.decode(payload.metadata[KEY_ID_METADATA]);
      const key = this.ring.find(keyId);
      if (!key) throw new Error(`payload encrypted with unknown key id "${keyId}"`);
      if (!payload.data) throw new Error('encrypted payload has no data');
      return temporal.api.common.v1.Payload.decode(aesGcmDecrypt(key, payload.data)) as Payload;
    });
  }
}

export function dataConverterFor(keyRingSpec: string): { payloadCodecs: PayloadCodec[] } {
  return { payloadCodecs: [new EncryptionCodec(KeyRing.parse(keyRingSpec))] };
}
