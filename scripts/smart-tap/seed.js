#!/usr/bin/env node
// `npm run seed:smart-tap`: loads seed 001's example into a running API (idempotent).
const seed = require('./seed.json');
const { apiClient } = require('./client');

async function main() {
  const call = apiClient(['smarttap.admin']);
  const put = async (what, route, body) => {
    const { status, body: answer } = await call('POST', route, body);
    if (status !== 201 && status !== 409) throw new Error(`${what}: ${status} ${JSON.stringify(answer)}`);
    console.log(`[seed] ${what}: ${status === 201 ? 'created' : 'already there'}`);
  };
  for (const issuer of seed.issuers)
    await put(`issuer ${issuer.name} (${issuer.issuerId})`, '/smart-tap/issuers', issuer);
  for (const passClass of seed.classes)
    await put(`class ${passClass.classId}`, '/smart-tap/classes', passClass);
  for (const pass of seed.objects) await put(`pass ${pass.objectId}`, '/smart-tap/objects', pass);
  for (const issuerId of seed.issuersWithKeys) {
    const { body } = await call('GET', `/smart-tap/issuers/${issuerId}/keys`);
    if (body.authenticationKeys.length === 0) {
      const rotated = await call('POST', `/smart-tap/issuers/${issuerId}/keys/rotate`);
      console.log(`[seed] keys of issuer ${issuerId}: version ${rotated.body.keys.at(-1).version} created`);
    } else console.log(`[seed] keys of issuer ${issuerId}: already there`);
  }
  console.log(`[seed] done. Try: npm run smart-tap:terminal -- --collector 44444444`);
}

main().catch((error) => {
  console.error(`[seed] ${error.message}`);
  process.exit(1);
});
