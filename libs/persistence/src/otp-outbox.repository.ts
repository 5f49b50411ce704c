import { type Connection, type Model, Schema } from 'mongoose';
import type { FieldCipher } from '@tlo/crypto';
import type { OtpChannel } from '@tlo/domain';

interface OutboxRecord {
  requestId: string;
  channel: OtpChannel;
  maskedRecipient: string;
  messageCiphertext: string;
  createdAt: Date;
}

const schema = new Schema<OutboxRecord>(
  {
    requestId: { type: String, required: true, index: true },
    channel: { type: String, required: true },
    maskedRecipient: { type: String, required: true },
    messageCiphertext: { type: String, required: true },
  },
  { collection: 'otp_outbox', versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);

export interface OutboxMessage {
  channel: OtpChannel;
  recipient: string;
  text: string;
}

const context = (requestId: string) => `otp-outbox:${requestId}`;

/**
 * The local SMS / e-mail channel adapter: messages land here instead of a gateway, encrypted (they
 * carry the one-time code). `latest` is how the local simulator or a test reads what was "sent".
 */
export class OtpOutboxRepository {
  private readonly outbox: Model<OutboxRecord>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    this.outbox = connection.models.OtpOutbox ?? connection.model<OutboxRecord>('OtpOutbox', schema);
  }

  async deliver(requestId: string, maskedRecipient: string, message: OutboxMessage): Promise<void> {
    await this.outbox.create({
      requestId,
      channel: message.channel,
      maskedRecipient,
      messageCiphertext: this.cipher.encrypt(JSON.stringify(message), context(requestId)),
    });
  }

  async latest(requestId: string): Promise<OutboxMessage | null> {
    const record = await this.outbox
      .findOne({ requestId })
      .sort({ createdAt: -1, _id: -1 })
      .lean<OutboxRecord>();
    return record
      ? (JSON.parse(this.cipher.decrypt(record.messageCiphertext, context(requestId))) as OutboxMessage)
      : null;
  }

  async count(requestId: string): Promise<number> {
    return this.outbox.countDocuments({ requestId });
  }
}
