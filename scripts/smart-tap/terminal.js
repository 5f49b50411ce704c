#!/usr/bin/env node
// `npm run smart-tap:terminal -- --collector <id> [--viewed <objectId>]`: a merchant terminal.
// Fetches its credentials, signs a tap with the seed user's wallet, and prints the outcome.
const seed = require('./seed.json');
const { apiClient, signedTap } = require('./client');

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const collectorId = option('collector');
  if (!collectorId)
    throw new Error('usage: npm run smart-tap:terminal -- --collector <8-digit id> [--viewed <objectId>]');
  const call = apiClient(['smarttap.terminal']);
  const credentials = await call('GET', `/smart-tap/terminals/${collectorId}/credentials`);
  if (credentials.status !== 200) {
    console.log(
      `[terminal ${collectorId}] no credentials: ${credentials.body.code} (${credentials.body.message})`,
    );
    console.log(`[terminal ${collectorId}] outcome: NONE (the wallet cannot authenticate this terminal)`);
    return;
  }
  console.log(`[terminal ${collectorId}] signing with key version ${credentials.body.keyVersion}`);
  const tap = {
    ...signedTap(credentials.body),
    passes: seed.walletOfTheUser,
    viewedObjectId: option('viewed'),
  };
  const { status, body } = await call('POST', '/smart-tap/tap', tap);
  if (status !== 200) throw new Error(`tap: ${status} ${JSON.stringify(body)}`);
  console.log(`[terminal ${collectorId}] authenticated: ${body.authenticated}`);
  console.log(`[terminal ${collectorId}] outcome: ${body.outcome} (${body.reason})`);
  for (const pass of body.passes) console.log(`  ${pass.objectId}: ${pass.smartTapRedemptionValue}`);
}

main().catch((error) => {
  console.error(`[terminal] ${error.message}`);
  process.exit(1);
});
