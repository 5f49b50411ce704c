import { createHash } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { insertUnlessDuplicate } from './connection';

interface ClaimRecord {
  /** The GPT hash: the first insert of an `_id` wins, atomically on every store. */
  _id: string;
  gptHash: string;
  associationId: string;
}

const schema = new Schema<ClaimRecord>(
  {
    _id: { type: String, required: true },
    gptHash: { type: String, required: true },
    associationId: { type: String, required: true },
  },
  { collection: 'fop_token_claims', versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);

/** The GPT is a credential: only its SHA-256 is stored, compared and carried in workflows. */
export const googlePaymentTokenHash = (googlePaymentToken: string): string =>
  createHash('sha256').update(googlePaymentToken).digest('hex');

/**
 * Which association owns each Google Payment Token. A claim is an insert guarded by `_id`, so the first claim wins, also
 * under concurrent associations; a repeated claim by the same association is accepted.
 */
export class GoogleTokenClaimRepository {
  private readonly claims: Model<ClaimRecord>;

  constructor(connection: Connection) {
    this.claims = connection.models.FopTokenClaim ?? connection.model<ClaimRecord>('FopTokenClaim', schema);
  }

  async ensureIndexes(): Promise<void> {
    await this.claims.syncIndexes();
  }

  /** The association that owns the token after this claim: `associationId` unless another was first. */
  async claim(gptHash: string, associationId: string): Promise<string> {
    if (await insertUnlessDuplicate(this.claims, { _id: gptHash, gptHash, associationId }))
      return associationId;
    return (await this.ownerOf(gptHash))!;
  }

  async ownerOf(gptHash: string): Promise<string | null> {
    return (await this.claims.findById(gptHash).lean<ClaimRecord>())?.associationId ?? null;
  }
}
