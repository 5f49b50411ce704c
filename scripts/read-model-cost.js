#!/usr/bin/env node
// Per-lifecycle database time of one push provisioning's queries (card reads, projections, partner
// event, the API's card listing) after preloading N finished lifecycles with bulkLoad, on a
// throwaway FerretDB started here (or MONGODB_URI). Prints a table; numbers never go into tests.
//   node scripts/read-model-cost.js [sizes, default 1000,100000] [--ferretdb=<binary>] [--postgres=<url>]
// Each size has its own database; the sizes are measured in alternation, 60 lifecycles each.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const {
  ROOT,
  TOOLS_BIN,
  ensureBuilt,
  freePort,
  startChild,
  stopChild,
  waitForPort,
} = require('./lib/processes');

ensureBuilt();
const persistence = require(path.join(ROOT, 'dist', 'libs', 'persistence', 'src'));

const args = process.argv.slice(2);
const option = (name) =>
  args
    .find((a) => a.startsWith(`--${name}=`))
    ?.split('=')
    .slice(1)
    .join('=');
const sizes = (args.find((a) => !a.startsWith('--')) ?? '1000,100000').split(',').map(Number);
const SAMPLES = 60;
const BATCH = 2000;

const transition = (workflowId, seq, to) => ({
  workflowId,
  lifecycle: 'push-provisioning',
  seq,
  from: seq === 1 ? '' : `s${seq - 1}`,
  event: seq === 1 ? 'STARTED' : `E${seq}`,
  to,
  at: new Date(seq * 1000).toISOString(),
});
const step = (workflowId, proxy, seq) => ({
  workflowId,
  lifecycle: 'push-provisioning',
  version: seq,
  state: `s${seq}`,
  view: { proxy, wallet: 'GOOGLE_PAY', tokenReferenceId: `tr-${workflowId}` },
  transition: transition(workflowId, seq, `s${seq}`),
});

const card = (proxy) => ({
  _id: proxy,
  proxy,
  status: 'ACTIVE',
  panCiphertext: 'x'.repeat(80),
  maskedPan: '555555******4444',
  lastFourDigits: '4444',
  expiryMonth: 12,
  expiryYear: 2030,
  holderName: 'MARIA',
  phoneNumber: '+5511999999999',
  email: null,
  programId: 'default',
  address: { city: 'Sao Paulo', country: 'BR' },
  createdAt: new Date(),
  updatedAt: new Date(),
});

async function preload(db, repos, from, to) {
  for (let start = from; start < to; start += BATCH) {
    const end = Math.min(to, start + BATCH);
    const lifecycles = [];
    const cards = [];
    for (let i = start; i < end; i++) {
      const workflowId = `push-provisioning:preloaded-${i}`;
      const proxy = `pre${String(i).padStart(17, '0')}`;
      const steps = [1, 2, 3, 4].map((seq) => step(workflowId, proxy, seq));
      lifecycles.push({ final: steps[3], trail: steps.map((s) => s.transition) });
      cards.push(card(proxy));
    }
    await repos.projections.bulkLoad(lifecycles);
    await db.collection('cards').insertMany(cards, { ordered: false });
  }
}

/** One push provisioning's queries, as the activities and the API's card listing make them. */
async function lifecycle(repos, n) {
  const { proxy } = await repos.cards.create({
    pan: '5555555555554444',
    expiryMonth: 12,
    expiryYear: 2030,
    holderName: 'MARIA',
    phoneNumber: '+5511999999999',
    address: { city: 'Sao Paulo', country: 'BR' },
    status: 'ACTIVE',
  });
  const workflowId = `push-provisioning:measured-${n}-${randomBytes(3).toString('hex')}`;
  const started = process.hrtime.bigint();
  await repos.projections.find(workflowId); // lastProjectedVersion
  await repos.projections.apply(step(workflowId, proxy, 1));
  await repos.cards.findMasked(proxy);
  await repos.projections.apply(step(workflowId, proxy, 2));
  await repos.cards.readSecrets(proxy);
  await repos.projections.apply(step(workflowId, proxy, 3));
  await repos.partnerEvents.recordAttempt(
    {
      eventId: `${workflowId}:created`,
      name: 'TOKEN_CREATED',
      proxy,
      wallet: 'GOOGLE_PAY',
      tokenReferenceId: 'tr',
      occurredAt: new Date().toISOString(),
    },
    200,
  );
  await repos.projections.apply(step(workflowId, proxy, 4));
  const listed = await repos.projections.findByProxy('push-provisioning', proxy);
  for (const p of listed) await repos.projections.trailOf(p.workflowId);
  return Number(process.hrtime.bigint() - started) / 1e6;
}

const summary = (times) => {
  const sorted = [...times].sort((a, b) => a - b);
  const mean = sorted.reduce((a, b) => a + b, 0) / sorted.length;
  return { p50: sorted[Math.floor(sorted.length / 2)], mean, p90: sorted[Math.floor(sorted.length * 0.9)] };
};

async function main() {
  let uri = process.env.MONGODB_URI;
  let child;
  let dir;
  if (!uri) {
    const port = await freePort();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tlo-cost-'));
    const postgres = option('postgres');
    const backend = postgres
      ? ['--handler=postgresql', `--postgresql-url=${postgres}`]
      : ['--handler=sqlite', `--sqlite-url=file:${dir}/`];
    child = startChild(
      'ferretdb',
      option('ferretdb') ?? path.join(TOOLS_BIN, 'ferretdb'),
      [
        ...backend,
        `--state-dir=${dir}`,
        `--listen-addr=127.0.0.1:${port}`,
        '--debug-addr=-',
        '--telemetry=disable',
        '--log-level=error',
      ],
      {},
    );
    await waitForPort(port, { name: 'FerretDB', child });
    uri = `mongodb://127.0.0.1:${port}/cost_${randomBytes(3).toString('hex')}`;
  }
  // One database per size on the same server, measured in alternation, so that load from anything
  // else on the machine falls on every size alike.
  const cipher = persistence.fieldCipherFor(`k:${randomBytes(32).toString('base64')}`);
  const stores = [];
  const rows = [];
  try {
    for (const size of sizes) {
      const connection = await persistence.connectMongo(uri.replace(/\/([^/]*)$/, `/$1_${size}`));
      const repos = persistence.createRepositories(connection, cipher);
      await persistence.ensureIndexes(repos);
      const t0 = Date.now();
      await preload(connection.db, repos, 0, size);
      process.stderr.write(
        `[cost] ${size} lifecycles stored (preload ${((Date.now() - t0) / 1000).toFixed(0)} s)\n`,
      );
      stores.push({ size, connection, repos, times: [] });
    }
    for (const store of stores) for (let i = 0; i < 5; i++) await lifecycle(store.repos, -i);
    for (let i = 0; i < SAMPLES; i++) {
      for (const store of stores) store.times.push(await lifecycle(store.repos, i));
    }
    for (const store of stores) {
      const m = summary(store.times);
      rows.push({ size: store.size, ...m });
      process.stderr.write(
        `[cost] ${store.size}: p50 ${m.p50.toFixed(1)} ms, mean ${m.mean.toFixed(1)} ms\n`,
      );
    }
  } finally {
    for (const store of stores) await store.connection.close();
    if (child) await stopChild(child);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  }
  const base = rows[0];
  process.stdout.write(
    '| stored lifecycles | DB time per push provisioning, p50 | mean | p90 | p50 vs first |\n',
  );
  process.stdout.write('|---|---|---|---|---|\n');
  for (const r of rows) {
    process.stdout.write(
      `| ${r.size.toLocaleString('en')} | ${r.p50.toFixed(1)} ms | ${r.mean.toFixed(1)} ms | ${r.p90.toFixed(1)} ms | ${((r.p50 / base.p50 - 1) * 100).toFixed(1)}% |\n`,
    );
  }
}

main().catch((error) => {
  process.stderr.write(`[cost] failed: ${error.stack}\n`);
  process.exit(1);
});
