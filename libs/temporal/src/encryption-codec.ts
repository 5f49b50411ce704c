import type { Payload, PayloadCodec } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import { KeyRing, aesGcmDecrypt, aesGcmEncrypt } from '@tlo/crypto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
/**
 * What the worker and the client see instead of a payload the key ring did not seal. No payload
 * converter knows this encoding, so the payload can never become a value a handler acts on.
 */
export const UNSEALED_ENCODING = 'binary/unsealed';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Why a payload could not be opened; `field` is where, relative to the payload. */
export interface SealRefusal {
  reason: 'unsealed' | 'unknown-key' | 'tampered';
  field: 'data' | `metadata.${string}`;
  message: string;
}
export type Opened = { payload: Payload } | { refused: SealRefusal };

/** The stand-in for a refused payload: no data of the sender's survives. */
export const unsealedMarker = (): Payload => ({
  metadata: { encoding: encoder.encode(UNSEALED_ENCODING) },
  data: new Uint8Array(),
});

/**
 * Encrypts every Temporal payload (inputs, results, updates, memos, failures' details) with
 * AES-256-GCM under the key ring's active key; the key id travels in the metadata so payloads written
 * under a retired key still decode after rotation. Search attributes and headers are not payloads
 * the codec sees: never put secrets there.
 *
 * Decoding authenticates: whoever reaches Temporal's port can send updates, signals and starts with
 * plain JSON (`temporal workflow update execute --input '{...}'`) or with made-up ciphertext, and
 * none of that may drive a lifecycle. Throwing from `decode` would refuse it too, but in a worker a
 * codec error fails the whole workflow task and the server retries it with the same input: tried on
 * the dev server, a refused update left the workflow task failing, and a refused signal, which stays
 * in history, made every later update and query of that workflow fail. So `decode` turns every
 * payload the ring did not seal into an `UNSEALED_ENCODING` marker without data, which the default
 * payload converter refuses to turn into a value:
 * - an update is rejected before it is accepted (the TypeScript SDK rejects an update whose input
 *   cannot be deserialized, validator or not): nothing enters history, the caller gets the failure,
 *   the workflow carries on;
 * - a signal is never delivered: the workflows define none (a unit test keeps it so), and a signal
 *   without a handler is only buffered;
 * - a start, or an activity completed from the CLI, fails the workflow task, which is retried: the
 *   workflow takes no step.
 * Nothing of what was sent reaches workflow code. (A workflow interceptor could not do this: the SDK
 * turns payloads into arguments before interceptors see them, so they cannot tell sealed from plain.)
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

  /** For workers and clients: what the ring sealed, opened; anything else, the unsealed marker. */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      const opened = this.open(payload);
      return 'payload' in opened ? opened.payload : unsealedMarker();
    });
  }

  /** Opens one payload sealed by the ring, or says why it cannot. Never throws. */
  open(payload: Payload): Opened {
    const encoding = payload.metadata?.encoding ? decoder.decode(payload.metadata.encoding) : '';
    if (encoding !== ENCRYPTED_ENCODING) {
      return refuse('unsealed', 'metadata.encoding', `not sealed by the payload key ring (${encoding})`);
    }
    const keyIdBytes = payload.metadata?.[KEY_ID_METADATA];
    const keyId = keyIdBytes ? decoder.decode(keyIdBytes) : '';
    const key = this.ring.find(keyId);
    if (!key) return refuse('unknown-key', `metadata.${KEY_ID_METADATA}`, `unknown key id "${keyId}"`);
    try {
      const plaintext = aesGcmDecrypt(key, payload.data ?? new Uint8Array());
      return { payload: temporal.api.common.v1.Payload.decode(plaintext) as Payload };
    } catch {
      return refuse('tampered', 'data', 'the ciphertext does not authenticate under its key');
    }
  }
}

function refuse(reason: SealRefusal['reason'], field: SealRefusal['field'], message: string): Opened {
  return { refused: { reason, field, message } };
}

export function dataConverterFor(keyRingSpec: string): { payloadCodecs: PayloadCodec[] } {
  return { payloadCodecs: [new EncryptionCodec(KeyRing.parse(keyRingSpec))] };
}
