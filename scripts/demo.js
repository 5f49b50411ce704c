#!/usr/bin/env node
// `npm run demo`: drives every lifecycle over HTTP against a running `npm start`, the way the README's
// walkthroughs do, printing one line per HTTP step and a Temporal Web UI link per workflow it drove.
// API_URL (http://127.0.0.1:3000), TEMPORAL_UI_URL (http://127.0.0.1:8233) and TEMPORAL_NAMESPACE
// (else the namespace the API reports) say where; tokens are signed like `npm run token` does
// (JWT_SECRET, else .data/secrets.json); the Apple Pay device chain is issued under the development root
// of the data dir (TLO_DATA_DIR, else .data/). Fresh ids on every run; the first unexpected answer stops it.
const { UnexpectedStatusError } = require('./lib/steps');
const { UnexpectedAnswerError, demoContext } = require('./demo/context');
const { ApiUnreachableError, apiCaller } = require('./lib/http');
const output = require('./demo/output');

const LIFECYCLES = [
  require('./demo/push-provisioning'),
  require('./demo/manual-provisioning'),
  require('./demo/tokenized-fop'),
  require('./demo/smart-tap'),
  require('./demo/customer-wallet'),
];

const withoutSlash = (url) => url.replace(/\/+$/, '');
const apiUrl = withoutSlash(process.env.API_URL || 'http://127.0.0.1:3000');
const uiUrl = withoutSlash(process.env.TEMPORAL_UI_URL || 'http://127.0.0.1:8233');

/** Fails fast when nothing answers at API_URL; answers the Temporal namespace the API uses. */
async function reachApi() {
  let health;
  try {
    health = await apiCaller(apiUrl)('GET', '/health', undefined, { timeoutMs: 5000 });
  } catch (error) {
    throw new ApiUnreachableError(
      `${error.message}\n[demo] start the product first with npm start (or point API_URL at it)`,
    );
  }
  if (health.status !== 200) {
    throw new UnexpectedStatusError(
      { what: 'the API is healthy (Temporal and MongoDB answer)', method: 'GET', route: '/health' },
      health,
    );
  }
  return health.body?.info?.temporal?.namespace;
}

/** Prints why the demo stopped: the failed step with the answer, or the unreachable API. */
function reportFailure(error, secrets) {
  if (error instanceof UnexpectedStatusError || error instanceof UnexpectedAnswerError)
    output.failure(error, secrets);
  else process.stderr.write(`[demo] ${error instanceof ApiUnreachableError ? error.message : error.stack}\n`);
}

async function main() {
  let ctx = null;
  try {
    const reported = await reachApi();
    const target = { apiUrl, uiUrl, namespace: process.env.TEMPORAL_NAMESPACE || reported || 'default' };
    output.out(`[demo] API ${apiUrl} is healthy; Temporal namespace ${target.namespace}, Web UI ${uiUrl}`);
    ctx = demoContext(target);
    output.out(`[demo] run ${ctx.runId}: every id below is new`);
    for (const lifecycle of LIFECYCLES) {
      ctx.begin(lifecycle.title);
      await lifecycle.run(ctx);
    }
    output.summary(target, ctx.workflows);
    output.out();
    output.out(`[demo] done: ${ctx.workflows.length} workflows driven over HTTP`);
    return 0;
  } catch (error) {
    reportFailure(error, ctx?.secrets ?? []);
    return 1;
  }
}

main().then((code) => process.exit(code));
