import type { Connection } from 'mongoose';

/** The shape of the read models this release reads and writes: every hot-path row keyed by `_id`. */
export const READ_MODEL_SHAPE = 2;
export const MIGRATE_COMMAND = 'npm run -s migrate:read-models';
const META = 'read_model_meta';
const SHAPE_ID = 'shape';

/** The collections whose rows changed shape in READ_MODEL_SHAPE (old rows have ObjectId `_id`s). */
export const RESHAPED_COLLECTIONS = [
  'lifecycles',
  'transitions',
  'cards',
  'partner_events',
  'fop_token_claims',
  'fop_accounts',
  'smart_tap_issuers',
  'smart_tap_classes',
  'smart_tap_objects',
  'smart_tap_keys',
] as const;

export class ReadModelShapeError extends Error {}

interface ShapeRecord {
  _id: string;
  shape: number;
}

export async function storedShape(connection: Connection): Promise<number | null> {
  const record = await connection.db!.collection<ShapeRecord>(META).findOne({ _id: SHAPE_ID });
  return record?.shape ?? null;
}

export async function recordShape(connection: Connection): Promise<void> {
  await connection
    .db!.collection<ShapeRecord>(META)
    .replaceOne({ _id: SHAPE_ID }, { shape: READ_MODEL_SHAPE }, { upsert: true });
}

/**
 * Refuses to serve a database written by an older release, whose rows these repositories would not
 * find (they look rows up by `_id` only). Cheap at any size: one `_id` read, and on a database
 * without the marker one unfiltered `limit 1` read per collection (FerretDB pushes that limit down).
 */
export async function assertReadModelShape(connection: Connection): Promise<void> {
  const shape = await storedShape(connection);
  if (shape === READ_MODEL_SHAPE) return;
  if (shape !== null && shape > READ_MODEL_SHAPE) {
    throw new ReadModelShapeError(
      `the read models have shape ${shape}, newer than this release's ${READ_MODEL_SHAPE}`,
    );
  }
  const db = connection.db!;
  const occupied: string[] = [];
  for (const name of RESHAPED_COLLECTIONS) {
    if ((await db.collection(name).find({}, { limit: 1 }).toArray()).length > 0) occupied.push(name);
  }
  if (occupied.length > 0) {
    throw new ReadModelShapeError(
      `the collections ${occupied.join(', ')} hold rows of an older release's shape; ` +
        `stop the API and worker and run \`${MIGRATE_COMMAND}\` first`,
    );
  }
  await recordShape(connection);
}
