import { randomUUID } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { insertUnlessDuplicate } from './connection';

interface IdempotencyRecord {
  /** The idempotency key (or a hash of its scope): a claim is an insert guarded by `_id`. */
  _id: string;
  payloadHash: string;
  /** Set by whoever holds the claim; absent while the request is being evaluated. */
  claimId: string;
  completed: boolean;
  /** The stored answer, replayed as it is (opaque here: the caller may encrypt it). */
  responseBody: string | null;
  createdAt: Date;
}

export type IdempotencyClaim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'completed'; payloadHash: string; responseBody: string }
  | { kind: 'in-progress'; payloadHash: string };

export interface IdempotencyRecordsOptions {
  /** Standard Payments `requestId`s and form submissions by default; the HTTP keys have their own. */
  collection?: string;
  /**
   * How long a completed answer is kept. Expiry is checked on read and old records are removed by
   * `prune`, off the request path: FerretDB 1.x has no TTL index. Unset: kept for good.
   */
  expireAfterMs?: number;
}

/**
 * Idempotency records: exactly one of concurrent duplicates claims a key (an insert guarded by the
 * unique `_id`, atomic on every MongoDB-compatible store) and evaluates the request; its answer is
 * kept for repeats, or the claim is released so that a repeat is evaluated again.
 */
export class IdempotencyRepository {
  private readonly records: Model<IdempotencyRecord>;
  private readonly expireAfterMs: number | undefined;

  constructor(connection: Connection, options: IdempotencyRecordsOptions = {}) {
    const collection = options.collection ?? 'sp_idempotency';
    const name = collection === 'sp_idempotency' ? 'SpIdempotency' : `Idempotency:${collection}`;
    this.records =
      connection.models[name] ??
      connection.model<IdempotencyRecord>(
        name,
        new Schema<IdempotencyRecord>(
          {
            _id: { type: String, required: true },
            payloadHash: { type: String, required: true },
            claimId: { type: String, required: true },
            completed: { type: Boolean, required: true },
            responseBody: { type: String, default: null },
          },
          { collection, versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
        ),
      );
    this.expireAfterMs = options.expireAfterMs;
  }

  /** Drops indexes an older release created (records were once found by a unique `requestId`). */
  async ensureIndexes(): Promise<void> {
    await this.records.syncIndexes();
  }

  /**
   * Claims `key` for evaluation. A claim older than `leaseMs` that never completed belongs to a
   * process that died mid-request, and an answer older than the expiry is forgotten: either is taken
   * over (removed, then claimed anew), so nothing stays stuck in progress.
   */
  async claim(key: string, payloadHash: string, leaseMs = 60_000): Promise<IdempotencyClaim> {
    for (;;) {
      const claimId = randomUUID();
      const document = { _id: key, payloadHash, claimId, completed: false, responseBody: null };
      if (await insertUnlessDuplicate(this.records, document)) return { kind: 'claimed', claimId };
      const existing = await this.records.findById(key).lean<IdempotencyRecord>();
      if (!existing) continue; // released in between: try again
      const age = Date.now() - new Date(existing.createdAt).getTime();
      if (existing.completed && !this.expired(age)) {
        return { kind: 'completed', payloadHash: existing.payloadHash, responseBody: existing.responseBody! };
      }
      if (existing.completed || age > leaseMs) {
        await this.records.deleteOne({ _id: key, claimId: existing.claimId });
        continue;
      }
      return { kind: 'in-progress', payloadHash: existing.payloadHash };
    }
  }

  /** Keeps the answer for replays. Only the claim's holder writes, so no update races. */
  async complete(key: string, claimId: string, responseBody: string): Promise<void> {
    await this.records.updateOne({ _id: key, claimId }, { $set: { completed: true, responseBody } });
  }

  /** Forgets a request whose answer is not kept, so its repeat is evaluated again. */
  async release(key: string, claimId: string): Promise<void> {
    await this.records.deleteOne({ _id: key, claimId, completed: false });
  }

  /** Removes expired answers. A scan of the collection: run it off the request path. */
  async prune(now = new Date()): Promise<number> {
    if (this.expireAfterMs === undefined) return 0;
    const cutoff = new Date(now.getTime() - this.expireAfterMs);
    const { deletedCount } = await this.records.deleteMany({ completed: true, createdAt: { $lt: cutoff } });
    return deletedCount;
  }

  private expired(ageMs: number): boolean {
    return this.expireAfterMs !== undefined && ageMs > this.expireAfterMs;
  }
}
