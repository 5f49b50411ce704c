import { type Connection, type Model, Schema } from 'mongoose';
import type { FieldCipher } from '@tlo/crypto';
import { type CardProgram, DEFAULT_PROGRAM_ID, OTP_DELIVERIES, PROGRAM_DEFAULTS } from '@tlo/domain';

interface CardProgramRecord extends CardProgram {
  webhookSecretCiphertext: string | null;
}

const schema = new Schema<CardProgramRecord>(
  {
    programId: { type: String, required: true, unique: true },
    otpDelivery: { type: String, enum: OTP_DELIVERIES, required: true },
    webhookUrl: { type: String, default: null },
    webhookSecretCiphertext: { type: String, default: null },
    otpTtlSeconds: { type: Number, required: true },
    maxAttempts: { type: Number, required: true },
    maxSends: { type: Number, required: true },
    yellowPathTtlSeconds: { type: Number, required: true },
  },
  { collection: 'card_programs', versionKey: false, timestamps: true },
);

export type CardProgramInput = Partial<Omit<CardProgram, 'programId'>> & { webhookSecret?: string | null };

const secretContext = (programId: string) => `program:${programId}:webhook-secret`;
const toProgram = (record: CardProgramRecord): CardProgram => ({
  programId: record.programId,
  otpDelivery: record.otpDelivery,
  webhookUrl: record.webhookUrl ?? null,
  otpTtlSeconds: record.otpTtlSeconds,
  maxAttempts: record.maxAttempts,
  maxSends: record.maxSends,
  yellowPathTtlSeconds: record.yellowPathTtlSeconds,
});

/** Card programs: how one-time codes are delivered and the yellow path's limits. Secrets encrypted. */
export class CardProgramRepository {
  private readonly programs: Model<CardProgramRecord>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    this.programs =
      connection.models.CardProgram ?? connection.model<CardProgramRecord>('CardProgram', schema);
  }

  async put(programId: string, input: CardProgramInput): Promise<CardProgram> {
    const { webhookSecret, ...settings } = input;
    const record = {
      programId,
      otpDelivery: settings.otpDelivery ?? PROGRAM_DEFAULTS.otpDelivery,
      webhookUrl: settings.webhookUrl ?? null,
      webhookSecretCiphertext: webhookSecret
        ? this.cipher.encrypt(webhookSecret, secretContext(programId))
        : null,
      otpTtlSeconds: settings.otpTtlSeconds ?? PROGRAM_DEFAULTS.otpTtlSeconds,
      maxAttempts: settings.maxAttempts ?? PROGRAM_DEFAULTS.maxAttempts,
      maxSends: settings.maxSends ?? PROGRAM_DEFAULTS.maxSends,
      yellowPathTtlSeconds: settings.yellowPathTtlSeconds ?? PROGRAM_DEFAULTS.yellowPathTtlSeconds,
    };
    await this.programs.updateOne({ programId }, { $set: record }, { upsert: true });
    return toProgram(record);
  }

  /** The program, or the documented defaults for a program never configured. */
  async find(programId: string = DEFAULT_PROGRAM_ID): Promise<CardProgram> {
    const record = await this.programs.findOne({ programId }).lean<CardProgramRecord>();
    if (record) return toProgram(record);
    return { programId, webhookUrl: null, ...PROGRAM_DEFAULTS };
  }

  async webhookSecret(programId: string): Promise<string | null> {
    const record = await this.programs.findOne({ programId }).lean<CardProgramRecord>();
    return record?.webhookSecretCiphertext
      ? this.cipher.decrypt(record.webhookSecretCiphertext, secretContext(programId))
      : null;
  }
}
