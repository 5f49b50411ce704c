#!/usr/bin/env node
// `npm run -s token -- <scope> [<scope>...]`: prints a development bearer token (last line of stdout).
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, build, ensureDependencies } = require('./lib/processes');

const scopes = process.argv.slice(2);
if (scopes.length === 0) {
  process.stderr.write('usage: npm run -s token -- <scope> [<scope>...]\n');
  process.exit(2);
}
ensureDependencies();
if (!fs.existsSync(path.join(ROOT, 'dist/apps/api/src/auth/jwt.js'))) build({ quiet: true });
const { loadConfig } = require(path.join(ROOT, 'dist/libs/config/src'));
const { issueToken } = require(path.join(ROOT, 'dist/apps/api/src/auth/jwt'));
const config = loadConfig(process.env);
process.stdout.write(`${issueToken(config.auth.jwtSecret, config.auth.issuer, 'cli', scopes)}\n`);
