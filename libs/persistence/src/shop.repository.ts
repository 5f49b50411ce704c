import { type Connection, type Model, Schema } from 'mongoose';
import type { FieldCipher } from '@tlo/crypto';
import { BUYER_DELETIONS, type ShopSettings } from '@tlo/domain';

interface ShopRecord extends ShopSettings {
  notificationSecretCiphertext: string | null;
}

const schema = new Schema<ShopRecord>(
  {
    shopId: { type: String, required: true, unique: true },
    tokenPaymentOption: { type: Boolean, required: true },
    buyerDeletion: { type: String, enum: BUYER_DELETIONS, required: true },
    notificationUrl: { type: String, default: null },
    notificationSecretCiphertext: { type: String, default: null },
  },
  { collection: 'shops', versionKey: false, timestamps: true },
);

export type ShopInput = Omit<ShopSettings, 'shopId'> & { notificationSecret?: string | null };

const secretContext = (shopId: string) => `shop:${shopId}:notification-secret`;
const toSettings = (record: ShopRecord): ShopSettings => ({
  shopId: record.shopId,
  tokenPaymentOption: record.tokenPaymentOption,
  buyerDeletion: record.buyerDeletion,
  notificationUrl: record.notificationUrl ?? null,
});

/** The merchants' shops and their wallet settings; the notification secret is stored encrypted. */
export class ShopRepository {
  private readonly shops: Model<ShopRecord>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    this.shops = connection.models.Shop ?? connection.model<ShopRecord>('Shop', schema);
  }

  async put(shopId: string, input: ShopInput): Promise<ShopSettings> {
    const { notificationSecret, ...settings } = input;
    const record: ShopRecord = {
      shopId,
      tokenPaymentOption: settings.tokenPaymentOption,
      buyerDeletion: settings.buyerDeletion,
      notificationUrl: settings.notificationUrl ?? null,
      notificationSecretCiphertext: notificationSecret
        ? this.cipher.encrypt(notificationSecret, secretContext(shopId))
        : null,
    };
    await this.shops.updateOne({ shopId }, { $set: record }, { upsert: true });
    return toSettings(record);
  }

  async find(shopId: string): Promise<ShopSettings | null> {
    const record = await this.shops.findOne({ shopId }).lean<ShopRecord>();
    return record ? toSettings(record) : null;
  }

  /** Where and how to sign the shop's notifications: only for the activity that sends them. */
  async notificationTarget(shopId: string): Promise<{ url: string; secret: string } | null> {
    const record = await this.shops.findOne({ shopId }).lean<ShopRecord>();
    if (!record?.notificationUrl || !record.notificationSecretCiphertext) return null;
    return {
      url: record.notificationUrl,
      secret: this.cipher.decrypt(record.notificationSecretCiphertext, secretContext(shopId)),
    };
  }
}
