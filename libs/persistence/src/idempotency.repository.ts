import { randomUUID } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { insertUnlessDuplicate } from './connection';

interface IdempotencyRecord {
  requestId: string;
  payloadHash: string;
  /** Set by whoever holds the claim; absent while the request is being evaluated. */
  claimId: string;
  completed: boolean;
  /** The exact bytes of the 200 answer, replayed as they are. */
  responseBody: string | null;
  createdAt: Date;
}

const schema = new Schema<IdempotencyRecord>(
  {
    requestId: { type: String, required: true, unique: true },
    payloadHash: { type: String, required: true },
    claimId: { type: String, required: true },
    completed: { type: Boolean, required: true },
    responseBody: { type: String, default: null },
  },
  { collection: 'sp_idempotency', versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);

export type IdempotencyClaim =
  | { kind: 'claimed'; claimId: string }
  | { kind: 'completed'; payloadHash: string; responseBody: string }
  | { kind: 'in-progress'; payloadHash: string };

/**
 * Idempotency records of the Standard Payments methods, keyed by `requestId`. A unique index lets
 * exactly one of concurrent duplicates evaluate a request; only a 200 answer is kept, so a request
 * that failed is evaluated again when it is repeated.
 */
export class IdempotencyRepository {
  private readonly records: Model<IdempotencyRecord>;

  constructor(connection: Connection) {
    this.records =
      connection.models.SpIdempotency ?? connection.model<IdempotencyRecord>('SpIdempotency', schema);
  }

  async ensureIndexes(): Promise<void> {
    await this.records.syncIndexes();
  }

  /**
   * Claims `requestId` for evaluation. A claim older than `leaseMs` that never completed belongs to a
   * process that died mid-request: it is taken over (removed, then claimed anew), so nothing stays
   * stuck in progress.
   */
  async claim(requestId: string, payloadHash: string, leaseMs = 60_000): Promise<IdempotencyClaim> {
    for (;;) {
      const claimId = randomUUID();
      const document = { requestId, payloadHash, claimId, completed: false, responseBody: null };
      if (await insertUnlessDuplicate(this.records, document)) return { kind: 'claimed', claimId };
      const existing = await this.records.findOne({ requestId }).lean<IdempotencyRecord>();
      if (!existing) continue; // released in between: try again
      if (existing.completed) {
        return { kind: 'completed', payloadHash: existing.payloadHash, responseBody: existing.responseBody! };
      }
      if (Date.now() - new Date(existing.createdAt).getTime() > leaseMs) {
        await this.records.deleteOne({ requestId, claimId: existing.claimId, completed: false });
        continue;
      }
      return { kind: 'in-progress', payloadHash: existing.payloadHash };
    }
  }

  /** Keeps the 200 answer for replays. Only the claim's holder writes, so no update races. */
  async complete(requestId: string, claimId: string, responseBody: string): Promise<void> {
    await this.records.updateOne({ requestId, claimId }, { $set: { completed: true, responseBody } });
  }

  /** Forgets a request that did not answer 200, so its repeat is evaluated again. */
  async release(requestId: string, claimId: string): Promise<void> {
    await this.records.deleteOne({ requestId, claimId, completed: false });
  }
}
