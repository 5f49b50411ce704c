import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { DeterminismViolationError } from '@temporalio/workflow';
import { Worker, bundleWorkflowCode } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { dataConverterFor } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { testServers } from '../setup/servers-file';

const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(HISTORIES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();

/**
 * Auditors' guarantee: histories recorded from real runs (`RECORD_HISTORIES=1 npm test -- test/e2e`)
 * replay against today's workflow code without a determinism violation.
 */
describe('replay of committed histories', () => {
  it('has recorded histories of every lifecycle', () => {
    expect(files.filter((file) => file.startsWith('push-provisioning-')).length).toBeGreaterThanOrEqual(3);
  });

  it.each(files)('%s replays against the current workflow code', async (file) => {
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    expect(history.events?.length).toBeGreaterThan(10);
    await Worker.runReplayHistory(
      {
        workflowBundle: { codePath: testServers().workflowBundlePath },
        dataConverter: dataConverterFor(FIXTURE_PAYLOAD_CODEC_KEYS),
      },
      history,
      file.replace(/\.json$/, ''),
    );
  });

  it('fails on a history replayed against changed workflow code (negative control)', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: join(__dirname, '..', 'fixtures', 'nondeterministic', 'workflows.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, files[0]), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: changed, dataConverter: dataConverterFor(FIXTURE_PAYLOAD_CODEC_KEYS) },
        history,
        'changed',
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
