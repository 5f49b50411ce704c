import { randomBytes } from 'node:crypto';
import type { Connection } from 'mongoose';
import { connectMongo } from '@tlo/persistence';

/** A connection to a fresh, uniquely named database on the run's shared FerretDB. */
export async function freshDatabase(
  mongoUri: string,
  prefix: string,
): Promise<{ uri: string; connection: Connection }> {
  const uri = mongoUri.replace(/\/[^/]*$/, `/${prefix}_${randomBytes(4).toString('hex')}`);
  return { uri, connection: await connectMongo(uri) };
}

/** Every document of every collection, as one JSON string: for "no PAN anywhere" checks. */
export async function dumpDatabase(connection: Connection): Promise<string> {
  const collections = await connection.db!.listCollections().toArray();
  const dump: Record<string, unknown[]> = {};
  for (const { name } of collections) dump[name] = await connection.db!.collection(name).find({}).toArray();
  return JSON.stringify(dump);
}
