import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { type ReplayOutcome, formatReplayOutcome, historiesInDirectory, replayHistories } from '@tlo/audit';
import { LIFECYCLE_NAMES } from '@tlo/domain';
import { dataConverterFor } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { testServers } from '../setup/servers-file';

const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const files = readdirSync(HISTORIES_DIR)
  .filter((file) => file.endsWith('.json'))
  .sort();
const LIFECYCLES = LIFECYCLE_NAMES;

async function replayAll(workflowBundle: { codePath: string } | { code: string }): Promise<ReplayOutcome[]> {
  const outcomes: ReplayOutcome[] = [];
  for await (const outcome of replayHistories(historiesInDirectory(HISTORIES_DIR), {
    workflowBundle,
    dataConverter: dataConverterFor(FIXTURE_PAYLOAD_CODEC_KEYS),
  })) {
    outcomes.push(outcome);
  }
  return outcomes;
}

/**
 * Auditors' guarantee: histories recorded from real runs (`npm run record:histories`) replay against
 * today's workflow code, through the same replay path as `npm run audit:replay -- --dir`.
 */
describe('replay of committed histories', () => {
  it('has recorded histories of every lifecycle', () => {
    const recorded = (lifecycle: string) => files.filter((file) => file.startsWith(`${lifecycle}-`)).length;
    expect(Object.fromEntries(LIFECYCLES.map((lifecycle) => [lifecycle, recorded(lifecycle) > 0]))).toEqual(
      Object.fromEntries(LIFECYCLES.map((lifecycle) => [lifecycle, true])),
    );
    expect(recorded('push-provisioning')).toBeGreaterThanOrEqual(3);
    expect(recorded('manual-provisioning')).toBeGreaterThanOrEqual(4);
    expect(recorded('saved-card')).toBeGreaterThanOrEqual(2);
  });

  it('every committed history replays against the current workflow code', async () => {
    const outcomes = await replayAll({ codePath: testServers().workflowBundlePath });
    expect(outcomes).toHaveLength(files.length);
    expect(outcomes.filter((outcome) => outcome.failure).map(formatReplayOutcome)).toEqual([]);
    for (const outcome of outcomes) expect(outcome.events).toBeGreaterThan(10);
  });

  it('every committed history fails against deliberately changed workflow code, naming the event (negative control)', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: join(__dirname, '..', 'fixtures', 'nondeterministic', 'workflows.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const outcomes = await replayAll({ code: changed.code });
    expect(outcomes).toHaveLength(files.length);
    for (const outcome of outcomes) {
      expect(outcome.failure).toMatchObject({
        kind: 'nondeterminism',
        message: expect.stringContaining('Nondeterminism'),
        event: { id: expect.any(Number), type: expect.any(String) },
      });
      expect(formatReplayOutcome(outcome)).toMatch(
        /^FAIL {2}\S+ run \S+: determinism violation at event \d+ \w+/,
      );
    }
  });
});
