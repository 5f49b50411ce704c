import type { Connection } from 'mongoose';
import type { LifecycleProjection } from '@tlo/domain';
import { ProjectionRepository, lookupId, transitionId } from '@tlo/persistence';
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

  it('lists every workflow of a card, also when many start on it at once', async () => {
    const workflowIds = Array.from({ length: 16 }, (_, i) => `wf-busy-card-${String(i).padStart(2, '0')}`);
    await Promise.all(
      workflowIds.map((workflowId) =>
        repository.apply({ ...projection(workflowId, 1, 's1'), view: { n: 1, proxy: 'card-busy' } }),
      ),
    );
    const listed = await repository.findByProxy('push-provisioning', 'card-busy');
    expect(listed.map((p) => p.workflowId)).toEqual(workflowIds);
  });

  it('bulk loads the very documents apply writes', async () => {
    const lifecycle = (workflowId: string) => {
      const steps = [1, 2, 3].map((v) => ({
        ...projection(workflowId, v, `s${v}`),
        view: { n: v, proxy: `card-${workflowId}`, accountId: 'acct-bulk' },
      }));
      return { steps, final: steps[2], trail: steps.map((s) => s.transition) };
    };
    const applied = lifecycle('wf-applied');
    for (const step of applied.steps) await repository.apply(step);
    const loaded = lifecycle('wf-loaded');
    await repository.bulkLoad([{ final: loaded.final, trail: loaded.trail }]);

    const db = mongo.db!;
    const rows = async (workflowId: string) => ({
      lifecycle: await db
        .collection('lifecycles')
        .findOne({ _id: workflowId as never }, { projection: { updatedAt: 0 } }),
      transitions: await Promise.all(
        [1, 2, 3].map((seq) =>
          db.collection('transitions').findOne({ _id: transitionId(workflowId, seq) as never }),
        ),
      ),
      card: await db
        .collection('lifecycle_lookups')
        .findOne({ _id: lookupId('push-provisioning', 'proxy', `card-${workflowId}`) as never }),
    });
    const rename = (value: unknown) =>
      JSON.parse(JSON.stringify(value).replaceAll('wf-loaded', 'wf-applied'));
    expect(rename(await rows('wf-loaded'))).toEqual(JSON.parse(JSON.stringify(await rows('wf-applied'))));
    expect(
      (await repository.findByAccount('push-provisioning', 'acct-bulk')).map((p) => p.workflowId),
    ).toEqual(['wf-applied', 'wf-loaded']);
  });
});
