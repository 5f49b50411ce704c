#!/usr/bin/env node
// `npm run docs:charts`: writes each chart's Mermaid picture into its lifecycle page under docs/,
// between `<!-- chart:<name> -->` and `<!-- /chart:<name> -->`, from the XState machines the
// workflows run (built to dist/ first when the sources changed). test/unit/docs/charts.test.ts fails
// while a committed picture differs from this output.
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, ensureBuilt, ensureDependencies } = require('./lib/processes');

ensureDependencies();
ensureBuilt();
const { pagesWithCharts } = require(path.join(ROOT, 'dist', 'libs', 'machines', 'src'));

const pages = pagesWithCharts((page) => fs.readFileSync(path.join(ROOT, page), 'utf8'));
for (const [page, text] of pages) {
  const file = path.join(ROOT, page);
  const changed = fs.readFileSync(file, 'utf8') !== text;
  if (changed) fs.writeFileSync(file, text);
  process.stdout.write(`${changed ? 'wrote    ' : 'unchanged'} ${page}\n`);
}
