// The CPU-bound paths of push provisioning and the payload codec, in this process.
const path = require('node:path');
const { ROOT } = require('../lib/processes');

async function measure(name, fn, minMs) {
  for (let i = 0; i < 20; i++) await fn(); // warm-up
  const samples = [];
  const started = process.hrtime.bigint();
  let elapsedMs = 0;
  while (elapsedMs < minMs) {
    const t0 = process.hrtime.bigint();
    await fn();
    samples.push(Number(process.hrtime.bigint() - t0) / 1e3);
    elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
  }
  samples.sort((a, b) => a - b);
  return [
    name,
    Math.round(samples.length / (elapsedMs / 1000)),
    samples[Math.floor(samples.length * 0.5)].toFixed(1),
    samples[Math.floor(samples.length * 0.99)].toFixed(1),
    samples.length,
  ];
}

async function cryptoRows({ minMs }) {
  const tlo = require(path.join(ROOT, 'dist/libs/crypto/src'));
  const { EncryptionCodec } = require(path.join(ROOT, 'dist/libs/temporal/src/encryption-codec'));
  const { defaultPayloadConverter } = require('@temporalio/common');
  const { p256 } = require('@noble/curves/p256');
  const ring = new tlo.KeyRing([tlo.KeyRing.generateKey('bench')]);
  const cipher = new tlo.FieldCipher(ring);
  const codec = new EncryptionCodec(ring);
  const recipient = p256.getPublicKey(p256.utils.randomPrivateKey(), false);
  const card = { pan: '5555555555554444', expiryMonth: 12, expiryYear: 2030, holderName: 'MARIA DA SILVA' };
  const storedPan = cipher.encrypt(card.pan, 'card:p:pan');
  const payload1k = defaultPayloadConverter.toPayload({ blob: 'x'.repeat(1024) });
  const encoded = await codec.encode([payload1k]);
  return [
    await measure(
      'wallet envelope seal (ECDH P-256 + KDF + AES-GCM)',
      () => tlo.sealEnvelope(recipient, Buffer.from('{"accountNumber":"5555555555554444"}')),
      minMs,
    ),
    await measure(
      'GooglePay data (envelope + JSON + base64)',
      () => tlo.buildGooglePayData({ card, providerPublicKey: recipient }),
      minMs,
    ),
    await measure('field cipher: decrypt PAN', () => cipher.decrypt(storedPan, 'card:p:pan'), minMs),
    await measure('payload codec: encode 1 KiB payload', () => codec.encode([payload1k]), minMs),
    await measure('payload codec: decode 1 KiB payload', () => codec.decode(encoded), minMs),
  ];
}

module.exports = { cryptoRows, CRYPTO_HEADERS: ['operation', 'ops/s', 'p50 µs', 'p99 µs', 'samples'] };
