import type { Connection } from 'mongoose';
import { ProjectionRepository } from '@tlo/persistence';
import { createProjectionActivities } from '../../activities/projection/projection.activities';
import { testServers } from '../setup/servers-file';
import { freshDatabase } from '../support/mongo';

const started = (workflowId: string, at: string, to = 'idle') => ({
  workflowId,
  lifecycle: 'push-provisioning',
  version: 0,
  state: to,
  view: { proxy: 'p' },
  transition: { workflowId, lifecycle: 'push-provisioning', seq: 0, from: '', event: 'STARTED', to, at },
  numberAfterLast: true,
});

/**
 * The first projection of a run numbers itself, also when it runs again: as a local activity it is
 * repeated whenever the workflow task that ran it is retried (a worker crash before the task completed).
 */
describe('projection activities on FerretDB', () => {
  let mongo: Connection;
  let repository: ProjectionRepository;
  let activities: ReturnType<typeof createProjectionActivities>;

  beforeAll(async () => {
    mongo = (await freshDatabase(testServers().mongoUri, 'projection-activities')).connection;
    repository = new ProjectionRepository(mongo);
    await repository.ensureIndexes();
    activities = createProjectionActivities(repository);
  });
  afterAll(() => mongo?.close());

  it('numbers a first transition after the last projected version, and echoes what it wrote', async () => {
    const first = await activities.projectTransition(started('wf-a', '2026-01-01T00:00:00.000Z'));
    expect(first).toMatchObject({ outcome: 'applied', projection: { version: 1, transition: { seq: 1 } } });
    const finished = started('wf-a', '2026-01-01T00:00:01.000Z', 'done');
    await activities.projectTransition({
      ...finished,
      numberAfterLast: false,
      version: 2,
      transition: { ...finished.transition, seq: 2, from: 'idle', event: 'FINISHED' },
    });
    // A later run with the same workflow id continues the numbering.
    const next = await activities.projectTransition(started('wf-a', '2026-01-02T00:00:00.000Z'));
    expect(next.projection.version).toBe(3);
    expect((await repository.transitionsOf('wf-a')).map((t) => [t.seq, t.event])).toEqual([
      [1, 'STARTED'],
      [2, 'FINISHED'],
      [3, 'STARTED'],
    ]);
  });

  it('finds its own first transition again when repeated, instead of numbering it twice', async () => {
    const at = '2026-01-03T00:00:00.000Z';
    const once = await activities.projectTransition(started('wf-b', at));
    const again = await activities.projectTransition(started('wf-b', at));
    expect(again.projection.version).toBe(once.projection.version);
    expect((await repository.transitionsOf('wf-b')).map((t) => t.seq)).toEqual([1]);
    expect(await activities.lastProjectedVersion('wf-b')).toBe(1);
  });
});
