#!/usr/bin/env node
// `npm run bench`: the product against bare Temporal on its own stack (the servers of `npm start` on
// free loopback ports, data under a temp dir), then DB time per lifecycle as the data grows, the
// memory of idle actors, and the CPU-bound crypto paths. Numbers live here, never in unit tests.
//   --quick               short runs and small preloads (what `npm test` runs)
//   --only a,b            sections among throughput, idle, preload, crypto
const os = require('node:os');
const { ensureDependencies, ensureBuilt } = require('./lib/processes');

const SECTIONS = ['throughput', 'idle', 'preload', 'crypto']; // in the order they run
const args = process.argv.slice(2);
const quick = args.includes('--quick');
const onlyArg = args.find((a) => a.startsWith('--only'));
const asked = onlyArg
  ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : args[args.indexOf(onlyArg) + 1]).split(',')
  : SECTIONS;
for (const section of asked)
  if (!SECTIONS.includes(section)) throw new Error(`unknown section ${section}: ${SECTIONS.join(', ')}`);
const only = SECTIONS.filter((section) => asked.includes(section));

const PLAN = quick
  ? {
      runSeconds: 2,
      repetitions: 1,
      concurrency: [1, 8, 32],
      preloadLevels: [200, 1000],
      dbPreloadCapSeconds: 60,
      temporalPreloadCapSeconds: 20,
      measured: 3,
      measureCapSeconds: 30,
      idleLevels: [100],
      idleSecondsPerActor: 0.3,
      cryptoMs: 200,
    }
  : {
      runSeconds: 6,
      repetitions: 3,
      concurrency: [1, 8, 32],
      preloadLevels: [1000, 10_000, 100_000],
      dbPreloadCapSeconds: 200,
      temporalPreloadCapSeconds: 40,
      measured: 5,
      measureCapSeconds: 30,
      idleLevels: [1000, 10_000],
      // The worker opens about 15 push provisionings a second here: 10,000 take some 11 minutes.
      idleSecondsPerActor: 0.1,
      cryptoMs: 1500,
    };

const CASES = [
  { name: 'product: GooglePay push provisioning', key: 'push', product: true },
  { name: 'product: push lifecycle + wallet events', key: 'lifecycle', product: true },
  { name: 'product: yellow path (webhook OTP)', key: 'yellow', product: true },
  { name: 'same-shape bare Temporal', key: 'baseline' },
  { name: 'floor: empty update-with-start', key: 'floor' },
];

const out = (line = '') => process.stdout.write(`${line}\n`);
const progress = (line) => process.stdout.write(`[bench] ${line}\n`);
const seconds = (ms) => `${(ms / 1000).toFixed(0)} s`;
const fmt = (value, digits = 1) =>
  value === undefined || Number.isNaN(value) ? 'n/a' : Number(value).toFixed(digits);
const range = (values, digits = 1) => {
  const { median } = require('./bench/load');
  const clean = values.filter((v) => !Number.isNaN(v));
  if (clean.length === 0) return 'n/a';
  if (clean.length === 1) return fmt(clean[0], digits);
  return `${fmt(median(clean), digits)} (${fmt(Math.min(...clean), digits)}–${fmt(Math.max(...clean), digits)})`;
};

function table(headers, rows) {
  const cells = [headers, ...rows].map((row) => row.map(String));
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const line = (row) => `| ${row.map((cell, i) => cell.padEnd(widths[i])).join(' | ')} |`;
  out(line(cells[0]));
  out(`|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`);
  for (const row of cells.slice(1)) out(line(row));
}

/** The time allowed to open this many more idle actors. */
const idleCapSeconds = (level) => Math.ceil(30 + level * PLAN.idleSecondsPerActor);

/** The longest the run may take: each section's runs plus its caps on preloading and drains. */
function bound() {
  const parts = {
    throughput: CASES.length * PLAN.concurrency.length * PLAN.repetitions * (PLAN.runSeconds + 6) + 60,
    preload:
      PLAN.preloadLevels.length * (PLAN.temporalPreloadCapSeconds + PLAN.measureCapSeconds) +
      PLAN.dbPreloadCapSeconds +
      60,
    idle: PLAN.idleLevels.reduce((sum, level) => sum + idleCapSeconds(level) + PLAN.measureCapSeconds, 90),
    crypto: (5 * (PLAN.cryptoMs + 300)) / 1000,
  };
  return only.reduce((sum, section) => sum + parts[section], 60);
}

async function throughput(stack, product, temporal) {
  const { closedLoop, median } = require('./bench/load');
  await stack.startProduct('bench_throughput');
  await product.open();
  const runs = new Map();
  const lastRate = new Map();
  const op = (key) => {
    if (key === 'push') return async () => product.push(await product.card('default'));
    if (key === 'lifecycle') return async () => product.lifecycle(await product.card('default'));
    if (key === 'yellow') return async () => product.yellow(await product.card('yellow'));
    if (key === 'baseline') return () => temporal.sameShape();
    return () => temporal.floor();
  };
  for (const benchCase of CASES) {
    const run = op(benchCase.key);
    const pool = benchCase.key === 'yellow' ? 'yellow' : 'default';
    progress(`${benchCase.name}: warm-up`);
    if (benchCase.product) await product.fillPool(pool, 3);
    for (let i = 0; i < 3; i++) await run();
    for (const concurrency of PLAN.concurrency) {
      for (let repetition = 1; repetition <= PLAN.repetitions; repetition++) {
        if (benchCase.product) {
          const expected = Math.ceil((lastRate.get(benchCase.key) ?? 4) * PLAN.runSeconds * 1.5);
          await product.fillPool(pool, expected + concurrency);
        }
        progress(
          `${benchCase.name}: concurrency ${concurrency}, run ${repetition}/${PLAN.repetitions} (${PLAN.runSeconds} s)`,
        );
        const result = await closedLoop({ concurrency, durationMs: PLAN.runSeconds * 1000, op: run });
        lastRate.set(benchCase.key, Math.max(result.reqPerS, 1));
        for (const [kind, count] of result.errorKinds) progress(`  ${count} × error: ${kind}`);
        const id = `${benchCase.key}:${concurrency}`;
        runs.set(id, [...(runs.get(id) ?? []), result]);
      }
    }
  }
  await product.close();
  out();
  out(
    `## Throughput: closed loop, ${PLAN.runSeconds} s per run, ${PLAN.repetitions} run(s) per cell; median (min–max)`,
  );
  table(
    ['case', 'concurrency', 'req/s', 'p50 ms', 'p99 ms', 'errors'],
    CASES.flatMap((benchCase) =>
      PLAN.concurrency.map((concurrency) => {
        const results = runs.get(`${benchCase.key}:${concurrency}`);
        return [
          benchCase.name,
          concurrency,
          range(
            results.map((r) => r.reqPerS),
            2,
          ),
          range(
            results.map((r) => r.p50),
            0,
          ),
          range(
            results.map((r) => r.p99),
            0,
          ),
          results.reduce((sum, r) => sum + r.errors, 0),
        ];
      }),
    ),
  );
  out();
  out('## Ratios of median req/s (push provisioning is the shape the baseline copies)');
  const rate = (key, concurrency) => median(runs.get(`${key}:${concurrency}`).map((r) => r.reqPerS));
  const p99 = (key, concurrency) => median(runs.get(`${key}:${concurrency}`).map((r) => r.p99));
  table(
    ['product case', 'concurrency', 'product / baseline', 'product / floor', 'p99 product / baseline'],
    CASES.filter((c) => c.product).flatMap((benchCase) =>
      PLAN.concurrency.map((concurrency) => [
        benchCase.name,
        concurrency,
        fmt(rate(benchCase.key, concurrency) / rate('baseline', concurrency), 2),
        fmt(rate(benchCase.key, concurrency) / rate('floor', concurrency), 2),
        fmt(p99(benchCase.key, concurrency) / p99('baseline', concurrency), 2),
      ]),
    ),
  );
}

/** Runs up to `count` whole push lifecycles one after another (at most `capSeconds`), with DB time. */
async function measureLifecycles(stack, product, count, capSeconds) {
  const { percentile } = require('./bench/load');
  await product.fillPool('default', count);
  await new Promise((r) => setTimeout(r, 1000)); // let earlier work settle before the counters are read
  const before = await stack.dbTotals();
  const cpuBefore = stack.cpuSeconds('ferretdb');
  const pushes = [];
  const wholes = [];
  let errors = 0;
  const deadline = performance.now() + capSeconds * 1000;
  // At least one attempt, however long it takes (up to the HTTP time limit per request).
  while (pushes.length + errors < count && (pushes.length + errors === 0 || performance.now() < deadline)) {
    const proxy = await product.card('default');
    const t0 = performance.now();
    try {
      await product.push(proxy);
      pushes.push(performance.now() - t0);
      const tokenReferenceId = `BENCH${Math.random().toString(16).slice(2, 12).toUpperCase()}`;
      await product.walletEvent(proxy, 'TOKEN_ACTIVATED', tokenReferenceId);
      await product.walletEvent(proxy, 'TOKEN_DELETED', tokenReferenceId);
      wholes.push(performance.now() - t0);
    } catch (error) {
      errors += 1;
      progress(`  error: ${error.message}`);
    }
  }
  await new Promise((r) => setTimeout(r, 1000)); // partner events and the actor's end, after the answers
  const after = await stack.dbTotals();
  const n = Math.max(wholes.length, 1);
  pushes.sort((a, b) => a - b);
  wholes.sort((a, b) => a - b);
  return {
    n: wholes.length,
    errors,
    dbMs: (after.ms - before.ms) / n,
    commands: (after.commands - before.commands) / n,
    ferretCpuMs: ((stack.cpuSeconds('ferretdb') - cpuBefore) * 1000) / n,
    pushP50: percentile(pushes, 0.5),
    wholeP50: percentile(wholes, 0.5),
  };
}

/** A push provisioning's read model and trail as the product leaves them once the token is deleted. */
function finishedLifecycle(workflowId, proxy, at) {
  const steps = [
    ['', 'STARTED', 'idle'],
    ['idle', 'PAYLOAD_REQUESTED', 'checkingCard'],
    ['checkingCard', 'CARD_ELIGIBLE', 'issuingPayload'],
    ['issuingPayload', 'PAYLOAD_ISSUED', 'awaitingWallet'],
    ['awaitingWallet', 'TOKEN_ACTIVATED', 'active'],
    ['active', 'TOKEN_DELETED', 'removed'],
  ];
  const lifecycle = 'PushProvisioning';
  const trail = steps.map(([from, event, to], seq) => ({ workflowId, lifecycle, seq, from, event, to, at }));
  const last = trail[trail.length - 1];
  return {
    final: {
      workflowId,
      lifecycle,
      version: last.seq,
      state: 'removed',
      view: {
        proxy,
        wallet: 'GooglePay',
        payloadsIssued: 1,
        activeTokens: [],
        removedTokens: ['BENCHPRELOAD'],
        rejection: null,
      },
      transition: last,
    },
    trail,
  };
}

async function preload(stack, product, temporal) {
  const path = require('node:path');
  const { ROOT } = require('./lib/processes');
  const { LIFECYCLES } = require(path.join(ROOT, 'dist/libs/domain/src'));
  await stack.startProduct('bench_preload');
  await product.open();
  progress('preload: warm-up lifecycle');
  await measureLifecycles(stack, product, 2, 60);
  const rows = [];
  let inDb = 0;
  let inTemporal = 0;
  // Loading the database shares one cap over all levels; Temporal's gets its own per level.
  let dbLoadingMs = 0;
  for (const level of PLAN.preloadLevels) {
    const started = performance.now();
    while (inDb < level && dbLoadingMs + (performance.now() - started) < PLAN.dbPreloadCapSeconds * 1000) {
      const batch = Math.min(1000, level - inDb);
      const proxies = await product.createCards(batch, { parallel: 16 });
      const at = new Date().toISOString();
      await product.repositories.projections.bulkLoad(
        proxies.map((proxy) =>
          finishedLifecycle(LIFECYCLES.pushProvisioning.workflowId(proxy, 'GooglePay'), proxy, at),
        ),
      );
      inDb += batch;
      if (inDb % 5000 === 0 || inDb === level)
        progress(
          `preload: ${inDb} / ${level} lifecycles in the database (${seconds(performance.now() - started)})`,
        );
    }
    dbLoadingMs += performance.now() - started;
    const temporalStarted = performance.now();
    const temporalDeadline = temporalStarted + PLAN.temporalPreloadCapSeconds * 1000;
    while (inTemporal < level && performance.now() < temporalDeadline) {
      const batch = Math.min(500, level - inTemporal);
      await temporal.preloadCompleted(batch);
      inTemporal += batch;
      if (inTemporal % 2000 === 0 || inTemporal === level)
        progress(
          `preload: ${inTemporal} / ${level} finished workflows in Temporal (${seconds(performance.now() - temporalStarted)})`,
        );
    }
    progress(`preload: measuring up to ${PLAN.measured} lifecycles with ${inDb} stored`);
    const measured = await measureLifecycles(stack, product, PLAN.measured, PLAN.measureCapSeconds);
    rows.push([
      level,
      inDb,
      inTemporal,
      measured.n,
      measured.errors,
      fmt(measured.dbMs, 0),
      fmt(measured.commands, 0),
      fmt(measured.ferretCpuMs, 0),
      fmt(measured.pushP50, 0),
      fmt(measured.wholeP50, 0),
    ]);
  }
  await product.close();
  out();
  out('## Preloaded lifecycles: one whole push lifecycle at a time (push, activation, deletion)');
  out('DB ms = MongoDB command round trips summed over the worker and the API (driver command');
  out('monitoring), per lifecycle; FerretDB CPU = its process CPU time per lifecycle.');
  table(
    [
      'target',
      'in database',
      'in Temporal',
      'measured',
      'errors',
      'DB ms / lifecycle',
      'DB commands',
      'FerretDB CPU ms',
      'push p50 ms',
      'lifecycle p50 ms',
    ],
    rows,
  );
}

async function idle(stack, product) {
  await stack.startProduct('bench_idle');
  await product.open();
  progress('idle: warm-up lifecycles');
  await measureLifecycles(stack, product, 3, 60);
  const rss = () => ['worker', 'api', 'temporal', 'ferretdb'].map((name) => fmt(stack.rssMb(name), 0));
  const measure = async (open, target) => {
    progress(`idle: measuring with ${open} open actors`);
    const measured = await measureLifecycles(stack, product, PLAN.measured, PLAN.measureCapSeconds);
    await new Promise((r) => setTimeout(r, 2000));
    return [target, open, ...rss(), measured.n, fmt(measured.pushP50, 0), fmt(measured.wholeP50, 0)];
  };
  const rows = [await measure(0, 0)];
  let open = 0;
  for (const level of PLAN.idleLevels) {
    const started = performance.now();
    const deadline = started + idleCapSeconds(level - open) * 1000;
    while (open < level && performance.now() < deadline) {
      const batch = Math.min(200, level - open);
      const proxies = await product.createCards(batch, { parallel: 16 });
      let next = 0;
      // No new actor once the cap is reached: the ones in flight finish, the rest of the cards stay unused.
      const opener = async () => {
        while (next < proxies.length && performance.now() < deadline) {
          await product.push(proxies[next++]).then(
            () => (open += 1),
            (error) => progress(`  error: ${error.message}`),
          );
        }
      };
      await Promise.all(Array.from({ length: 16 }, opener));
      progress(
        `idle: ${open} / ${level} actors waiting for their wallet event (${seconds(performance.now() - started)})`,
      );
    }
    rows.push(await measure(open, level));
  }
  await product.close();
  out();
  out('## Idle actors: open push provisionings waiting for their wallet event; RSS in MB (VmRSS)');
  table(
    [
      'target',
      'open',
      'worker',
      'API',
      'Temporal',
      'FerretDB',
      'measured',
      'new push p50 ms',
      'lifecycle p50 ms',
    ],
    rows,
  );
}

async function main() {
  ensureDependencies();
  ensureBuilt();
  const started = performance.now();
  out(
    `[bench] ${quick ? 'quick run' : 'full run'}: sections ${only.join(', ')}; bounded at about ${Math.ceil(bound() / 60)} min`,
  );
  out(
    `[bench] node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${new Date().toISOString()}`,
  );
  const timings = [];
  const timed = async (name, fn) => {
    const t0 = performance.now();
    await fn();
    timings.push([name, seconds(performance.now() - t0)]);
  };
  const needsStack = only.some((section) => section !== 'crypto');
  const { BenchStack } = require('./bench/stack');
  const { Product } = require('./bench/product');
  const { BareTemporal } = require('./bench/temporal');
  const stack = needsStack ? new BenchStack() : null;
  let stopping = false;
  const stop = async (code) => {
    if (stopping) return;
    stopping = true;
    if (stack) {
      progress('stopping the stack');
      await stack.stop();
      // Kept when the run failed: its logs/ say why.
      if (code === 0) require('node:fs').rmSync(stack.dataDir, { recursive: true, force: true });
      else progress(`data and logs kept in ${stack.dataDir}`);
    }
    process.exit(code);
  };
  process.on('SIGINT', () => void stop(130));
  process.on('SIGTERM', () => void stop(143));
  try {
    let temporal = null;
    if (stack) {
      progress(`starting the stack (FerretDB, Temporal dev server, baseline worker) in ${stack.dataDir}`);
      await timed('stack start', () => stack.start());
      temporal = await BareTemporal.connect(stack);
    }
    if (only.includes('throughput'))
      await timed('throughput', () => throughput(stack, new Product(stack), temporal));
    if (only.includes('idle')) await timed('idle actors', () => idle(stack, new Product(stack)));
    if (only.includes('preload')) await timed('preload', () => preload(stack, new Product(stack), temporal));
    if (only.includes('crypto')) {
      const { cryptoRows, CRYPTO_HEADERS } = require('./bench/crypto');
      await timed('crypto', async () => {
        const rows = await cryptoRows({ minMs: PLAN.cryptoMs });
        out();
        out('## Crypto micro-benchmarks (this process)');
        table(CRYPTO_HEADERS, rows);
      });
    }
    await temporal?.close();
    out();
    out('## Sections');
    table(['section', 'took'], [...timings, ['total', seconds(performance.now() - started)]]);
    await stop(0);
  } catch (error) {
    process.stderr.write(`[bench] failed: ${error.stack}\n`);
    if (stack)
      for (const name of ['worker', 'api']) process.stderr.write(`--- ${name} log\n${stack.tail(name)}\n`);
    await stop(1);
  }
}

main();
