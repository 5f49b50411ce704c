import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVERS_FILE, TEST_STATE_DIR, type TestServers } from './servers-file';

// Plain require: global setup runs outside jest's module mapper.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const processes = require('../../scripts/lib/processes');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const servers = require('../../scripts/lib/servers');

type Child = { pid: number };
declare global {
  var __TLO_TEST_CHILDREN__: Child[] | undefined;
}

/**
 * Starts the servers the whole run shares, once: FerretDB (SQLite, throwaway data dir) and a Temporal
 * dev server (in memory, headless, the product's search attributes). Builds dist/ and the workflow
 * bundle once. Workflow suites start their own time-skipping server (its clock is global to it).
 */
export default async function globalSetup(): Promise<void> {
  const started = Date.now();
  const log = (line: string) => process.stderr.write(`[test-setup] ${line}\n`);
  processes.installTools(['temporal', 'ferretdb', 'test-server', 'chromium']);
  log('building dist/ and the workflow bundle');
  processes.build({ quiet: true });

  reapServersOfKilledRun();
  rmSync(TEST_STATE_DIR, { recursive: true, force: true });
  mkdirSync(TEST_STATE_DIR, { recursive: true });
  const quiet = null; // server logs would drown the test report; failures surface as test errors
  const ferret = await servers.startFerretDb({
    port: await processes.freePort(),
    dataDir: join(TEST_STATE_DIR, 'ferretdb'),
    output: quiet,
  });
  const temporal = await servers.startTemporalDevServer({
    port: await processes.freePort(),
    httpPort: await processes.freePort(),
    metricsPort: await processes.freePort(),
    uiPort: null,
    dbFile: null,
    output: quiet,
  });
  globalThis.__TLO_TEST_CHILDREN__ = [temporal.child, ferret.child];

  const state: TestServers & { pids: number[] } = {
    pids: [temporal.child.pid, ferret.child.pid],
    temporalAddress: temporal.address,
    mongoUri: ferret.uri,
    workflowBundlePath: join(processes.ROOT, 'dist', 'workflow-bundle.js'),
    temporalTestServerPath: join(processes.TOOLS_BIN, 'temporal-test-server'),
  };
  writeFileSync(SERVERS_FILE, JSON.stringify(state, null, 2));
  log(
    `servers ready in ${Date.now() - started} ms: Temporal ${state.temporalAddress}, FerretDB ${state.mongoUri}`,
  );
}

/** A run killed before its teardown leaves its servers behind: stop them before starting new ones. */
function reapServersOfKilledRun(): void {
  if (!existsSync(SERVERS_FILE)) return;
  const { pids = [] } = JSON.parse(readFileSync(SERVERS_FILE, 'utf8')) as { pids?: number[] };
  for (const pid of pids) {
    try {
      process.kill(-pid, 'SIGKILL'); // each server runs in its own process group
    } catch {
      // already gone
    }
  }
}
