#!/usr/bin/env node
// `npm run -s token -- <scope> [<scope>...]`: prints a development bearer token (last line of stdout).
const { developmentToken } = require('./lib/token');

const scopes = process.argv.slice(2);
if (scopes.length === 0) {
  process.stderr.write('usage: npm run -s token -- <scope> [<scope>...]\n');
  process.exit(2);
}
process.stdout.write(`${developmentToken(scopes)}\n`);
