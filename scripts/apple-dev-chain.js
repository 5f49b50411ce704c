#!/usr/bin/env node
// `npm run -s apple:dev-chain -- <dir>`: what Apple's PassKit would hand the issuer app, for local
// ApplePay push provisioning: <dir>/leaf.key (PKCS#8 PEM of a fresh P-256 device key) and
// <dir>/chain.pem (the leaf, then the intermediate that signed it), under the development root that
// `npm start` keeps in the data dir (TLO_DATA_DIR, else .data/) and the local API trusts.
const fs = require('node:fs');
const path = require('node:path');
const { DevelopmentRootError, developmentAppleChain } = require('./lib/apple-chain');

const say = (line) => process.stderr.write(`[apple:dev-chain] ${line}\n`);
const args = process.argv.slice(2);
if (args.length !== 1 || !args[0] || args[0].startsWith('-')) {
  say('usage: npm run -s apple:dev-chain -- <dir>   (writes <dir>/leaf.key and <dir>/chain.pem)');
  process.exit(2);
}
const dir = path.resolve(args[0]);

async function main() {
  const chain = await developmentAppleChain();
  if (process.env.APPLE_PAY_TRUST_ANCHORS_PEM)
    say(
      'note: APPLE_PAY_TRUST_ANCHORS_PEM is set; an API using it trusts those roots, not the development root',
    );
  try {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, 'leaf.key'), chain.leafPrivateKeyPem, { mode: 0o600 });
    fs.chmodSync(path.join(dir, 'leaf.key'), 0o600); // an existing file keeps its mode otherwise
    fs.writeFileSync(path.join(dir, 'chain.pem'), chain.chainPem);
  } catch (error) {
    say(`cannot write the chain into ${dir}: ${error.message}`);
    return 1;
  }
  const root = path.join(chain.dataDir, 'apple-dev-root.pem');
  process.stdout.write(
    `wrote ${path.join(dir, 'leaf.key')}   device private key (PKCS#8 PEM, P-256): opens what is sealed to the leaf\n` +
      `wrote ${path.join(dir, 'chain.pem')}  appleCertificate: the leaf, then its intermediate, under ${root}\n`,
  );
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error) => {
    say(error instanceof DevelopmentRootError ? error.message : error.stack);
    process.exit(1);
  },
);
