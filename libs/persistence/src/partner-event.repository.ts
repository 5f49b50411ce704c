import { type Connection, type Model, Schema } from 'mongoose';
import type { PartnerEvent } from '@tlo/domain';

interface PartnerEventRecord extends PartnerEvent {
  /** The event id: an attempt is recorded by `_id`. */
  _id: string;
  attempts: number;
  lastStatus: number | null;
  deliveredAt: Date | null;
}

const partnerEventSchema = new Schema<PartnerEventRecord>(
  {
    _id: { type: String, required: true },
    eventId: { type: String, required: true },
    name: { type: String, required: true },
    proxy: { type: String, required: true, index: true },
    wallet: { type: String, required: true },
    tokenReferenceId: { type: String, required: true },
    occurredAt: { type: String, required: true },
    attempts: { type: Number, default: 0 },
    lastStatus: { type: Number, default: null },
    deliveredAt: { type: Date, default: null },
  },
  { collection: 'partner_events', versionKey: false },
);

/** The record of every partner event and its delivery attempts (no card data in it). */
export class PartnerEventRepository {
  private readonly events: Model<PartnerEventRecord>;

  constructor(connection: Connection) {
    this.events =
      connection.models.PartnerEvent ??
      connection.model<PartnerEventRecord>('PartnerEvent', partnerEventSchema);
  }

  /** Drops the unique `eventId` index an older release created; `proxy` stays for support listings. */
  async ensureIndexes(): Promise<void> {
    await this.events.syncIndexes();
  }

  /**
   * One delivery activity attempts an event at a time (a retry starts after the attempt before it
   * ended), so the `$inc`, a read and a write on FerretDB 1.x, has no concurrent writer to lose.
   */
  async recordAttempt(event: PartnerEvent, status: number | null): Promise<void> {
    const delivered = status !== null && status >= 200 && status < 300;
    await this.events.updateOne(
      { _id: event.eventId },
      {
        $set: { ...event, lastStatus: status, ...(delivered ? { deliveredAt: new Date() } : {}) },
        $inc: { attempts: 1 },
      },
      { upsert: true },
    );
  }

  async listForProxy(proxy: string): Promise<PartnerEventRecord[]> {
    return this.events
      .find({ proxy }, { _id: 0 })
      .sort({ occurredAt: 1 })
      .lean<PartnerEventRecord[]>()
      .exec();
  }
}
