#!/usr/bin/env node
// `npm run smart-tap:terminal -- --collector <id> [--viewed <objectId>]`: a merchant terminal.
// Fetches its credentials, signs a tap with the seed user's wallet, and prints the outcome.
const seed = require('./seed.json');
const { apiClient } = require('./client');
const { terminalTap } = require('./example');

function option(name) {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

async function main() {
  const collectorId = option('collector');
  if (!collectorId)
    throw new Error('usage: npm run smart-tap:terminal -- --collector <8-digit id> [--viewed <objectId>]');
  const call = apiClient(['smarttap.terminal'], collectorId); // the terminal's token names its collector
  const { credentials, tap } = await terminalTap(call, () => {}, {
    collectorId,
    passes: seed.walletOfTheUser,
    viewedObjectId: option('viewed'),
  });
  if (!tap) {
    console.log(`[terminal ${collectorId}] no credentials: ${credentials.code} (${credentials.message})`);
    console.log(`[terminal ${collectorId}] outcome: NONE (the wallet cannot authenticate this terminal)`);
    return;
  }
  console.log(`[terminal ${collectorId}] signed with key version ${credentials.keyVersion}`);
  console.log(`[terminal ${collectorId}] authenticated: ${tap.authenticated}`);
  console.log(`[terminal ${collectorId}] outcome: ${tap.outcome} (${tap.reason})`);
  for (const pass of tap.passes) console.log(`  ${pass.objectId}: ${pass.smartTapRedemptionValue}`);
}

main().catch((error) => {
  console.error(`[terminal] ${error.message}${error.body ? ` ${JSON.stringify(error.body)}` : ''}`);
  process.exit(1);
});
