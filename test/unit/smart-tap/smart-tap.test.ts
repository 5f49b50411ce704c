import { createPrivateKey, createPublicKey, randomBytes, sign } from 'node:crypto';
import { p256 } from '@noble/curves/p256';
import { sha256 } from '@noble/hashes/sha256';
import { generateSmartTapKeyPair, signSmartTap, verifySmartTapSignature } from '@tlo/crypto';
import { type SmartTapClass, type SmartTapObject, resolveTap, tapSignedMessage } from '@tlo/domain';

describe('Smart Tap terminal signatures (ECDSA P-256, SHA-256, DER)', () => {
  const message = () =>
    tapSignedMessage({
      terminalNonce: randomBytes(32),
      mobileNonce: randomBytes(32),
      collectorId: 44444444,
      terminalEphemeralPublicKey: p256.getPublicKey(p256.utils.randomPrivateKey(), true),
    });

  it('lays out terminalNonce ‖ mobileNonce ‖ collectorId (4 bytes big-endian) ‖ ephemeral key', () => {
    const bytes = tapSignedMessage({
      terminalNonce: new Uint8Array(32).fill(1),
      mobileNonce: new Uint8Array(32).fill(2),
      collectorId: 0x02a62b1c,
      terminalEphemeralPublicKey: new Uint8Array(33).fill(3),
    });
    expect(bytes).toHaveLength(101);
    expect(Buffer.from(bytes.slice(64, 68)).toString('hex')).toBe('02a62b1c');
    expect(bytes[0]).toBe(1);
    expect(bytes[32]).toBe(2);
    expect(bytes[100]).toBe(3);
  });

  it('verifies with node:crypto what @noble/curves signed, and the other way round', () => {
    const keys = generateSmartTapKeyPair();
    expect(keys.publicKeyPem).toContain('BEGIN PUBLIC KEY');
    expect(keys.privateKeyPem).toContain('BEGIN PRIVATE KEY');
    const signed = message();
    expect(verifySmartTapSignature(keys.publicKeyPem, signed, signSmartTap(keys.privateKeyPem, signed))).toBe(
      true,
    );
    const byNode = sign('sha256', signed, { key: createPrivateKey(keys.privateKeyPem), dsaEncoding: 'der' });
    const scalar = Buffer.from(
      createPrivateKey(keys.privateKeyPem).export({ format: 'jwk' }).d!,
      'base64url',
    );
    const der = new Uint8Array(byNode);
    expect(p256.verify(der, sha256(signed), p256.getPublicKey(scalar), { lowS: false, format: 'der' })).toBe(
      true,
    );
  });

  it('refuses a tampered message, another key and malformed signatures', () => {
    const keys = generateSmartTapKeyPair();
    const signed = message();
    const signature = signSmartTap(keys.privateKeyPem, signed);
    const tampered = Uint8Array.from(signed);
    tampered[5] ^= 1;
    expect(verifySmartTapSignature(keys.publicKeyPem, tampered, signature)).toBe(false);
    expect(verifySmartTapSignature(generateSmartTapKeyPair().publicKeyPem, signed, signature)).toBe(false);
    expect(verifySmartTapSignature(keys.publicKeyPem, signed, new Uint8Array([0x30, 0x02, 0x01]))).toBe(
      false,
    );
  });

  it('matches the RFC 6979 P-256/SHA-256 vector ("sample"), checked by both implementations', () => {
    const privateKey = Buffer.from('C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721', 'hex');
    const expected = {
      r: 'efd48b2aacb6a8fd1140dd9cd45e81d69d2c877b56aaf991c34d0ea84eaf3716',
      s: 'f7cb1c942d657c41d436c7a1b6e29f65f3e900dbb9aff4064dc4ab2f843acda8',
    };
    const sampled = new TextEncoder().encode('sample');
    const signature = p256.sign(sha256(sampled), privateKey, { lowS: false });
    expect(signature.r.toString(16).padStart(64, '0')).toBe(expected.r);
    expect(signature.s.toString(16).padStart(64, '0')).toBe(expected.s);
    const point = p256.getPublicKey(privateKey, false);
    const jwk = {
      kty: 'EC',
      crv: 'P-256',
      x: Buffer.from(point.slice(1, 33)).toString('base64url'),
      y: Buffer.from(point.slice(33)).toString('base64url'),
    };
    const spki = createPublicKey({ key: jwk, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    expect(verifySmartTapSignature(spki, sampled, signature.toDERRawBytes())).toBe(true);
  });
});

describe('Smart Tap resolution (the seed example)', () => {
  const classes: Record<string, SmartTapClass> = {
    'R-basic': {
      classId: 'R-basic',
      issuerId: '123',
      enableSmartTap: true,
      redemptionIssuers: ['456', '789'],
    },
    'R-gold': { classId: 'R-gold', issuerId: '123', enableSmartTap: false, redemptionIssuers: [] },
    'Minhas recompensas': {
      classId: 'Minhas recompensas',
      issuerId: '456',
      enableSmartTap: true,
      redemptionIssuers: ['456'],
    },
  };
  const pass = (objectId: string, classId: string, extra: Partial<SmartTapObject> = {}): SmartTapObject => ({
    objectId,
    classId,
    smartTapRedemptionValue: `value-${objectId}`,
    state: 'ACTIVE',
    ...extra,
  });
  const wallet = [
    pass('basic-1', 'R-basic'),
    pass('minhas-1', 'Minhas recompensas'),
    pass('gold-1', 'R-gold'),
  ];
  const resolve = (redemptionIssuerId: string, passes = wallet, viewedObjectId?: string) =>
    resolveTap({
      redemptionIssuerId,
      passes: passes.map((p) => ({ pass: p, passClass: classes[p.classId] ?? null })),
      viewedObjectId,
      now: Date.parse('2026-11-23T12:00:00Z'),
    });

  it('iLuvCoffee (123) redeems none of its own passes: nothing is sent', () => {
    expect(resolve('123')).toEqual({ outcome: 'NONE', passes: [], reason: 'NO_PASS_REDEEMABLE_HERE' });
  });

  it('Eat-foo (456) gets a carousel of R-basic and Minhas recompensas, or only the viewed R-basic', () => {
    expect(resolve('456')).toMatchObject({
      outcome: 'CAROUSEL',
      passes: [{ objectId: 'basic-1' }, { objectId: 'minhas-1' }],
    });
    expect(resolve('456', wallet, 'basic-1')).toMatchObject({
      outcome: 'TRANSMIT',
      passes: [{ objectId: 'basic-1' }],
    });
    expect(resolve('456', wallet, 'gold-1').outcome).toBe('CAROUSEL'); // a viewed pass not redeemable here
  });

  it('sends a viewed candidate whatever its validity; sends the only valid one; nothing when none is valid', () => {
    const expired = pass('basic-old', 'R-basic', { state: 'EXPIRED' });
    const outOfTime = pass('minhas-late', 'Minhas recompensas', {
      validTimeInterval: { end: '2026-01-01T00:00:00Z' },
    });
    expect(resolve('456', [expired, pass('minhas-1', 'Minhas recompensas')])).toMatchObject({
      outcome: 'TRANSMIT',
      passes: [{ objectId: 'minhas-1' }],
    });
    expect(resolve('456', [expired, outOfTime], 'basic-old')).toMatchObject({
      outcome: 'TRANSMIT',
      reason: 'VIEWED_PASS',
    });
    expect(resolve('456', [expired, outOfTime])).toEqual({
      outcome: 'NONE',
      passes: [],
      reason: 'NO_VALID_PASS',
    });
  });
});
