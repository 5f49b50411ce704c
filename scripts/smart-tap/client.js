// The HTTP side of the Smart Tap scripts: a development token and JSON calls to a running API.
const { createPrivateKey, generateKeyPairSync, randomBytes, sign } = require('node:crypto');
const { apiCaller } = require('../lib/http');
const { developmentToken } = require('../lib/token');

/**
 * Calls to a running API (`API_URL`, else `npm start`'s) with a development token of `scopes` for
 * `subject`: a terminal's token names its collector id, and acts only as that collector.
 */
function apiClient(
  scopes,
  subject = 'smart-tap-cli',
  apiUrl = process.env.API_URL || 'http://127.0.0.1:3000',
) {
  return apiCaller(apiUrl, developmentToken(scopes, subject));
}

/** What a terminal does at tap time: an ephemeral key, a nonce, and an ECDSA signature (node:crypto). */
function signedTap({ collectorId, keyVersion, privateKeyPem }, mobileNonce = randomBytes(32)) {
  const terminalNonce = randomBytes(32);
  const ephemeral = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
    type: 'spki',
    format: 'der',
  });
  const uncompressed = ephemeral.subarray(ephemeral.length - 65);
  const compressed = Buffer.concat([
    Buffer.from([uncompressed[64] & 1 ? 3 : 2]),
    uncompressed.subarray(1, 33),
  ]);
  const collector = Buffer.alloc(4);
  collector.writeUInt32BE(Number(collectorId));
  const message = Buffer.concat([terminalNonce, mobileNonce, collector, compressed]);
  const signature = sign('sha256', message, { key: createPrivateKey(privateKeyPem), dsaEncoding: 'der' });
  return {
    collectorId: String(collectorId),
    keyVersion,
    terminalNonce: terminalNonce.toString('hex'),
    mobileNonce: mobileNonce.toString('hex'),
    terminalEphemeralPublicKey: compressed.toString('hex'),
    signature: signature.toString('hex'),
  };
}

module.exports = { apiClient, signedTap };
