import { defaultPayloadConverter } from '@temporalio/common';
import { KeyRing } from '@tlo/crypto';
import { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA } from '@tlo/temporal';

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

  it('fails loudly on an unknown key id and passes unencrypted payloads through', async () => {
    const [encoded] = await new EncryptionCodec(new KeyRing([first])).encode([
      defaultPayloadConverter.toPayload(1),
    ]);
    await expect(new EncryptionCodec(new KeyRing([second])).decode([encoded])).rejects.toThrow(
      'unknown key id "2026-01"',
    );
    const plain = defaultPayloadConverter.toPayload('plain');
    expect(await new EncryptionCodec(new KeyRing([second])).decode([plain])).toEqual([plain]);
  });
});
