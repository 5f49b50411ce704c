#!/usr/bin/env node
// `npm run -s token -- [--subject <sub>] <scope> [<scope>...]`: prints a development bearer token (last
// line of stdout). The subject is the tenant the token acts for (default `cli`): a shop calls the
// customer-wallet services with its shop id, a Smart Tap terminal with its collector id.
const { developmentToken } = require('./lib/token');

const args = process.argv.slice(2);
let subject = 'cli';
const at = args.indexOf('--subject');
if (at !== -1) {
  subject = args[at + 1];
  args.splice(at, 2);
}
if (args.length === 0 || !subject) {
  process.stderr.write('usage: npm run -s token -- [--subject <sub>] <scope> [<scope>...]\n');
  process.exit(2);
}
process.stdout.write(`${developmentToken(args, subject)}\n`);
