import type { Connection } from 'mongoose';
import type { LifecycleProjection } from '@tlo/domain';
import { ProjectionRepository } from '@tlo/persistence';
import { testServers } from '../setup/servers-file';
import { freshDatabase } from '../support/mongo';

const projection = (
  workflowId: string,
  version: number,
  state: string,
): LifecycleProjection<{ n: number }> => ({
  workflowId,
  lifecycle: 'push-provisioning',
  version,
  state,
  view: { n: version },
  transition: {
    workflowId,
    lifecycle: 'push-provisioning',
    seq: version,
    from: 'x',
    event: `E${version}`,
    to: state,
    at: new Date(version * 1000).toISOString(),
  },
});

/** The version guard and the audit trail on the real FerretDB (no transactions, unique indexes only). */
describe('projection repository on FerretDB', () => {
  let mongo: Connection;
  let repository: ProjectionRepository;

  beforeAll(async () => {
    mongo = (await freshDatabase(testServers().mongoUri, 'projection')).connection;
    repository = new ProjectionRepository(mongo);
    await repository.ensureIndexes();
  });
  afterAll(() => mongo?.close());

  it('never lets a late, older write overwrite a newer projection', async () => {
    expect(await repository.apply(projection('wf-1', 1, 'idle'))).toBe('applied');
    expect(await repository.apply(projection('wf-1', 3, 'active'))).toBe('applied');
    expect(await repository.apply(projection('wf-1', 2, 'awaitingWallet'))).toBe('stale');
    expect(await repository.apply(projection('wf-1', 3, 'active'))).toBe('stale');
    expect(await repository.find('wf-1')).toMatchObject({ version: 3, state: 'active', view: { n: 3 } });
  });

  it('keeps one audit row per (workflowId, seq), however often a write is retried, in order', async () => {
    for (const version of [1, 2, 2, 3, 1, 3])
      await repository.apply(projection('wf-2', version, `s${version}`));
    expect((await repository.transitionsOf('wf-2')).map((t) => t.seq)).toEqual([1, 2, 3]);
  });

  it('converges under concurrent writers to the highest version, every time', async () => {
    // FerretDB 1.x evaluates an update's filter and its write separately: a guarded upsert loses here.
    for (let round = 0; round < 12; round++) {
      const workflowId = `wf-concurrent-${round}`;
      const versions = [5, 2, 9, 1, 7, 3, 8, 4, 6].sort(() => Math.random() - 0.5);
      const results = await Promise.all(
        versions.map((v) => repository.apply(projection(workflowId, v, `s${v}`))),
      );
      expect(results.filter((r) => r === 'applied').length).toBeGreaterThanOrEqual(1);
      expect(await repository.find(workflowId)).toMatchObject({ version: 9, state: 's9', view: { n: 9 } });
      expect((await repository.transitionsOf(workflowId)).map((t) => t.seq)).toEqual([
        1, 2, 3, 4, 5, 6, 7, 8, 9,
      ]);
    }
  });

  it('serves only the newest version per workflow when listing by card', async () => {
    const forCard = (workflowId: string, version: number) => ({
      ...projection(workflowId, version, `s${version}`),
      view: { n: version, proxy: 'card-1' },
    });
    await Promise.all([1, 2, 3].map((v) => repository.apply(forCard('wf-card-a', v))));
    await repository.apply(forCard('wf-card-b', 1));
    const listed = await repository.findByProxy('push-provisioning', 'card-1');
    expect(listed.map((p) => [p.workflowId, p.version])).toEqual([
      ['wf-card-a', 3],
      ['wf-card-b', 1],
    ]);
  });
});
