// Loaded into the worker and the API with `node --require` by the benchmark only (never by
// `npm start`): sums the round-trip time of every MongoDB command their mongoose connections send,
// as the driver's command monitoring reports it (the connection string carries monitorCommands=true),
// and serves the totals as JSON on 127.0.0.1:$BENCH_DB_TIMING_PORT.
const { isMainThread } = require('node:worker_threads');

const port = Number(process.env.BENCH_DB_TIMING_PORT);
// The worker runs workflows in worker threads, which inherit --require: only the main thread counts.
if (isMainThread && port) {
  const http = require('node:http');
  const mongoose = require('mongoose');
  const totals = { commands: 0, ms: 0, failed: 0, byCommand: {} };
  const add = (event, failed) => {
    if (event.commandName === 'hello' || event.commandName === 'isMaster') return;
    totals.commands += 1;
    totals.ms += event.duration;
    if (failed) totals.failed += 1;
    const entry = (totals.byCommand[event.commandName] ??= { count: 0, ms: 0 });
    entry.count += 1;
    entry.ms += event.duration;
  };
  const watched = new WeakSet();
  setInterval(() => {
    for (const connection of mongoose.connections) {
      const client = connection.getClient?.();
      if (!client || watched.has(client)) continue;
      watched.add(client);
      client.on('commandSucceeded', (event) => add(event, false));
      client.on('commandFailed', (event) => add(event, true));
    }
  }, 20).unref();
  const server = http.createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(totals));
  });
  server.listen(port, '127.0.0.1');
  server.unref();
}
