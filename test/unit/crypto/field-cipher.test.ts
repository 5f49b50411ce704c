import { createDecipheriv } from 'node:crypto';
import { FieldCipher, KeyRing, signWebhook, verifyWebhookSignature } from '@tlo/crypto';

const ringOf = (...ids: string[]) => new KeyRing(ids.map((id) => KeyRing.generateKey(id)));

describe('field cipher', () => {
  it('round-trips and never stores the plaintext', () => {
    const cipher = new FieldCipher(ringOf('k1'));
    const stored = cipher.encrypt('5555555555554444', 'card:p1:pan');
    expect(stored).toMatch(/^v1\.k1\./);
    expect(stored).not.toContain('5555555555554444');
    expect(cipher.decrypt(stored, 'card:p1:pan')).toBe('5555555555554444');
  });

  it('binds the ciphertext to its owner (AAD)', () => {
    const cipher = new FieldCipher(ringOf('k1'));
    const stored = cipher.encrypt('5555555555554444', 'card:p1:pan');
    expect(() => cipher.decrypt(stored, 'card:p2:pan')).toThrow();
  });

  it('decrypts values written under a rotated-out key', () => {
    const old = KeyRing.generateKey('old');
    const stored = new FieldCipher(new KeyRing([old])).encrypt('secret', 'ctx');
    const rotated = new FieldCipher(new KeyRing([KeyRing.generateKey('new'), old]));
    expect(rotated.decrypt(stored, 'ctx')).toBe('secret');
    expect(rotated.encrypt('secret', 'ctx')).toMatch(/^v1\.new\./);
  });

  it('is standard AES-256-GCM (iv ‖ ciphertext ‖ tag), readable by node:crypto directly', () => {
    const key = KeyRing.generateKey('k');
    const stored = new FieldCipher(new KeyRing([key])).encrypt('hello', 'ctx');
    const body = Buffer.from(stored.split('.')[2], 'base64');
    const decipher = createDecipheriv('aes-256-gcm', key.key, body.subarray(0, 12));
    decipher.setAAD(Buffer.from('ctx'));
    decipher.setAuthTag(body.subarray(body.length - 16));
    expect(
      Buffer.concat([decipher.update(body.subarray(12, body.length - 16)), decipher.final()]).toString(),
    ).toBe('hello');
  });

  it('parses and refuses key ring specs', () => {
    const ring = KeyRing.parse(KeyRing.format([KeyRing.generateKey('a'), KeyRing.generateKey('b')]));
    expect(ring.active.id).toBe('a');
    expect(ring.find('b')).toHaveLength(32);
    expect(() => KeyRing.parse('a:' + Buffer.alloc(16).toString('base64'))).toThrow('must be 32 bytes');
    expect(() => KeyRing.parse('')).toThrow('at least one key');
  });
});

describe('webhook signatures', () => {
  it('signs <timestamp>.<body> with HMAC-SHA256 (fixed vector) and verifies in constant time', () => {
    // echo -n '1700000000000.{"a":1}' | openssl dgst -sha256 -hmac secret
    expect(signWebhook('secret', '1700000000000', '{"a":1}')).toBe(
      '4ef2732b0d632a6897af3a6d02a6de287f60d6c5f15dabdb0ceb045a34e3c5a7',
    );
    const signature = signWebhook('secret', '1', 'body');
    expect(verifyWebhookSignature('secret', '1', 'body', signature)).toBe(true);
    expect(verifyWebhookSignature('secret', '2', 'body', signature)).toBe(false);
    expect(verifyWebhookSignature('other', '1', 'body', signature)).toBe(false);
    expect(verifyWebhookSignature('secret', '1', 'body', 'zz')).toBe(false);
  });
});
