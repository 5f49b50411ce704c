import mongoose, { type Connection, type Model } from 'mongoose';

/**
 * A dedicated mongoose connection (not the global one), so API, worker and tests can each own theirs.
 * Only MongoDB features FerretDB 1.24 also supports are used: plain CRUD, unique indexes, no
 * transactions, TTL indexes, $lookup or $facet.
 */
export async function connectMongo(uri: string): Promise<Connection> {
  const connection = mongoose.createConnection(uri, { serverSelectionTimeoutMS: 10_000, autoIndex: true });
  await connection.asPromise();
  return connection;
}

export function isDuplicateKeyError(error: unknown): boolean {
  return typeof error === 'object' && error !== null && (error as { code?: number }).code === 11000;
}

/** true if inserted, false if a document with the same unique key already existed. */
export async function insertUnlessDuplicate<T>(model: Model<T>, document: Partial<T>): Promise<boolean> {
  try {
    await model.create(document);
    return true;
  } catch (error) {
    if (isDuplicateKeyError(error)) return false;
    throw error;
  }
}

/** A create refused because its unique key (an id chosen by the caller) is taken. */
export class DuplicateError extends Error {}
