#!/usr/bin/env node
// `npm run -s token -- [--subject <sub>] <scope> [<scope>...]`: prints a development bearer token (last
// line of stdout). A shop calls the customer-wallet services with a token whose subject is its id.
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
