#!/usr/bin/env node
// `npm start`: the whole product on its embedded default, from a fresh clone.
// Installs what is missing, builds, starts Temporal (dev server + Web UI), FerretDB, the worker and the
// API, prints the URLs and a development token. Ctrl-C stops every child.
// TEMPORAL_ADDRESS / MONGODB_URI point at external servers instead; then nothing embedded starts.
const path = require('node:path');
const {
  ROOT,
  ensureDependencies,
  installTools,
  build,
  startChild,
  stopChild,
  waitForPort,
  portOpen,
} = require('./lib/processes');
const { startFerretDb, startTemporalDevServer } = require('./lib/servers');

const say = (line) => process.stdout.write(`[start] ${line}\n`);
const children = [];
let stopping = false;

async function stopAll(code) {
  if (stopping) return;
  stopping = true;
  say('stopping...');
  // API and worker first (they drain), then the servers they use.
  for (const child of [...children].reverse()) await stopChild(child);
  say('stopped');
  process.exit(code);
}

async function main() {
  ensureDependencies();
  const externalTemporal = Boolean(process.env.TEMPORAL_ADDRESS);
  const externalMongo = Boolean(process.env.MONGODB_URI);
  const tools = [...(externalTemporal ? [] : ['temporal']), ...(externalMongo ? [] : ['ferretdb'])];
  if (tools.length) {
    say(`checking tools: ${tools.join(', ')}`);
    installTools(tools);
  }
  say('building (tsc + workflow bundle)');
  build();

  const { loadConfig, loadAppleTrustAnchors, createLogger } = require(
    path.join(ROOT, 'dist/libs/config/src'),
  );
  const { issueToken } = require(path.join(ROOT, 'dist/apps/api/src/auth/jwt'));
  const config = loadConfig(process.env); // generates .data/secrets.json on first start
  // ApplePay chains must end at these roots; unless APPLE_PAY_TRUST_ANCHORS_PEM names them, the
  // development root is made into the data dir here, before the API and the worker read it.
  await loadAppleTrustAnchors(config);
  createLogger('start'); // config module loads cleanly

  const env = { ...process.env, TLO_DATA_DIR: config.dataDir };
  if (!externalMongo) {
    if (await portOpen(27017))
      throw new Error('port 27017 is taken: stop the other MongoDB/FerretDB or set MONGODB_URI');
    say('starting FerretDB (SQLite handler) on 127.0.0.1:27017');
    const ferret = await startFerretDb({ port: 27017, dataDir: path.join(config.dataDir, 'ferretdb') });
    children.push(ferret.child);
    env.MONGODB_URI = ferret.uri;
  }
  if (!externalTemporal) {
    if (await portOpen(7233))
      throw new Error('port 7233 is taken: stop the other Temporal server or set TEMPORAL_ADDRESS');
    say('starting Temporal dev server on 127.0.0.1:7233 (Web UI on :8233)');
    const temporal = await startTemporalDevServer({
      port: 7233,
      uiPort: 8233,
      dbFile: path.join(config.dataDir, 'temporal', 'temporal.db'),
      codecEndpoint: `${config.api.publicUrl}/codec`,
    });
    children.push(temporal.child);
    env.TEMPORAL_ADDRESS = temporal.address;
  }

  const workerMetrics = new URL(config.worker.metricsUrl);
  if (await portOpen(Number(workerMetrics.port), workerMetrics.hostname.replace(/^\[|\]$/g, '')))
    throw new Error(
      `${config.worker.metricsAddress} is taken: the worker serves its metrics there; set WORKER_METRICS_ADDRESS`,
    );
  say('starting worker');
  children.push(
    startChild('worker', process.execPath, [path.join(ROOT, 'dist/apps/worker/src/main.js')], { env }),
  );
  say('starting API');
  const api = startChild('api', process.execPath, [path.join(ROOT, 'dist/apps/api/src/main.js')], { env });
  children.push(api);
  // Watched before the API is up: a worker that fails at start (e.g. its metrics port) stops everything.
  for (const child of children) {
    child.once('exit', (code, signal) => {
      if (!stopping) {
        say(`${child.name} exited (${signal ?? code}); stopping everything`);
        void stopAll(1);
      }
    });
  }
  await waitForPort(config.api.port, { name: 'API', child: api, timeoutMs: 60_000 });

  const token = issueToken(config.auth.jwtSecret, config.auth.issuer, 'developer', [
    'cards.read',
    'cards.write',
    'card.pci.token.create',
    'wallet.events',
    'support.write',
    'programs.write',
    'standard-payments',
    'fop.admin',
    'shops.write',
    'backoffice.read',
  ]);
  // The codec server decrypts only for a signed-in operator: this token opens that session.
  const operatorToken = issueToken(config.auth.jwtSecret, config.auth.issuer, 'operator', ['codec.decode']);
  const url = config.api.publicUrl;
  const appleRoot = config.applePayTrustAnchorsPem
    ? 'APPLE_PAY_TRUST_ANCHORS_PEM'
    : `${path.join(config.dataDir, 'apple-dev-root.pem')} (device chains: npm run -s apple:dev-chain -- <dir>)`;
  process.stdout.write(
    [
      '',
      'Tokenization lifecycle orchestrator is running',
      `  API            ${url}`,
      `  OpenAPI docs   ${url}/docs`,
      `  Health         ${url}/health`,
      `  API metrics    ${url}/metrics`,
      `  Worker metrics ${config.worker.metricsUrl}`,
      `  Temporal UI    ${externalTemporal ? '(external Temporal: its own UI)' : 'http://127.0.0.1:8233'}`,
      `  Temporal gRPC  ${env.TEMPORAL_ADDRESS}   MongoDB ${env.MONGODB_URI.replace(/\/\/[^@]*@/, '//***@')}`,
      `  ApplePay root  ${appleRoot}`,
      '',
      '  Development token (12 h; more with `npm run -s token -- <scopes...>`):',
      `  ${token}`,
      '',
      '  Decoded payloads in the Temporal UI (the codec server requires an operator):',
      `  1. sign in at ${url}/codec/sign-in with this codec.decode token (session of up to 8 h):`,
      `     ${operatorToken}`,
      '  2. in the Temporal UI at http://127.0.0.1:8233 (same site as the API: the session cookie goes',
      `     with it), open Codec Server, choose "Use my browser setting", endpoint ${url}/codec,`,
      '     tick "Include cross-origin credentials", Apply.',
      '',
      'Ctrl-C stops everything.',
      '',
    ].join('\n'),
  );
}

process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));
main().catch(async (error) => {
  process.stderr.write(`[start] ${error.message}\n`);
  await stopAll(1);
});
