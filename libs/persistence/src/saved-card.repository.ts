import { type Connection, type Model, Schema } from 'mongoose';
import type { FieldCipher } from '@tlo/crypto';
import { type BillingDetails, type BuyerData, type EligibleBrand, lastFour, maskPan } from '@tlo/domain';
import { insertUnlessDuplicate } from './connection';

/** What identifies and describes a saved card, masked: the same in the vault and in every reader. */
interface SavedCardIdentity extends BuyerData {
  paymentMethodToken: string;
  shopId: string;
  customerReference: string | null;
  brand: EligibleBrand;
  maskedPan: string;
  lastFourDigits: string;
  expiryMonth: number;
  expiryYear: number;
}

/** A saved card's data: the PAN only as field-level ciphertext, erased by the purge. */
interface SavedCardRecord extends SavedCardIdentity {
  panCiphertext: string | null;
  purgedAt: Date | null;
  createdAt: Date;
}

const schema = new Schema<SavedCardRecord>(
  {
    paymentMethodToken: { type: String, required: true, unique: true },
    shopId: { type: String, required: true },
    customerReference: { type: String, default: null },
    brand: { type: String, required: true },
    maskedPan: { type: String, required: true },
    lastFourDigits: { type: String, required: true },
    expiryMonth: { type: Number, required: true },
    expiryYear: { type: Number, required: true },
    panCiphertext: { type: String, default: null },
    email: { type: String, default: null },
    billingDetails: { type: Schema.Types.Mixed, default: null },
    purgedAt: { type: Date, default: null },
  },
  { collection: 'saved_cards', versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);
schema.index({ shopId: 1, customerReference: 1 });

export interface NewSavedCard extends Omit<SavedCardIdentity, 'maskedPan' | 'lastFourDigits'> {
  pan: string;
}

/** What every reader sees: masked, never the ciphertext. */
export interface SavedCardView extends SavedCardIdentity {
  hasCardData: boolean;
  createdAt: string;
  purgedAt: string | null;
}

const panContext = (paymentMethodToken: string) => `saved-card:${paymentMethodToken}:pan`;

/** A buyer's filter must name the buyer: an absent or non-string reference would match every buyer. */
function requireReference(customerReference: unknown): asserts customerReference is string {
  if (typeof customerReference !== 'string' || customerReference === '')
    throw new TypeError('a buyer reference (a non-empty string) is required');
}

function toView(record: SavedCardRecord): SavedCardView {
  return {
    paymentMethodToken: record.paymentMethodToken,
    shopId: record.shopId,
    customerReference: record.customerReference ?? null,
    brand: record.brand,
    maskedPan: record.maskedPan,
    lastFourDigits: record.lastFourDigits,
    expiryMonth: record.expiryMonth,
    expiryYear: record.expiryYear,
    email: record.email ?? null,
    billingDetails: (record.billingDetails as BillingDetails | null) ?? null,
    hasCardData: Boolean(record.panCiphertext),
    createdAt: new Date(record.createdAt).toISOString(),
    purgedAt: record.purgedAt ? new Date(record.purgedAt).toISOString() : null,
  };
}

/**
 * The vault of saved cards (Lyra V4). Only `readPan` ever returns a PAN: it is what an acquirer's
 * authorisation would use. Payments are simulated here, so today only tests read it back.
 */
export class SavedCardRepository {
  private readonly cards: Model<SavedCardRecord>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    this.cards = connection.models.SavedCard ?? connection.model<SavedCardRecord>('SavedCard', schema);
  }

  async ensureIndexes(): Promise<void> {
    await this.cards.syncIndexes();
  }

  /** Stores the card under its token; a retried save of the same token keeps the first. */
  async save(card: NewSavedCard): Promise<void> {
    await insertUnlessDuplicate(this.cards, {
      paymentMethodToken: card.paymentMethodToken,
      shopId: card.shopId,
      customerReference: card.customerReference,
      brand: card.brand,
      maskedPan: maskPan(card.pan),
      lastFourDigits: lastFour(card.pan),
      expiryMonth: card.expiryMonth,
      expiryYear: card.expiryYear,
      panCiphertext: this.cipher.encrypt(card.pan, panContext(card.paymentMethodToken)),
      email: card.email,
      billingDetails: card.billingDetails,
      purgedAt: null,
    });
  }

  async find(paymentMethodToken: string): Promise<SavedCardView | null> {
    const record = await this.cards.findOne({ paymentMethodToken }).lean<SavedCardRecord>();
    return record ? toView(record) : null;
  }

  /** The shop's tokens, oldest first; of one buyer reference when given. */
  async listByShop(shopId: string, customerReference?: string): Promise<SavedCardView[]> {
    const filter = customerReference === undefined ? { shopId } : { shopId, customerReference };
    const records = await this.cards.find(filter).sort({ createdAt: 1 }).lean<SavedCardRecord[]>();
    return records.map(toView);
  }

  /** One buyer's tokens, oldest first. Without a reference this refuses: it never means every buyer. */
  async listOfBuyer(shopId: string, customerReference: string): Promise<SavedCardView[]> {
    requireReference(customerReference);
    return this.listByShop(shopId, customerReference);
  }

  /** Copies new buyer data onto every token of the reference; answers how many were updated. */
  async updateBuyerData(
    shopId: string,
    customerReference: string,
    buyer: Partial<BuyerData>,
  ): Promise<number> {
    requireReference(customerReference);
    const $set: Partial<BuyerData> = {};
    if (buyer.email !== undefined) $set.email = buyer.email;
    if (buyer.billingDetails !== undefined) $set.billingDetails = buyer.billingDetails;
    if (Object.keys($set).length === 0) return 0;
    const result = await this.cards.updateMany({ shopId, customerReference }, { $set });
    return result.matchedCount;
  }

  /** The PAN for an authorisation, or null once purged. */
  async readPan(paymentMethodToken: string): Promise<string | null> {
    const record = await this.cards.findOne({ paymentMethodToken }).lean<SavedCardRecord>();
    if (!record?.panCiphertext) return null;
    return this.cipher.decrypt(record.panCiphertext, panContext(paymentMethodToken));
  }

  /**
   * Erases the card data for good, keeping the masked data and the audit. Idempotent: the ciphertext
   * goes in the same write that sets `purgedAt`, so a repeat finds nothing left to erase.
   */
  async purge(paymentMethodToken: string, at: Date): Promise<void> {
    await this.cards.updateOne(
      { paymentMethodToken, purgedAt: null },
      { $set: { panCiphertext: null, purgedAt: at } },
    );
  }
}
