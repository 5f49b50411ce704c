import { TestWorkflowEnvironment } from '@temporalio/testing';
import { Worker } from '@temporalio/worker';
import type { Connection } from 'mongoose';
import { dataConverterFor } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { testServers } from '../setup/servers-file';
import { realActivityDeps } from './activities';
import { freshDatabase } from './mongo';
import { registerSearchAttributes } from './temporal';
import { WebhookReceiver } from './webhook-receiver';

export const PARTNER_SECRET = 'partner-secret';

/**
 * What a workflow test file runs on: a Java time-skipping test server, the real activities on a fresh
 * FerretDB database, and a local partner webhook receiver.
 */
export async function startWorkflowWorld(database: string) {
  const servers = testServers();
  const dataConverter = dataConverterFor(FIXTURE_PAYLOAD_CODEC_KEYS);
  const env = await TestWorkflowEnvironment.createTimeSkipping({
    server: { executable: { type: 'existing-path', path: servers.temporalTestServerPath } },
    client: { dataConverter },
  });
  await registerSearchAttributes(env);
  const mongo: Connection = (await freshDatabase(servers.mongoUri, database)).connection;
  const receiver = await new WebhookReceiver(PARTNER_SECRET).start();
  const real = await realActivityDeps(mongo, {
    partnerWebhookUrl: receiver.url,
    partnerWebhookSecret: PARTNER_SECRET,
  });
  return {
    ...real,
    env,
    mongo,
    receiver,
    dataConverter,
    /** A real worker with the prebuilt workflow bundle and the real activities (or others, built alike). */
    createWorker: (taskQueue: string, activities: object = real.activities) =>
      Worker.create({
        connection: env.nativeConnection,
        taskQueue,
        workflowBundle: { codePath: servers.workflowBundlePath },
        dataConverter,
        activities,
      }),
    /** Terminates the workflows a test file left running, so the test server stops cleanly. */
    async terminate(workflowIds: Iterable<string>): Promise<void> {
      for (const workflowId of workflowIds) {
        await env.client.workflow
          .getHandle(workflowId)
          .terminate('test done')
          .catch(() => undefined); // already closed
      }
    },
    async stop(): Promise<void> {
      await receiver.stop();
      await mongo.close();
      await env.teardown();
    },
  };
}

export type WorkflowWorld = Awaited<ReturnType<typeof startWorkflowWorld>>;
