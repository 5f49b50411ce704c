#!/usr/bin/env node
// `npm test`: installs what is missing (global setup does it, with progress), builds once and runs the
// whole suite (unit, workflow on the time-skipping server, e2e on the dev server + FerretDB, replay)
// in one jest run. Extra arguments go to jest (e.g. `npm test -- test/unit`).
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const started = Date.now();
const result = spawnSync(
  process.execPath,
  [path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'), '--runInBand', ...process.argv.slice(2)],
  { cwd: ROOT, stdio: 'inherit', env: { ...process.env, NODE_OPTIONS: '--max-old-space-size=4096' } },
);
process.stderr.write(`[test] finished in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
process.exit(result.status ?? 1);
