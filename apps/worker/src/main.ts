import 'reflect-metadata';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { NativeConnection, Runtime, Worker, makeTelemetryFilterString } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { type AppConfig, CONFIG, createLogger } from '@tlo/config';
import { MONGO } from '@tlo/persistence';
import { REPO_ROOT, bundleWorkflows, dataConverterFor } from '@tlo/temporal';
import type { Activities } from '../../../activities';
import { sdkLogger } from './sdk-logger';
import { ACTIVITIES, WorkerModule } from './worker.module';

const log = createLogger('worker', process.env.LOG_LEVEL);

/** Prebuilt bundle from `npm run build` when present, else bundled from source now. */
async function workflowBundle() {
  const prebuilt = process.env.WORKFLOW_BUNDLE_PATH ?? join(REPO_ROOT, 'dist', 'workflow-bundle.js');
  if (existsSync(prebuilt)) return { codePath: prebuilt };
  log.info('bundling workflow code from source');
  return bundleWorkflows();
}

async function main(): Promise<void> {
  const context = await NestFactory.createApplicationContext(WorkerModule, { logger: ['error', 'warn'] });
  const config = context.get<AppConfig>(CONFIG);
  Runtime.install({
    logger: sdkLogger(log),
    telemetryOptions: {
      // Core's own messages (e.g. a failing workflow task) go through the same JSON logger.
      logging: { filter: makeTelemetryFilterString({ core: 'WARN' }), forward: {} },
      metrics: { prometheus: { bindAddress: config.worker.metricsAddress } },
    },
  });
  const activities = context.get<Activities>(ACTIVITIES);
  const connection = await NativeConnection.connect(config.temporal.connection);
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    workflowBundle: await workflowBundle(),
    activities,
    dataConverter: dataConverterFor(config.codec.keyRing),
    ...config.worker.capacity,
  });
  const stop = (signal: string) => {
    log.info('shutting down', { signal });
    worker.shutdown();
  };
  process.once('SIGINT', () => stop('SIGINT'));
  process.once('SIGTERM', () => stop('SIGTERM'));
  log.info('worker started', {
    temporal: config.temporal.address,
    tls: Boolean(config.temporal.connection.tls),
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    metrics: config.worker.metricsUrl,
    ...config.worker.capacity,
  });
  await worker.run();
  await connection.close();
  await context.get<Connection>(MONGO).close();
  await context.close();
  log.info('worker stopped');
}

main().catch((error: unknown) => {
  log.error('worker failed', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
