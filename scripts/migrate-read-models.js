#!/usr/bin/env node
// `npm run -s migrate:read-models`: converts the read models an older release wrote (rows found by
// secondary indexes) to this release's `_id`-keyed shape, in place, with progress on stderr. Run it
// with the API and worker stopped: they refuse to start on the old shape. It converts the database
// at MONGODB_URI, or else the embedded FerretDB's data of `npm start`, which it starts for the run.
const path = require('node:path');
const {
  ROOT,
  ensureBuilt,
  ensureDependencies,
  freePort,
  installTools,
  stopChild,
} = require('./lib/processes');

ensureDependencies();
ensureBuilt();
const { connectMongo, migrateReadModels } = require(path.join(ROOT, 'dist', 'libs', 'persistence', 'src'));
const { dataDirOf } = require(path.join(ROOT, 'dist', 'libs', 'config', 'src'));

async function main() {
  let uri = process.env.MONGODB_URI;
  let ferret;
  if (!uri) {
    installTools(['ferretdb']);
    const { startFerretDb } = require('./lib/servers');
    const dataDir = path.join(dataDirOf(process.env), 'ferretdb');
    process.stderr.write(`[migrate] starting the embedded FerretDB on ${dataDir}\n`);
    ferret = await startFerretDb({ port: await freePort(), dataDir });
    uri = ferret.uri;
  }
  const connection = await connectMongo(uri);
  try {
    const reports = await migrateReadModels(connection, (line) =>
      process.stderr.write(`[migrate] ${line}\n`),
    );
    for (const { collection, read, written } of reports) {
      process.stdout.write(`${collection}: ${read} read, ${written} written\n`);
    }
  } finally {
    await connection.close();
    if (ferret) await stopChild(ferret.child);
  }
}

main().catch((error) => {
  process.stderr.write(`[migrate] failed: ${error.message}\n`);
  process.exit(1);
});
