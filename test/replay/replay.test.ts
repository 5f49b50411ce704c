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
    const recorded = (lifecycle: string) => files.filter((file) => file.startsWith(`${lifecycle}-`)).length;
    expect(recorded('push-provisioning')).toBeGreaterThanOrEqual(3);
    expect(recorded('manual-provisioning')).toBeGreaterThanOrEqual(3);
    expect(recorded('fop-authentication')).toBeGreaterThanOrEqual(1);
    expect(recorded('fop-instrument')).toBeGreaterThanOrEqual(1);
    expect(recorded('smart-tap-keys')).toBeGreaterThanOrEqual(1);
    expect(recorded('saved-card')).toBeGreaterThanOrEqual(2);
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

  it.each([
    'push-provisioning',
    'manual-provisioning',
    'fop-authentication',
    'fop-instrument',
    'smart-tap-keys',
    'saved-card',
  ])('fails on a %s history replayed against changed workflow code (negative control)', async (lifecycle) => {
    const changed = await bundleWorkflowCode({
      workflowsPath: join(__dirname, '..', 'fixtures', 'nondeterministic', 'workflows.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const file = files.find((name) => name.startsWith(`${lifecycle}-`))!;
    const history = historyFromJSON(JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8')));
    await expect(
      Worker.runReplayHistory(
        { workflowBundle: changed, dataConverter: dataConverterFor(FIXTURE_PAYLOAD_CODEC_KEYS) },
        history,
        'changed',
      ),
    ).rejects.toBeInstanceOf(DeterminismViolationError);
  });
});
