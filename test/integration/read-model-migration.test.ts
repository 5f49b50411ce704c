import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { ObjectId } from 'mongodb';
import { hashPassword } from '@tlo/crypto';
import type { Connection } from 'mongoose';
import {
  MIGRATE_COMMAND,
  type Repositories,
  createRepositories,
  ensureIndexes,
  fieldCipherFor,
} from '@tlo/persistence';
import { testServers } from '../setup/servers-file';
import { freshDatabase } from '../support/mongo';

const ROOT = path.resolve(__dirname, '..', '..');

const transition = (workflowId: string, seq: number) => ({
  _id: new ObjectId(),
  workflowId,
  lifecycle: 'push-provisioning',
  seq,
  from: `s${seq - 1}`,
  event: `E${seq}`,
  to: `s${seq}`,
  at: new Date(seq * 1000).toISOString(),
});

const oldLifecycle = (workflowId: string, version: number, view: Record<string, unknown>) => ({
  _id: new ObjectId(),
  workflowId,
  lifecycle: 'push-provisioning',
  version,
  state: `s${version}`,
  view,
  lastTransitionAt: new Date(version * 1000).toISOString(),
  updatedAt: new Date(),
});

/** Rows as the previous release wrote them (ObjectId `_id`s, found by secondary indexes). */
async function writeOldShape(mongo: Connection, proxy: string): Promise<void> {
  const db = mongo.db!;
  await db.collection('lifecycles').createIndex({ workflowId: 1, version: 1 }, { unique: true });
  await db
    .collection('lifecycles')
    .insertMany([
      oldLifecycle('wf-a', 1, { proxy }),
      oldLifecycle('wf-a', 3, { proxy }),
      oldLifecycle('wf-a', 2, { proxy }),
      oldLifecycle('wf-b', 1, { proxy, accountId: 'acct-1' }),
    ]);
  await db
    .collection('transitions')
    .insertMany([transition('wf-a', 2), transition('wf-a', 1), transition('wf-a', 3), transition('wf-b', 1)]);
  await db.collection('cards').createIndex({ proxy: 1 }, { unique: true });
  await db.collection('cards').insertOne({
    _id: new ObjectId(),
    proxy,
    status: 'ACTIVE',
    panCiphertext: 'x',
    maskedPan: '5555 **** **** 4444',
    lastFourDigits: '4444',
    expiryMonth: 12,
    expiryYear: 2030,
    holderName: 'MARIA',
    phoneNumber: '+5511999999999',
    email: null,
    programId: 'default',
    address: { city: 'Sao Paulo' },
  });
  await db.collection('partner_events').insertOne({
    _id: new ObjectId(),
    eventId: 'ev-1',
    name: 'TOKEN_CREATED',
    proxy,
    wallet: 'GOOGLE_PAY',
    tokenReferenceId: 't',
    occurredAt: new Date(0).toISOString(),
    attempts: 1,
    lastStatus: 200,
    deliveredAt: new Date(),
  });
  await db
    .collection('smart_tap_issuers')
    .insertOne({ _id: new ObjectId(), issuerId: 'iss-9', name: 'I', collectorId: '87654321' });
  await db.collection('smart_tap_classes').insertOne({
    _id: new ObjectId(),
    classId: 'cls-9',
    issuerId: 'iss-9',
    enableSmartTap: true,
    redemptionIssuers: [],
  });
  await db.collection('smart_tap_objects').insertOne({
    _id: new ObjectId(),
    objectId: 'obj-9',
    classId: 'cls-9',
    smartTapRedemptionValue: 'v',
    state: 'ACTIVE',
    validTimeInterval: null,
  });
  await db.collection('smart_tap_keys').insertOne({
    _id: new ObjectId(),
    issuerId: 'iss-9',
    version: 1,
    publicKeyPem: 'pub-1',
    privateKeyCiphertext: 'x',
  });
  await db.collection('fop_accounts').createIndex({ username: 1 }, { unique: true });
  await db.collection('fop_accounts').insertOne({
    _id: new ObjectId(),
    accountId: 'acct-9',
    phoneNumber: '+5511988887777',
    username: 'maria',
    passwordHash: await hashPassword('s3cret-pass'),
  });
  await db
    .collection('fop_token_claims')
    .insertOne({ _id: new ObjectId(), gptHash: 'h1', associationId: 'as-1' });
}

function migrate(uri: string) {
  const run = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'migrate-read-models.js')], {
    cwd: ROOT,
    env: { ...process.env, MONGODB_URI: uri },
    encoding: 'utf8',
  });
  expect(run.status).toBe(0);
  return run;
}

describe('read models of the older shape', () => {
  let mongo: Connection;
  let uri: string;
  let repos: Repositories;
  const proxy = 'c0ffee00c0ffee00beef';

  beforeAll(async () => {
    ({ uri, connection: mongo } = await freshDatabase(testServers().mongoUri, 'migrate'));
    repos = createRepositories(mongo, fieldCipherFor(`k:${randomBytes(32).toString('base64')}`));
    await writeOldShape(mongo, proxy);
  });
  afterAll(() => mongo?.close());

  it('are refused on start, with the command that converts them', async () => {
    await expect(ensureIndexes(repos)).rejects.toThrow(MIGRATE_COMMAND);
    await expect(ensureIndexes(repos)).rejects.toThrow(/lifecycles, transitions, cards, partner_events/);
  });

  it('are converted in place by the migration, with progress, and then served by _id', async () => {
    const run = migrate(uri);
    expect(run.stderr).toMatch(/\[migrate\] lifecycles: converting 4 rows/);
    expect(run.stderr).toMatch(/\[migrate\] lifecycles: 4\/4/);
    expect(run.stdout).toMatch(/lifecycles: 4 read, 2 written/);
    expect(run.stdout).toMatch(/transitions: 4 read, 4 written/);

    await ensureIndexes(repos);
    expect(await repos.projections.find('wf-a')).toMatchObject({ version: 3, state: 's3' });
    expect((await repos.projections.transitionsOf('wf-a')).map((t) => t.seq)).toEqual([1, 2, 3]);
    expect(
      (await repos.projections.findByProxy('push-provisioning', proxy)).map((p) => p.workflowId),
    ).toEqual(['wf-a', 'wf-b']);
    expect(
      (await repos.projections.findByAccount('push-provisioning', 'acct-1')).map((p) => p.workflowId),
    ).toEqual(['wf-b']);
    expect(await repos.cards.findMasked(proxy)).toMatchObject({ proxy, lastFourDigits: '4444' });
    expect(await repos.tokenClaims.ownerOf('h1')).toBe('as-1');
    expect(await repos.fopAccounts.signIn('maria', 's3cret-pass')).toBe('acct-9');
    expect(await repos.smartTap.findIssuerByCollector('87654321')).toMatchObject({ issuerId: 'iss-9' });
    expect((await repos.smartTap.findObjects(['obj-9'])).map((o) => o.classId)).toEqual(['cls-9']);
    expect((await repos.smartTap.findClasses(['cls-9'])).map((c) => c.issuerId)).toEqual(['iss-9']);
    expect(await repos.smartTap.storeKeyPair('iss-9', 1, 'pub-other', 'priv')).toBe('pub-1');
    expect(await repos.fopAccounts.findByPhone('+5511988887777')).toMatchObject({ accountId: 'acct-9' });
    expect((await repos.partnerEvents.listForProxy(proxy)).map((e) => e.attempts)).toEqual([1]);
    // A new version after the migration replaces the migrated one, guarded as any other.
    expect(
      await repos.projections.apply({
        workflowId: 'wf-a',
        lifecycle: 'push-provisioning',
        version: 4,
        state: 's4',
        view: { proxy },
        transition: (({ _id, ...row }) => row)(transition('wf-a', 4)),
      }),
    ).toBe('applied');
    expect((await repos.projections.transitionsOf('wf-a')).map((t) => t.seq)).toEqual([1, 2, 3, 4]);
  });

  it('runs again as a no-op', () => {
    expect(migrate(uri).stderr).toMatch(/nothing to do/);
  });
});
