import { type Payload, defaultPayloadConverter } from '@temporalio/common';
import { KeyRing } from '@tlo/crypto';
import {
  ENCRYPTED_ENCODING,
  EncryptionCodec,
  KEY_ID_METADATA,
  UNSEALED_ENCODING,
  unsealedMarker,
} from '@tlo/temporal';

const text = (bytes?: Uint8Array | null) => Buffer.from(bytes ?? []).toString();

describe('payload encryption codec', () => {
  const first = KeyRing.generateKey('2026-01');
  const second = KeyRing.generateKey('2026-07');

  it('encrypts every payload with the active key id in metadata and decodes it back', async () => {
    const codec = new EncryptionCodec(new KeyRing([first]));
    const original = defaultPayloadConverter.toPayload({ pan: '5555555555554444' });
    const [encoded] = await codec.encode([original]);
    expect(text(encoded.metadata?.encoding)).toBe(ENCRYPTED_ENCODING);
    expect(text(encoded.metadata?.[KEY_ID_METADATA])).toBe('2026-01');
    expect(text(encoded.data)).not.toContain('5555555555554444');
    const [decoded] = await codec.decode([encoded]);
    expect(defaultPayloadConverter.fromPayload(decoded)).toEqual({ pan: '5555555555554444' });
  });

  it('keeps decoding old payloads after a key rotation', async () => {
    const [old] = await new EncryptionCodec(new KeyRing([first])).encode([
      defaultPayloadConverter.toPayload('x'),
    ]);
    const rotated = new EncryptionCodec(new KeyRing([second, first]));
    expect(defaultPayloadConverter.fromPayload((await rotated.decode([old]))[0])).toBe('x');
    const [fresh] = await rotated.encode([defaultPayloadConverter.toPayload('y')]);
    expect(text(fresh.metadata?.[KEY_ID_METADATA])).toBe('2026-07');
  });

  describe('refuses, without throwing, every payload the key ring did not seal', () => {
    const codec = new EncryptionCodec(new KeyRing([first]));
    const sealedBy = async (ring: KeyRing) =>
      (await new EncryptionCodec(ring).encode([defaultPayloadConverter.toPayload({ by: 'ring' })]))[0];
    const tampered = async () => {
      const sealed = await sealedBy(new KeyRing([first]));
      const data = Buffer.from(sealed.data!);
      data[data.length - 1] ^= 1;
      return { ...sealed, data };
    };
    const cases: Array<[string, () => Promise<Payload>, string]> = [
      [
        'plain JSON, as `temporal workflow update --input` sends it',
        async () => defaultPayloadConverter.toPayload({ agentId: 'x' }),
        'unsealed',
      ],
      ['a payload without metadata', async () => ({ data: Buffer.from('{}') }), 'unsealed'],
      [
        'a payload sealed under a key id the ring does not hold',
        () => sealedBy(new KeyRing([second])),
        'unknown-key',
      ],
      ['a sealed payload with one bit flipped', tampered, 'tampered'],
      [
        'the encrypted encoding with made-up bytes',
        async () => ({
          metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from('2026-01') },
          data: Buffer.from('not a ciphertext at all, long enough to have a tag'),
        }),
        'tampered',
      ],
      [
        'the encrypted encoding without data',
        async () => ({
          metadata: { encoding: Buffer.from(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: Buffer.from('2026-01') },
        }),
        'tampered',
      ],
    ];
    it.each(cases)('%s', async (_, payload, reason) => {
      const refused = await payload();
      expect(codec.open(refused)).toMatchObject({ refused: { reason } });
      const [decoded] = await codec.decode([refused]);
      expect(decoded).toEqual(unsealedMarker());
      expect(text(decoded.data)).toBe(''); // nothing of what was sent reaches the workflow
      // No payload converter turns the marker into a value: an update with it is rejected unaccepted.
      expect(() => defaultPayloadConverter.fromPayload(decoded)).toThrow(UNSEALED_ENCODING);
    });
  });

  it('names where a payload fails, for the codec server', async () => {
    const codec = new EncryptionCodec(new KeyRing([second]));
    const [foreign] = await new EncryptionCodec(new KeyRing([first])).encode([
      defaultPayloadConverter.toPayload(1),
    ]);
    expect(codec.open(foreign)).toEqual({
      refused: {
        reason: 'unknown-key',
        field: 'metadata.encryption-key-id',
        message: 'unknown key id "2026-01"',
      },
    });
    expect(codec.open(defaultPayloadConverter.toPayload('plain'))).toMatchObject({
      refused: { reason: 'unsealed', field: 'metadata.encoding' },
    });
  });
});
