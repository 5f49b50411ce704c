import { randomBytes } from 'node:crypto';
import mongoose, { type Connection } from 'mongoose';
import type { CommandStartedEvent, Document } from 'mongodb';
import type { LifecycleProjection } from '@tlo/domain';
import { type Repositories, createRepositories, ensureIndexes, fieldCipherFor } from '@tlo/persistence';
import { testServers } from '../setup/servers-file';
import { newCard } from '../support/cards';

/** The commands that carry a filter, and where it is in them. */
const FILTERS: Record<string, (command: Document) => Document[]> = {
  find: (c) => [c.filter ?? {}],
  count: (c) => [c.query ?? {}],
  findAndModify: (c) => [c.query ?? {}],
  update: (c) => (c.updates as Document[]).map((u) => u.q),
  delete: (c) => (c.deletes as Document[]).map((d) => d.q),
};

interface Query {
  method: string;
  collection: string;
  filter: Document;
}

const projection = (
  workflowId: string,
  version: number,
  view: Record<string, unknown>,
): LifecycleProjection<Record<string, unknown>> => ({
  workflowId,
  lifecycle: 'push-provisioning',
  version,
  state: `s${version}`,
  view,
  transition: {
    workflowId,
    lifecycle: 'push-provisioning',
    seq: version,
    from: 'x',
    event: `E${version}`,
    to: `s${version}`,
    at: new Date(version * 1000).toISOString(),
  },
});

/**
 * Every repository method on a lifecycle's path, run against the real FerretDB while the driver
 * records the commands it sends. Each filter must be served by `_id` or an index: on FerretDB its
 * `explain` must report the filter pushed down and a SQLite plan that searches an index; for
 * MongoDB (the production default) its equality keys must start a declared index or be `_id`.
 */
describe('hot-path queries are served by _id or an index', () => {
  let mongo: Connection;
  let repos: Repositories;
  let recording: string | null = null;
  const queries: Query[] = [];

  const hotPaths: Array<[string, (r: Repositories) => Promise<unknown>]> = [
    ['projections.apply (first version)', (r) => r.projections.apply(projection('wf-x', 1, { proxy: 'p1' }))],
    ['projections.apply (next version)', (r) => r.projections.apply(projection('wf-x', 2, { proxy: 'p1' }))],
    ['projections.apply (stale version)', (r) => r.projections.apply(projection('wf-x', 1, { proxy: 'p1' }))],
    [
      'projections.apply (second workflow of a card)',
      (r) => r.projections.apply(projection('wf-y', 1, { proxy: 'p1', accountId: 'a1' })),
    ],
    ['projections.find', (r) => r.projections.find('wf-x')],
    ['projections.findByProxy', (r) => r.projections.findByProxy('push-provisioning', 'p1')],
    ['projections.findByAccount', (r) => r.projections.findByAccount('push-provisioning', 'a1')],
    ['projections.trailOf', (r) => r.projections.trailOf('wf-x')],
    ['cards.findMasked', (r) => r.cards.findMasked(proxy)],
    ['cards.readSecrets', (r) => r.cards.readSecrets(proxy)],
    ['cards.readContact', (r) => r.cards.readContact(proxy)],
    ['cards.updateStatus', (r) => r.cards.updateStatus(proxy, 'ACTIVE')],
    [
      'partnerEvents.recordAttempt',
      (r) =>
        r.partnerEvents.recordAttempt(
          {
            eventId: 'ev-1',
            name: 'TOKEN_CREATED' as never,
            proxy,
            wallet: 'GOOGLE_PAY' as never,
            tokenReferenceId: 't',
            occurredAt: new Date(0).toISOString(),
          },
          200,
        ),
    ],
    [
      'tokenClaims.claim',
      (r) => r.tokenClaims.claim('gpt-1', 'assoc-1').then(() => r.tokenClaims.claim('gpt-1', 'x')),
    ],
    ['tokenClaims.ownerOf', (r) => r.tokenClaims.ownerOf('gpt-1')],
    [
      'fopAccounts.create',
      (r) =>
        r.fopAccounts.create({
          accountId: 'acct-2',
          phoneNumber: '+551100',
          username: 'u2',
          password: 'pw-1234567',
        }),
    ],
    [
      'smartTap.createIssuer/Class/Object (and a refused duplicate)',
      async (r) => {
        await r.smartTap.createIssuer({ issuerId: 'iss-1', name: 'Issuer', collectorId: '12345678' });
        await r.smartTap.createIssuer({ issuerId: 'iss-1', name: 'Again' }).catch(() => undefined);
        await r.smartTap.createClass({
          classId: 'cls-1',
          issuerId: 'iss-1',
          enableSmartTap: true,
          redemptionIssuers: [],
        });
        await r.smartTap.createObject({
          objectId: 'obj-1',
          classId: 'cls-1',
          smartTapRedemptionValue: 'v',
          state: 'ACTIVE' as never,
        });
      },
    ],
    [
      'smartTap.storeKeyPair (retried)',
      (r) =>
        r.smartTap
          .storeKeyPair('iss-1', 1, 'pub', 'priv')
          .then(() => r.smartTap.storeKeyPair('iss-1', 1, 'pub', 'priv')),
    ],
    ['smartTap.findIssuerByCollector', (r) => r.smartTap.findIssuerByCollector('12345678')],
    ['smartTap.findIssuer', (r) => r.smartTap.findIssuer('iss-1')],
    ['smartTap.privateKeyPem', (r) => r.smartTap.privateKeyPem('iss-1', 1)],
    ['smartTap.findObjects', (r) => r.smartTap.findObjects(['obj-1', 'obj-2'])],
    ['smartTap.findClasses', (r) => r.smartTap.findClasses(['cls-1'])],
    ['smartTap.findClass', (r) => r.smartTap.findClass('cls-1')],
    ['fopAccounts.findByPhone', (r) => r.fopAccounts.findByPhone('+551100')],
    ['fopAccounts.find', (r) => r.fopAccounts.find('acct-2')],
    ['fopAccounts.signIn', (r) => r.fopAccounts.signIn('u2', 'pw-1234567')],
    [
      'httpIdempotency.claim/complete/replay',
      async (r) => {
        const claim = await r.httpIdempotency.claim('key-1', 'h');
        if (claim.kind === 'claimed') await r.httpIdempotency.complete('key-1', claim.claimId, '{}');
        return r.httpIdempotency.claim('key-1', 'h');
      },
    ],
    [
      'idempotency.claim/release',
      async (r) => {
        const claim = await r.idempotency.claim('req-1', 'h');
        if (claim.kind === 'claimed') await r.idempotency.release('req-1', claim.claimId);
      },
    ],
    [
      'cardAttempts.admit',
      (r) =>
        r.cardAttempts.admit('OTP_SEND', proxy, { max: 5, windowMs: 60_000 }, { id: 'a', at: Date.now() }),
    ],
    ['cardAttempts.counted', (r) => r.cardAttempts.counted('OTP_SEND', proxy)],
  ];
  let proxy = '';

  beforeAll(async () => {
    const uri = testServers().mongoUri.replace(/\/[^/]*$/, `/explain_${randomBytes(4).toString('hex')}`);
    mongo = mongoose.createConnection(uri, { monitorCommands: true });
    await mongo.asPromise();
    repos = createRepositories(mongo, fieldCipherFor(`k:${randomBytes(32).toString('base64')}`));
    await ensureIndexes(repos);
    proxy = (await repos.cards.create(newCard())).proxy;
    mongo.getClient().on('commandStarted', (event: CommandStartedEvent) => {
      const filters = recording ? FILTERS[event.commandName] : undefined;
      if (!filters || event.databaseName !== mongo.db!.databaseName) return;
      const collection = event.command[event.commandName] as string;
      for (const filter of filters(event.command)) queries.push({ method: recording!, collection, filter });
    });
    for (const [method, run] of hotPaths) {
      recording = method;
      await run(repos);
      recording = null;
    }
  });
  afterAll(() => mongo?.close());

  it('records the queries of every hot-path method', () => {
    const methods = new Set(queries.map((q) => q.method));
    // Every method reads or writes by a filter, except those that only insert.
    expect(hotPaths.map(([m]) => m).filter((m) => !methods.has(m))).toEqual([
      'projections.apply (first version)',
      'fopAccounts.create',
    ]);
  });

  it('on FerretDB: every filter is pushed down and SQLite searches an index', async () => {
    const failures: string[] = [];
    for (const { method, collection, filter } of queries) {
      const explained = await mongo.db!.command({ explain: { find: collection, filter } });
      const plan = (explained.queryPlanner?.Plan ?? []) as string[];
      const scans = plan.filter((line) => /detail=SCAN /.test(line));
      if (!explained.filterPushdown || scans.length > 0 || !plan.some((line) => / USING INDEX /.test(line))) {
        failures.push(`${method}: ${collection} ${JSON.stringify(filter)} -> ${plan.join('; ')}`);
      }
    }
    expect(failures).toEqual([]);
  });

  it("on MongoDB: every filter's equality keys are _id or start a declared index", () => {
    const indexesOf = (collection: string): string[][] => {
      const model = Object.values(mongo.models).find((m) => m.collection.collectionName === collection);
      if (!model) return [];
      return model.schema.indexes().map(([keys]) => Object.keys(keys));
    };
    const isEquality = (value: unknown) =>
      typeof value !== 'object' || value === null || value instanceof Date;
    const failures = queries
      .filter(({ collection, filter }) => {
        const equal = Object.keys(filter).filter((key) => isEquality(filter[key]));
        if (equal.includes('_id')) return false;
        return !indexesOf(collection).some((keys) => equal.includes(keys[0]));
      })
      .map(({ method, collection, filter }) => `${method}: ${collection} ${JSON.stringify(filter)}`);
    expect(failures).toEqual([]);
  });
});
