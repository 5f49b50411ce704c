#!/usr/bin/env node
// `npm run audit:export|audit:replay|audit:trail -- ...`: the auditors' commands (apps/audit). Builds
// first when the sources changed, so replay always runs against today's workflow code.
const path = require('node:path');
const { ROOT, ensureBuilt, ensureDependencies } = require('./lib/processes');

ensureDependencies();
ensureBuilt();
require(path.join(ROOT, 'dist', 'apps', 'audit', 'src', 'main.js'));
