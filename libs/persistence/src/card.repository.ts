import { randomUUID } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { type FieldCipher, type CardSecrets } from '@tlo/crypto';
import {
  type CardAddress,
  type CardStatus,
  type MaskedCard,
  CARD_STATUSES,
  DEFAULT_PROGRAM_ID,
  lastFour,
  maskEmail,
  maskPan,
} from '@tlo/domain';

/** Stored card: the PAN only as field-level ciphertext bound to the card's proxy. */
interface CardRecord {
  /** The proxy: every read and write is by `_id`. */
  _id: string;
  proxy: string;
  status: CardStatus;
  panCiphertext: string;
  maskedPan: string;
  lastFourDigits: string;
  expiryMonth: number;
  expiryYear: number;
  holderName: string;
  phoneNumber: string;
  email: string | null;
  programId: string;
  address: CardAddress;
  createdAt: Date;
  updatedAt: Date;
}

const addressSchema = new Schema<CardAddress>(
  {
    zipCode: String,
    address: String,
    number: String,
    neighborhood: String,
    complement: String,
    city: String,
    state: String,
    country: String,
  },
  { _id: false },
);

const cardSchema = new Schema<CardRecord>(
  {
    _id: { type: String, required: true },
    proxy: { type: String, required: true },
    status: { type: String, enum: CARD_STATUSES, required: true },
    panCiphertext: { type: String, required: true },
    maskedPan: { type: String, required: true },
    lastFourDigits: { type: String, required: true },
    expiryMonth: { type: Number, required: true },
    expiryYear: { type: Number, required: true },
    holderName: { type: String, required: true },
    phoneNumber: { type: String, required: true },
    email: { type: String, default: null },
    programId: { type: String, default: DEFAULT_PROGRAM_ID },
    address: { type: addressSchema, required: true },
  },
  { collection: 'cards', timestamps: true, versionKey: false },
);

export interface NewCard {
  pan: string;
  expiryMonth: number;
  expiryYear: number;
  holderName: string;
  phoneNumber: string;
  address: CardAddress;
  status: CardStatus;
  email?: string | null;
  programId?: string;
}

const panContext = (proxy: string) => `card:${proxy}:pan`;

function toMasked(record: CardRecord): MaskedCard {
  return {
    proxy: record.proxy,
    status: record.status,
    maskedPan: record.maskedPan,
    lastFourDigits: record.lastFourDigits,
    expiryMonth: record.expiryMonth,
    expiryYear: record.expiryYear,
    holderName: record.holderName,
    phoneNumber: record.phoneNumber,
    maskedEmail: record.email ? maskEmail(record.email) : null,
    programId: record.programId ?? DEFAULT_PROGRAM_ID,
    address: { ...record.address },
  };
}

/** The simulated issuer system of record. Only `readSecrets` ever returns a PAN, to activities. */
/**
 * A card's public reference: 20 hex characters, drawn again in the rare case they hold a run of 13 or
 * more digits, so a proxy never looks like a card number to a scanner of logs or payloads.
 */
export function newProxy(): string {
  for (;;) {
    const proxy = randomUUID().replace(/-/g, '').slice(0, 20);
    if (!/\d{13,}/.test(proxy)) return proxy;
  }
}

export class CardRepository {
  private readonly cards: Model<CardRecord>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    this.cards = connection.models.Card ?? connection.model<CardRecord>('Card', cardSchema);
  }

  /** Drops the unique `proxy` index an older release created: the proxy is the `_id` now. */
  async ensureIndexes(): Promise<void> {
    await this.cards.syncIndexes();
  }

  async create(card: NewCard): Promise<MaskedCard> {
    const proxy = newProxy();
    const created = await this.cards.create({
      _id: proxy,
      proxy,
      status: card.status,
      panCiphertext: this.cipher.encrypt(card.pan, panContext(proxy)),
      maskedPan: maskPan(card.pan),
      lastFourDigits: lastFour(card.pan),
      expiryMonth: card.expiryMonth,
      expiryYear: card.expiryYear,
      holderName: card.holderName,
      phoneNumber: card.phoneNumber,
      email: card.email ?? null,
      programId: card.programId ?? DEFAULT_PROGRAM_ID,
      address: card.address,
    });
    return toMasked(created.toObject());
  }

  async findMasked(proxy: string): Promise<MaskedCard | null> {
    const record = await this.cards.findById(proxy).lean<CardRecord>();
    return record ? toMasked(record) : null;
  }

  async updateStatus(proxy: string, status: CardStatus): Promise<MaskedCard | null> {
    const updated = await this.cards.updateOne({ _id: proxy }, { $set: { status } });
    if (updated.matchedCount === 0) return null;
    return this.findMasked(proxy);
  }

  /** Where one-time codes go: only to activities that deliver them. */
  async readContact(
    proxy: string,
  ): Promise<{ phoneNumber: string; email: string | null; programId: string } | null> {
    const record = await this.cards.findById(proxy).lean<CardRecord>();
    if (!record) return null;
    return {
      phoneNumber: record.phoneNumber,
      email: record.email ?? null,
      programId: record.programId ?? DEFAULT_PROGRAM_ID,
    };
  }

  async readSecrets(proxy: string): Promise<{ card: MaskedCard; secrets: CardSecrets } | null> {
    const record = await this.cards.findById(proxy).lean<CardRecord>();
    if (!record) return null;
    return {
      card: toMasked(record),
      secrets: {
        pan: this.cipher.decrypt(record.panCiphertext, panContext(proxy)),
        expiryMonth: record.expiryMonth,
        expiryYear: record.expiryYear,
        holderName: record.holderName,
      },
    };
  }
}
