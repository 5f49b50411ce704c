#!/usr/bin/env node
// `npm run bench`: throughput of the CPU-bound paths of push provisioning and the payload codec,
// printed as a table. Numbers live here, never in unit tests.
const path = require('node:path');
const fs = require('node:fs');
const { ROOT, build, ensureDependencies } = require('./lib/processes');

ensureDependencies();
if (!fs.existsSync(path.join(ROOT, 'dist/libs/crypto/src/index.js'))) build({ quiet: true });
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

async function measure(name, fn, { minMs = 1500 } = {}) {
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
  return {
    operation: name,
    'ops/s': Math.round(samples.length / (elapsedMs / 1000)),
    'p50 µs': samples[Math.floor(samples.length * 0.5)].toFixed(1),
    'p99 µs': samples[Math.floor(samples.length * 0.99)].toFixed(1),
    samples: samples.length,
  };
}

(async () => {
  const rows = [];
  rows.push(
    await measure('wallet envelope seal (ECDH P-256 + KDF + AES-GCM)', () =>
      tlo.sealEnvelope(recipient, Buffer.from('{"accountNumber":"5555555555554444"}')),
    ),
  );
  rows.push(
    await measure('GooglePay data (envelope + JSON + base64)', () =>
      tlo.buildGooglePayData({ card, providerPublicKey: recipient }),
    ),
  );
  rows.push(await measure('field cipher: decrypt PAN', () => cipher.decrypt(storedPan, 'card:p:pan')));
  rows.push(await measure('payload codec: encode 1 KiB payload', () => codec.encode([payload1k])));
  const encoded = await codec.encode([payload1k]);
  rows.push(await measure('payload codec: decode 1 KiB payload', () => codec.decode(encoded)));
  process.stdout.write(`node ${process.version}, ${require('node:os').cpus().length} cores\n`);
  console.table(rows);
})();
