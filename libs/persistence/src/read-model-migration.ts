import type { AnyBulkWriteOperation, Collection, Db, Document } from 'mongodb';
import type { Connection } from 'mongoose';
import { FopAccountRepository } from './fop-account.repository';
import { ProjectionRepository, transitionId } from './projection.repository';
import { SmartTapRepository, smartTapKeyId } from './smart-tap.repository';
import { READ_MODEL_SHAPE, RESHAPED_COLLECTIONS, recordShape, storedShape } from './read-model-shape';

type Reshaped = (typeof RESHAPED_COLLECTIONS)[number];

/** The new `_id` of an old-shape row (null: the row is already of the new shape). */
const NEW_ID: Record<Reshaped, (row: Document) => string> = {
  lifecycles: (row) => row.workflowId,
  transitions: (row) => transitionId(row.workflowId, row.seq),
  cards: (row) => row.proxy,
  partner_events: (row) => row.eventId,
  fop_token_claims: (row) => row.gptHash,
  fop_accounts: (row) => row.accountId,
  smart_tap_issuers: (row) => row.issuerId,
  smart_tap_classes: (row) => row.classId,
  smart_tap_objects: (row) => row.objectId,
  smart_tap_keys: (row) => smartTapKeyId(row.issuerId, row.version),
};

const BATCH = 500;
const OLD_SUFFIX = '__old_shape';

export interface MigrationReport {
  collection: string;
  read: number;
  written: number;
}

/**
 * Converts rows of the older read-model shape (ObjectId `_id`s, found by secondary indexes) to this
 * release's (`_id` = the row's key), with the API and worker stopped. Each collection is renamed
 * aside, copied back in batches under the new `_id`s, then dropped; a run that was interrupted
 * resumes from the renamed collection. Of an old lifecycle's versions the highest is kept. Ends by
 * recording the shape, which the API and worker check on start.
 */
export async function migrateReadModels(
  connection: Connection,
  log: (line: string) => void = () => {},
): Promise<MigrationReport[]> {
  const db = connection.db!;
  if ((await storedShape(connection)) === READ_MODEL_SHAPE) {
    log(`read models are already of shape ${READ_MODEL_SHAPE}: nothing to do`);
    return [];
  }
  const reports: MigrationReport[] = [];
  for (const name of RESHAPED_COLLECTIONS) reports.push(await migrateCollection(db, name, log));
  await rebuildLookups(connection, log);
  await rebuildAccountKeys(connection, log);
  await rebuildCollectorClaims(connection, log);
  await recordShape(connection);
  log(`read models are of shape ${READ_MODEL_SHAPE}`);
  return reports;
}

async function exists(db: Db, name: string): Promise<boolean> {
  return (await db.listCollections({ name }, { nameOnly: true }).toArray()).length > 0;
}

async function migrateCollection(db: Db, name: Reshaped, log: (line: string) => void) {
  const aside = `${name}${OLD_SUFFIX}`;
  if (!(await exists(db, aside))) {
    if (!(await exists(db, name))) {
      log(`${name}: absent, nothing to convert`);
      return { collection: name, read: 0, written: 0 };
    }
    await db.collection(name).rename(aside);
  }
  const source = db.collection(aside);
  const target = db.collection(name);
  // The old unique secondary indexes would refuse a row copied back while its old twin is counted.
  await target.dropIndexes().catch(() => undefined);
  const total = await source.estimatedDocumentCount();
  log(`${name}: converting ${total} rows`);
  let read = 0;
  let written = 0;
  let batch: Document[] = [];
  const flush = async () => {
    written += await writeBatch(target, name, batch);
    read += batch.length;
    batch = [];
    log(`${name}: ${read}/${total}`);
  };
  for await (const row of source.find({})) {
    batch.push(row);
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  await source.drop();
  log(`${name}: done, ${written} rows written from ${read}`);
  return { collection: name, read, written };
}

/** Writes a batch under the new `_id`s; of two rows with one key the higher `version` wins. */
async function writeBatch(target: Collection, name: Reshaped, rows: Document[]): Promise<number> {
  const byId = new Map<string, Document>();
  for (const row of rows) {
    const id = typeof row._id === 'string' ? row._id : NEW_ID[name](row);
    const kept = byId.get(id);
    if (!kept || (name === 'lifecycles' && (row.version ?? 0) > (kept.version ?? 0))) byId.set(id, row);
  }
  const ids = [...byId.keys()];
  const stored = new Map<string, Document>();
  if (name === 'lifecycles') {
    // One `_id` read per row: FerretDB pushes down `_id` equality, not `$in`.
    for (const id of ids) {
      const row = await target.findOne({ _id: id as never });
      if (row) stored.set(id, row);
    }
  }
  const operations: AnyBulkWriteOperation[] = [];
  for (const [id, row] of byId) {
    const before = stored.get(id);
    if (before && (before.version ?? 0) >= (row.version ?? 0)) continue;
    const replacement = { ...row, _id: id };
    operations.push({ replaceOne: { filter: { _id: id as never }, replacement, upsert: true } });
  }
  if (operations.length === 0) return 0;
  await target.bulkWrite(operations as never, { ordered: true });
  return operations.length;
}

/** The card and account lookups, from the converted read models. */
async function rebuildLookups(connection: Connection, log: (line: string) => void): Promise<void> {
  const projections = new ProjectionRepository(connection);
  const lifecycles = connection.db!.collection('lifecycles');
  let done = 0;
  for await (const row of lifecycles.find({})) {
    await projections.relist(row as never);
    if (++done % BATCH === 0) log(`lifecycle_lookups: ${done} lifecycles listed`);
  }
  log(`lifecycle_lookups: ${done} lifecycles listed`);
}

/** The FOP accounts' username claims and phone listings, from the converted accounts. */
async function rebuildAccountKeys(connection: Connection, log: (line: string) => void): Promise<void> {
  const accounts = new FopAccountRepository(connection);
  let done = 0;
  for await (const row of connection.db!.collection('fop_accounts').find({})) {
    await accounts.claimUsername(row.username, row.accountId);
    await accounts.listUnderPhone(row.phoneNumber, row.accountId);
    done++;
  }
  log(`fop_account_keys: ${done} accounts listed`);
}

/** The Smart Tap collector id claims, from the converted issuers. */
async function rebuildCollectorClaims(connection: Connection, log: (line: string) => void): Promise<void> {
  // The claims read no ciphertext, so no key ring is needed here.
  const registry = new SmartTapRepository(connection, null as never);
  let done = 0;
  for await (const row of connection.db!.collection('smart_tap_issuers').find({})) {
    if (!(await registry.claimCollector(row.collectorId, row.issuerId))) {
      log(
        `smart_tap_collectors: collector ${row.collectorId} is claimed by another issuer than ${row.issuerId}`,
      );
    }
    done++;
  }
  log(`smart_tap_collectors: ${done} issuers listed`);
}
