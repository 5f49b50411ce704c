import { type Connection, type Model, Schema } from 'mongoose';
import {
  type AttemptVerdict,
  type CardAttempt,
  type CardAttemptKind,
  type RollingLimit,
  admitAttempt,
} from '@tlo/domain';
import { DocumentLocks } from './document-lock';

interface CardAttemptsRecord {
  /** `<kind>:<proxy>`. */
  _id: string;
  attempts: CardAttempt[];
}

const schema = new Schema<CardAttemptsRecord>(
  {
    _id: { type: String, required: true },
    attempts: { type: [{ _id: false, id: String, at: Number }], default: [] },
  },
  { collection: 'card_attempts', versionKey: false },
);

/**
 * The attempts counted against a card's rolling limits (codes sent, wrong codes), one small document
 * per card and kind, read and written by `_id` only. Concurrent attempts on one card are serialised
 * by a per-card lock, so none is lost and the limit holds exactly; the rule itself is the domain's.
 */
export class CardAttemptRepository {
  private readonly records: Model<CardAttemptsRecord>;
  private readonly locks: DocumentLocks;

  constructor(connection: Connection) {
    this.records =
      connection.models.CardAttempts ?? connection.model<CardAttemptsRecord>('CardAttempts', schema);
    this.locks = new DocumentLocks(connection, 'card_attempt_locks');
  }

  async admit(
    kind: CardAttemptKind,
    proxy: string,
    limit: RollingLimit,
    attempt: CardAttempt,
  ): Promise<AttemptVerdict> {
    const key = `${kind}:${proxy}`;
    return this.locks.withLock(key, async () => {
      const counted = (await this.records.findById(key).lean<CardAttemptsRecord>())?.attempts ?? [];
      const verdict = admitAttempt(limit, counted, attempt);
      const unchanged =
        verdict.recorded.length === counted.length &&
        verdict.recorded.every((a, i) => a.id === counted[i].id && a.at === counted[i].at);
      if (!unchanged) {
        const attempts = verdict.recorded.map(({ id, at }) => ({ id, at }));
        await this.records.updateOne({ _id: key }, { $set: { attempts } }, { upsert: true });
      }
      return verdict;
    });
  }

  /** The attempts of `kind` counted for the card (oldest first), e.g. for support and tests. */
  async counted(kind: CardAttemptKind, proxy: string): Promise<CardAttempt[]> {
    const record = await this.records.findById(`${kind}:${proxy}`).lean<CardAttemptsRecord>();
    return (record?.attempts ?? []).map(({ id, at }) => ({ id, at }));
  }
}
