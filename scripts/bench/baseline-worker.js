#!/usr/bin/env node
// The benchmark's bare-Temporal worker: the workflows of scripts/bench/baseline.workflows.js with
// no-op activities, default worker options, on BENCH_TEMPORAL_ADDRESS / BENCH_TASK_QUEUE.
const path = require('node:path');
const { NativeConnection, Worker, Runtime, makeTelemetryFilterString } = require('@temporalio/worker');

const activities = {
  lastProjectedVersion: async () => 0,
  projectTransition: async () => 'applied',
  checkCardForProvisioning: async () => ({ eligible: true }),
  issueWalletPayload: async () => ({ data: 'sealed', lastFourDigits: '4444' }),
};

async function main() {
  Runtime.install({ telemetryOptions: { logging: { filter: makeTelemetryFilterString({ core: 'WARN' }) } } });
  const connection = await NativeConnection.connect({ address: process.env.BENCH_TEMPORAL_ADDRESS });
  const worker = await Worker.create({
    connection,
    taskQueue: process.env.BENCH_TASK_QUEUE,
    workflowsPath: path.join(__dirname, 'baseline.workflows.js'),
    activities,
  });
  process.once('SIGTERM', () => worker.shutdown());
  process.once('SIGINT', () => worker.shutdown());
  process.stdout.write('baseline worker ready\n');
  await worker.run();
  await connection.close();
}

main().catch((error) => {
  process.stderr.write(`baseline worker failed: ${error.stack}\n`);
  process.exit(1);
});
