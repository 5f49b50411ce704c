// 4. Smart Tap: Google's Smart Tap example (scripts/smart-tap) loaded under this run's ids, a key rotation of
// Eat-foo, then the seed's taps with real terminal signatures: a carousel, a viewed pass, a terminal
// whose issuer's passes are not redeemable there, and one without a key.
const seed = require('../smart-tap/seed.json');
const { loadSeed, renamedSeed, terminalTap } = require('../smart-tap/example');

async function smartTap(ctx) {
  const rename = (id) => `${id}-${ctx.runId}`;
  const example = renamedSeed(seed, rename);
  const admin = ctx.token(['smarttap.admin']);
  const { collectors, keySets } = await loadSeed(ctx.call(admin), ctx.report, example);

  const [iLuvCoffee, eatFoo, baconRUs] = ['123', '456', '789'].map(rename);
  const { body: rotated } = await ctx.step(admin, {
    what: `rotate the keys of Eat-foo (${eatFoo})`,
    method: 'POST',
    route: `/smart-tap/issuers/${eatFoo}/keys/rotate`,
    expect: { state: 'grace' },
    detail: (answer) =>
      `${answer.state}: ` +
      answer.keys
        .map((k) => `v${k.version} ${k.status}${k.retiresAt ? ` until ${k.retiresAt}` : ''}`)
        .join(', '),
  });

  const taps = [
    { issuerId: eatFoo, outcome: 'CAROUSEL' },
    { issuerId: eatFoo, viewedObjectId: rename('r-basic-sally'), outcome: 'TRANSMIT' },
    { issuerId: iLuvCoffee, outcome: 'NONE' },
    { issuerId: baconRUs, outcome: null }, // no key: no credentials, nothing to tap with
  ];
  for (const { issuerId, viewedObjectId, outcome } of taps) {
    const collectorId = collectors[issuerId];
    // Each terminal's token names its collector id: it gets that collector's key and taps only as it.
    const terminal = ctx.token(['smarttap.terminal'], collectorId);
    const { tap } = await terminalTap(ctx.call(terminal), ctx.report, {
      collectorId,
      passes: example.walletOfTheUser,
      viewedObjectId,
    });
    const what = `tap at terminal ${collectorId}${viewedObjectId ? ` (viewed ${viewedObjectId})` : ''}`;
    if (outcome === null) ctx.expect(what, { credentials: tap ? 'issued' : 'none' }, { credentials: 'none' });
    else ctx.expect(what, tap, { authenticated: true, outcome });
  }

  ctx.workflow(`keys of Eat-foo (${eatFoo}), rotated`, `smart-tap-keys:${eatFoo}`, rotated.state);
  ctx.workflow(
    `keys of iLuvCoffee (${iLuvCoffee})`,
    `smart-tap-keys:${iLuvCoffee}`,
    keySets[iLuvCoffee].state,
  );
}

module.exports = { title: '4. Smart Tap: seed, key rotation, taps', run: smartTap };
