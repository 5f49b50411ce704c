import type { Connection } from 'mongoose';
import { GoogleTokenClaimRepository, IdempotencyRepository } from '@tlo/persistence';
import { payloadHash } from '../../apps/api/src/tokenized-fop/idempotency.service';
import { testServers } from '../setup/servers-file';
import { freshDatabase } from '../support/mongo';

describe('Standard Payments idempotency and GPT claims on FerretDB', () => {
  let mongo: Connection;
  let records: IdempotencyRepository;
  let claims: GoogleTokenClaimRepository;

  beforeAll(async () => {
    mongo = (await freshDatabase(testServers().mongoUri, 'int_idempotency')).connection;
    records = new IdempotencyRepository(mongo);
    claims = new GoogleTokenClaimRepository(mongo);
    await records.ensureIndexes();
    await claims.ensureIndexes();
  });
  afterAll(async () => {
    await mongo?.close();
  });

  it('lets exactly one of concurrent duplicates evaluate a request, every time', async () => {
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.all(Array.from({ length: 8 }, () => records.claim(`req-${round}`, 'h')));
      expect(outcomes.filter((o) => o.kind === 'claimed')).toHaveLength(1);
      expect(outcomes.filter((o) => o.kind === 'in-progress')).toHaveLength(7);
    }
  });

  it('replays a completed answer and forgets a released one', async () => {
    const claimed = await records.claim('req-done', 'h1');
    if (claimed.kind !== 'claimed') throw new Error('expected a claim');
    await records.complete('req-done', claimed.claimId, '{"a":1}');
    expect(await records.claim('req-done', 'h1')).toEqual({
      kind: 'completed',
      payloadHash: 'h1',
      responseBody: '{"a":1}',
    });

    const failed = await records.claim('req-failed', 'h2');
    if (failed.kind !== 'claimed') throw new Error('expected a claim');
    await records.release('req-failed', failed.claimId);
    expect((await records.claim('req-failed', 'h2')).kind).toBe('claimed');
  });

  it('takes over a claim abandoned by a process that died mid-request, once its lease ran out', async () => {
    const abandoned = await records.claim('req-abandoned', 'h3');
    expect(abandoned.kind).toBe('claimed');
    expect((await records.claim('req-abandoned', 'h3')).kind).toBe('in-progress');
    await new Promise((resolve) => setTimeout(resolve, 50));
    const takers = await Promise.all([1, 2, 3].map(() => records.claim('req-abandoned', 'h3', 20)));
    expect(takers.filter((t) => t.kind === 'claimed').length).toBeGreaterThanOrEqual(1);
    const taken = takers.find((t) => t.kind === 'claimed')!;
    if (taken.kind !== 'claimed' || abandoned.kind !== 'claimed') throw new Error('expected claims');
    expect(taken.claimId).not.toBe(abandoned.claimId);
    // The dead process's late write cannot overwrite the new claim.
    await records.complete('req-abandoned', abandoned.claimId, '{"stale":true}');
    expect((await records.claim('req-abandoned', 'h3')).kind).not.toBe('completed');
  });

  it('keys records by _id and forgets an answer past its expiry, checked on read and pruned apart', async () => {
    const keys = new IdempotencyRepository(mongo, { collection: 'int_http_keys', expireAfterMs: 50 });
    await keys.ensureIndexes();
    const first = await keys.claim('scope-1', 'f1');
    if (first.kind !== 'claimed') throw new Error('expected a claim');
    await keys.complete('scope-1', first.claimId, 'sealed');
    expect(await keys.claim('scope-1', 'f1')).toMatchObject({ kind: 'completed', responseBody: 'sealed' });
    const raw = await mongo.db!.collection('int_http_keys').findOne({ _id: 'scope-1' as never });
    expect(raw).toMatchObject({ _id: 'scope-1', payloadHash: 'f1', completed: true });
    // Kept apart from the Standard Payments records.
    expect((await records.claim('scope-1', 'f1')).kind).toBe('claimed');

    await new Promise((resolve) => setTimeout(resolve, 80));
    expect((await keys.claim('scope-1', 'f2')).kind).toBe('claimed');
    const old = await keys.claim('scope-old', 'f');
    if (old.kind !== 'claimed') throw new Error('expected a claim');
    await keys.complete('scope-old', old.claimId, 'sealed');
    await new Promise((resolve) => setTimeout(resolve, 80));
    expect(await keys.prune()).toBe(1);
    expect(await mongo.db!.collection('int_http_keys').countDocuments({ _id: 'scope-old' as never })).toBe(0);
  });

  it('hashes payloads canonically: key order does not matter, any value does', () => {
    const a = { requestHeader: { requestId: 'r', requestTimestamp: '1' }, clientMessage: 'x' };
    const b = { clientMessage: 'x', requestHeader: { requestTimestamp: '1', requestId: 'r' } };
    expect(payloadHash('echo', a)).toBe(payloadHash('echo', b));
    expect(payloadHash('echo', a)).not.toBe(payloadHash('echo', { ...a, clientMessage: 'y' }));
    expect(payloadHash('echo', a)).not.toBe(payloadHash('sendOtp', a));
  });

  it('gives a Google Payment Token to the first association only, also under concurrency', async () => {
    const owners = await Promise.all(
      Array.from({ length: 6 }, (_, i) => claims.claim('gpt-hash-1', `association-${i}`)),
    );
    expect(new Set(owners).size).toBe(1);
    expect(await claims.ownerOf('gpt-hash-1')).toBe(owners[0]);
    expect(await claims.claim('gpt-hash-1', owners[0])).toBe(owners[0]);
  });
});
