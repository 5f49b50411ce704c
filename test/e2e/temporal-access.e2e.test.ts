import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { temporal } from '@temporalio/proto';
import { ENCRYPTED_ENCODING, KEY_ID_METADATA, UNSEALED_ENCODING } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { testServers } from '../setup/servers-file';
import { Stack } from '../support/stack';
import { YellowPathDriver } from '../support/yellow-path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const processes = require('../../scripts/lib/processes');

const FIXTURE_KEY_ID = FIXTURE_PAYLOAD_CODEC_KEYS.split(':')[0];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real `temporal` CLI against the run's dev server, as anyone who reaches its port would use it. */
function temporalCli(args: string[]): Promise<CliRun> {
  const command = [...args, '--address', testServers().temporalAddress, '--namespace', 'default'];
  return new Promise((resolve) =>
    execFile(
      join(processes.TOOLS_BIN, 'temporal'),
      command,
      { timeout: 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    ),
  );
}

describe('reaching Temporal is not a way around the API', () => {
  let stack: Stack;
  let yellow: YellowPathDriver;

  beforeAll(async () => {
    stack = await Stack.start();
    yellow = new YellowPathDriver(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('input sent to Temporal without the payload key (temporal CLI)', () => {
    it('refuses a supportActivation update, ignores a signal, changes nothing, and the OTP still works', async () => {
      const path = await yellow.start();
      const handle = stack.client.workflow.getHandle(path.workflowId);
      const intruder = JSON.stringify({ agentId: 'intruder', reason: 'no OTP, no support.write' });

      const plain = await temporalCli([
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        path.workflowId,
        '--name',
        'supportActivation',
        '--input',
        intruder,
      ]);
      const stateNow = () => handle.query<{ state: string }>('state');
      expect(await stateNow()).toMatchObject({ state: 'awaitingMethod' });
      expect(plain.code).not.toBe(0);
      expect(plain.stderr).toContain(UNSEALED_ENCODING);

      // Made-up ciphertext labelled with the ring's real key id is refused the same way.
      const forged = await temporalCli([
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        path.workflowId,
        '--name',
        'supportActivation',
        '--input-meta',
        `encoding=${ENCRYPTED_ENCODING}`,
        '--input-meta',
        `${KEY_ID_METADATA}=${FIXTURE_KEY_ID}`,
        '--input-base64',
        '--input',
        randomBytes(64).toString('base64'),
      ]);
      expect(forged.code).not.toBe(0);
      expect(forged.stderr).toContain(UNSEALED_ENCODING);

      // The server takes any signal into history; the workflow has no signal handler to run.
      const signal = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        path.workflowId,
        '--name',
        'supportActivation',
        '--input',
        intruder,
      ]);
      expect(signal.code).toBe(0);

      expect(await stateNow()).toMatchObject({ state: 'awaitingMethod' });
      const view = await stack.request<{
        state: string;
        activatedBy: string | null;
        transitions: Array<{ event: string }>;
      }>('GET', `/tokenization-requests/${path.requestId}`, { token: yellow.wallet });
      expect(view.body).toMatchObject({ state: 'awaitingMethod', activatedBy: null });
      expect(view.body.transitions.map((t) => t.event)).not.toContain('SUPPORT_ACTIVATED');
      const accepted = (await handle.fetchHistory()).events!.filter(
        (event) =>
          event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED &&
          event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ===
            'supportActivation',
      );
      expect(accepted).toEqual([]);

      // The cardholder's own path is untouched: a code sent and typed activates the request.
      const code = await yellow.sendCode(path);
      expect(await yellow.verify(path, code)).toMatchObject({ result: 'VERIFIED' });
      expect(await yellow.state(path)).toBe('active');
      const activated = await stack.request<{ activatedBy: string }>(
        'GET',
        `/tokenization-requests/${path.requestId}`,
        {
          token: yellow.wallet,
        },
      );
      expect(activated.body.activatedBy).toBe('OTP');
    }, 120_000);
  });
});
