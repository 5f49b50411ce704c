#!/usr/bin/env node
// Bundles the workflow code once into dist/workflow-bundle.js (used by the worker and the tests).
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '..');
const { bundleWorkflows } = require(path.join(ROOT, 'dist/libs/temporal/src/workflow-bundle'));

bundleWorkflows()
  .then(({ code }) => {
    fs.writeFileSync(path.join(ROOT, 'dist', 'workflow-bundle.js'), code);
    process.stderr.write(`[build] workflow bundle: ${(code.length / 1024).toFixed(0)} KiB\n`);
  })
  .catch((error) => {
    process.stderr.write(`[build] workflow bundle failed: ${error.message}\n`);
    process.exit(1);
  });
