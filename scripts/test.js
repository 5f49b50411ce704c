#!/usr/bin/env node
// `npm test`: the whole suite from a fresh clone. Installs npm dependencies if needed, checks lint,
// format and types, then runs jest once (global setup installs the real servers into .tools/, builds
// once and starts the shared servers). Extra arguments go to jest (e.g. `npm test -- test/unit`);
// SKIP_LINT=1 skips the static checks.
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, ensureDependencies } = require('./lib/processes');

const started = Date.now();
const bin = (name) => path.join(ROOT, 'node_modules', '.bin', name);
const run = (label, command, args) => {
  process.stderr.write(`[test] ${label}\n`);
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  return result.status === 0;
};

ensureDependencies();
let staticChecksPassed = true;
if (process.env.SKIP_LINT !== '1') {
  staticChecksPassed =
    run('eslint', bin('eslint'), ['.']) &&
    run('prettier --check', bin('prettier'), ['--check', '--log-level', 'warn', '.']) &&
    run('tsc --noEmit (sources and tests)', bin('tsc'), ['-p', 'tsconfig.json', '--noEmit']);
}

const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tlo-jest-')), 'report.json');
const jest = spawnSync(
  process.execPath,
  [
    path.join(ROOT, 'node_modules', 'jest', 'bin', 'jest.js'),
    '--runInBand',
    '--json',
    `--outputFile=${report}`,
    ...process.argv.slice(2),
  ],
  { cwd: ROOT, stdio: 'inherit' },
);

let passed = 0;
let failed = 0;
if (fs.existsSync(report)) {
  const results = JSON.parse(fs.readFileSync(report, 'utf8'));
  passed = results.numPassedTests;
  failed = results.numFailedTests + results.numRuntimeErrorTestSuites;
} else failed += 1; // jest wrote no report: it crashed or was killed
if (!staticChecksPassed) failed += 1;
const ok = jest.status === 0 && staticChecksPassed && passed > 0;
process.stderr.write(
  `[test] finished in ${((Date.now() - started) / 1000).toFixed(0)} s${staticChecksPassed ? '' : ' (static checks failed)'}\n`,
);
process.stdout.write(`tests: ${passed} passed, ${failed} failed\n`);
process.exit(ok ? 0 : 1);
