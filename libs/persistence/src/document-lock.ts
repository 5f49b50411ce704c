import { randomUUID } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { insertUnlessDuplicate } from './connection';

interface LockRecord {
  _id: string;
  holder: string;
  takenAt: Date;
}

export class LockTimeoutError extends Error {}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * A mutex per key, held by owning the document whose `_id` is the key. An insert guarded by the
 * unique `_id` is the one write that is atomic on every store the product runs on: FerretDB 1.x
 * evaluates an update's filter and applies it in separate steps, so concurrent `$inc`s or
 * compare-and-set updates lose writes there (measured: 64 concurrent `$inc` of one document left 13).
 * A lock older than `leaseMs` belongs to a process that died while holding it and is taken over.
 */
export class DocumentLocks {
  private readonly locks: Model<LockRecord>;

  constructor(
    connection: Connection,
    collection: string,
    private readonly options: { leaseMs: number; waitMs: number } = { leaseMs: 10_000, waitMs: 10_000 },
  ) {
    const name = `Lock:${collection}`;
    this.locks =
      connection.models[name] ??
      connection.model<LockRecord>(
        name,
        new Schema<LockRecord>(
          { _id: { type: String, required: true }, holder: String, takenAt: Date },
          { collection, versionKey: false },
        ),
      );
  }

  /** Runs `section` while holding the lock on `key`; waits (bounded) while another holder has it. */
  async withLock<T>(key: string, section: () => Promise<T>): Promise<T> {
    const holder = randomUUID();
    const deadline = Date.now() + this.options.waitMs;
    for (let delay = 5; ; delay = Math.min(delay * 2, 100)) {
      if (await insertUnlessDuplicate(this.locks, { _id: key, holder, takenAt: new Date() })) break;
      const current = await this.locks.findById(key).lean<LockRecord>();
      if (current && Date.now() - new Date(current.takenAt).getTime() > this.options.leaseMs) {
        await this.locks.deleteOne({ _id: key, holder: current.holder });
        continue;
      }
      if (Date.now() > deadline) throw new LockTimeoutError(`lock ${key} is still held`);
      await pause(delay * (0.5 + Math.random()));
    }
    try {
      return await section();
    } finally {
      await this.locks.deleteOne({ _id: key, holder });
    }
  }
}
