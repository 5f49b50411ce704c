#!/usr/bin/env node
// `npm run temporal -- <args>`: the Temporal CLI the product installs into .tools/bin, which is not
// on the PATH. It installs the CLI first if needed and talks to `npm start`'s dev server unless
// TEMPORAL_ADDRESS / TEMPORAL_NAMESPACE say otherwise, e.g.
//   npm run temporal -- workflow list --query 'WorkflowType = "pushProvisioning"'
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, installTools } = require('./lib/processes');

const cli = path.join(ROOT, '.tools', 'bin', 'temporal');
if (!fs.existsSync(cli)) installTools(['temporal']);
const result = spawnSync(cli, process.argv.slice(2), {
  stdio: 'inherit',
  env: {
    ...process.env,
    TEMPORAL_ADDRESS: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
    TEMPORAL_NAMESPACE: process.env.TEMPORAL_NAMESPACE ?? 'default',
  },
});
if (result.error) {
  process.stderr.write(`temporal: ${result.error.message}\n`);
  process.exit(1);
}
process.exit(result.status ?? 1);
