// The real servers of the embedded default: FerretDB (SQLite handler) and the Temporal dev server.
const fs = require('node:fs');
const path = require('node:path');
const { TOOLS_BIN, startChild, waitForPort } = require('./processes');

function searchAttributeArgs() {
  const { devServerSearchAttributeArgs } = require(
    path.join(__dirname, '..', '..', 'dist', 'libs', 'domain', 'src'),
  );
  return devServerSearchAttributeArgs();
}

/** FerretDB 1.24 with its SQLite handler; data in `dataDir`, telemetry off. */
async function startFerretDb({ port, dataDir, output }) {
  fs.mkdirSync(dataDir, { recursive: true });
  const child = startChild(
    'ferretdb',
    path.join(TOOLS_BIN, 'ferretdb'),
    [
      '--handler=sqlite',
      `--sqlite-url=file:${dataDir}/`,
      `--state-dir=${dataDir}`,
      `--listen-addr=127.0.0.1:${port}`,
      '--debug-addr=-',
      '--telemetry=disable',
      '--log-level=error',
    ],
    { output },
  );
  await waitForPort(port, { name: 'FerretDB', child });
  return { child, uri: `mongodb://127.0.0.1:${port}/tokenization` };
}

/**
 * `temporal server start-dev` with the product's search attributes. `dbFile` null keeps it in memory;
 * `uiPort` null runs it headless.
 */
async function startTemporalDevServer({
  port,
  uiPort,
  httpPort,
  metricsPort,
  dbFile,
  codecEndpoint,
  output,
}) {
  const args = ['server', 'start-dev', '--ip', '127.0.0.1', '--port', String(port), '--log-level', 'warn'];
  if (httpPort) args.push('--http-port', String(httpPort));
  if (metricsPort) args.push('--metrics-port', String(metricsPort));
  if (dbFile) {
    fs.mkdirSync(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  if (uiPort) {
    args.push('--ui-port', String(uiPort));
    if (codecEndpoint) args.push('--ui-codec-endpoint', codecEndpoint);
  } else {
    args.push('--headless');
  }
  args.push(...searchAttributeArgs());
  const child = startChild('temporal', path.join(TOOLS_BIN, 'temporal'), args, { output });
  await waitForPort(port, { name: 'Temporal dev server', child });
  if (uiPort) await waitForPort(uiPort, { name: 'Temporal Web UI', child });
  return { child, address: `127.0.0.1:${port}` };
}

module.exports = { startFerretDb, startTemporalDevServer };
