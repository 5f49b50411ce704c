// Seed 001's example over a running API: loading the registry and the first keys, and a terminal's
// tap. Shared by `npm run seed:smart-tap`, `npm run smart-tap:terminal` and `npm run demo`; each HTTP
// step goes to `report` (see scripts/lib/steps.js), and a status the step does not expect throws.
const { signedTap } = require('./client');
const { step } = require('../lib/steps');

/**
 * The seed under other ids: `rename` applied to every issuer, class and pass id; collector ids left
 * out, so the API draws fresh ones. The demo loads it to run the example again on every run.
 */
function renamedSeed(seed, rename) {
  return {
    issuers: seed.issuers.map(({ issuerId, name }) => ({ issuerId: rename(issuerId), name })),
    classes: seed.classes.map((passClass) => ({
      ...passClass,
      classId: rename(passClass.classId),
      issuerId: rename(passClass.issuerId),
      redemptionIssuers: passClass.redemptionIssuers.map(rename),
    })),
    objects: seed.objects.map((pass) => ({
      ...pass,
      objectId: rename(pass.objectId),
      classId: rename(pass.classId),
    })),
    issuersWithKeys: seed.issuersWithKeys.map(rename),
    walletOfTheUser: seed.walletOfTheUser.map(rename),
  };
}

/**
 * Creates the seed's issuers, classes and passes (an existing one answers 409 and is kept), and the
 * first key of each issuer that should have keys and has none. Answers each issuer's collector id and,
 * for the key sets it started, the state of the key-set actor.
 */
async function loadSeed(call, report, seed) {
  const created = (_answer, status) => (status === 201 ? 'created' : 'already there');
  const collectors = {};
  for (const issuer of seed.issuers) {
    const { status, body } = await step(call, report, {
      what: `issuer ${issuer.name} (${issuer.issuerId})`,
      method: 'POST',
      route: '/smart-tap/issuers',
      body: issuer,
      accept: [201, 409],
      detail: (answer, code) =>
        code === 201 ? `created, collector id ${answer.collectorId}` : 'already there',
    });
    collectors[issuer.issuerId] = status === 201 ? body.collectorId : issuer.collectorId;
  }
  const records = [
    ...seed.classes.map((passClass) => ['class', passClass.classId, '/smart-tap/classes', passClass]),
    ...seed.objects.map((pass) => ['pass', pass.objectId, '/smart-tap/objects', pass]),
  ];
  for (const [kind, id, route, body] of records) {
    await step(call, report, {
      what: `${kind} ${id}`,
      method: 'POST',
      route,
      body,
      accept: [201, 409],
      detail: created,
    });
  }
  const keySets = {};
  for (const issuerId of seed.issuersWithKeys) {
    const route = `/smart-tap/issuers/${encodeURIComponent(issuerId)}/keys`;
    const { body } = await step(call, report, {
      what: `keys of issuer ${issuerId}`,
      method: 'GET',
      route,
      detail: (answer) =>
        answer.authenticationKeys.length ? 'already there' : 'none yet, rotating to create the first',
    });
    if (body.authenticationKeys.length > 0) continue;
    const rotated = await step(call, report, {
      what: `keys of issuer ${issuerId}`,
      method: 'POST',
      route: `${route}/rotate`,
      detail: (answer) => `version ${answer.keys.at(-1).version} created (key set ${answer.state})`,
    });
    keySets[issuerId] = { state: rotated.body.state, version: rotated.body.keys.at(-1).version };
  }
  return { collectors, keySets };
}

/**
 * A merchant terminal: fetches its credentials (the newest ACTIVE key of its issuer), signs a tap with
 * the wallet's passes and sends it. Without credentials (404) the wallet cannot authenticate it:
 * `tap` is null then.
 */
async function terminalTap(call, report, { collectorId, passes, viewedObjectId }) {
  const credentials = await step(call, report, {
    what: `terminal ${collectorId} fetches its credentials`,
    method: 'GET',
    route: `/smart-tap/terminals/${collectorId}/credentials`,
    accept: [200, 404],
    detail: (answer, status) =>
      status === 200 ? `key version ${answer.keyVersion}` : `${answer.code} (${answer.message})`,
  });
  if (credentials.status !== 200) return { credentials: credentials.body, tap: null };
  const { body: tap } = await step(call, report, {
    what: `terminal ${collectorId} taps${viewedObjectId ? ` (the user viewed ${viewedObjectId})` : ''}`,
    method: 'POST',
    route: '/smart-tap/tap',
    body: { ...signedTap(credentials.body), passes, viewedObjectId },
    detail: (answer) =>
      `authenticated ${answer.authenticated}, ${answer.outcome} (${answer.reason})` +
      (answer.passes.length ? `: ${answer.passes.map((pass) => pass.objectId).join(', ')}` : ''),
  });
  return { credentials: credentials.body, tap };
}

module.exports = { renamedSeed, loadSeed, terminalTap };
