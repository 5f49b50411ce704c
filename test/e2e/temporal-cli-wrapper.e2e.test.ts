import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { testServers } from '../setup/servers-file';
import { runScript } from '../support/scripts';

/** `npm run temporal -- …` runs the CLI the product installs into .tools/bin, which is not on the PATH. */
describe('npm run temporal', () => {
  let connection: Connection;
  let client: Client;

  beforeAll(async () => {
    connection = await Connection.connect({ address: testServers().temporalAddress });
    client = new Client({ connection, namespace: 'default' });
  });
  afterAll(async () => {
    await connection?.close();
  });

  it('describes a workflow on the server TEMPORAL_ADDRESS names', async () => {
    const workflowId = `cli-wrapper-${randomUUID()}`;
    // No worker polls this queue: the run stays open, which is all `describe` needs.
    const handle = await client.workflow.start('cliWrapperProbe', {
      taskQueue: `cli-wrapper-${randomUUID()}`,
      workflowId,
    });
    try {
      const run = await runScript('temporal.js', ['workflow', 'describe', '--workflow-id', workflowId], {
        TEMPORAL_ADDRESS: testServers().temporalAddress,
      });
      expect(run.stderr).toBe('');
      expect(run.status).toBe(0);
      expect(run.stdout).toContain(workflowId);
      expect(run.stdout).toContain('cliWrapperProbe');
    } finally {
      await handle.terminate('test done');
    }
  });

  it('passes the CLI exit status through', async () => {
    const run = await runScript(
      'temporal.js',
      ['workflow', 'describe', '--workflow-id', `none-${randomUUID()}`],
      {
        TEMPORAL_ADDRESS: testServers().temporalAddress,
      },
    );
    expect(run.status).not.toBe(0);
    expect(run.stderr.toLowerCase()).toContain('not found');
  });
});
