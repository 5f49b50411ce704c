#!/usr/bin/env node
// `npm run seed:smart-tap`: loads Google's Smart Tap example into a running API (idempotent).
const seed = require('./seed.json');
const { apiClient } = require('./client');
const { loadSeed } = require('./example');

async function main() {
  const call = apiClient(['smarttap.admin']);
  await loadSeed(call, ({ what, detail }) => console.log(`[seed] ${what}: ${detail}`), seed);
  console.log(`[seed] done. Try: npm run smart-tap:terminal -- --collector 44444444`);
}

main().catch((error) => {
  console.error(`[seed] ${error.message}${error.body ? ` ${JSON.stringify(error.body)}` : ''}`);
  process.exit(1);
});
