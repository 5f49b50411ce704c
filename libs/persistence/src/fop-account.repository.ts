import { randomBytes } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { hashPassword, verifyPassword } from '@tlo/crypto';
import { DuplicateError, insertUnlessDuplicate } from './connection';

interface FopAccountRecord {
  accountId: string;
  phoneNumber: string;
  username: string;
  /** `scrypt$<salt b64>$<hash b64>`: never the password. */
  passwordHash: string;
}

const schema = new Schema<FopAccountRecord>(
  {
    accountId: { type: String, required: true, unique: true },
    phoneNumber: { type: String, required: true, index: true },
    username: { type: String, required: true, unique: true },
    passwordHash: { type: String, required: true },
  },
  { collection: 'fop_accounts', versionKey: false, timestamps: true },
);

export interface FopAccount {
  accountId: string;
  phoneNumber: string;
  username: string;
}

// Spent on unknown usernames too, so a sign-in takes as long whether or not the user exists.
let decoyHash: Promise<string> | undefined;
const decoy = () => (decoyHash ??= hashPassword(randomBytes(12).toString('hex')));

/** The integrator's own accounts (the demo's system of record), with scrypt password hashes. */
export class FopAccountRepository {
  private readonly accounts: Model<FopAccountRecord>;

  constructor(connection: Connection) {
    this.accounts = connection.models.FopAccount ?? connection.model<FopAccountRecord>('FopAccount', schema);
  }

  async create(account: FopAccount & { password: string }): Promise<FopAccount> {
    const created = await insertUnlessDuplicate(this.accounts, {
      accountId: account.accountId,
      phoneNumber: account.phoneNumber,
      username: account.username,
      passwordHash: await hashPassword(account.password),
    });
    if (!created) throw new DuplicateError('accountId or username already exists');
    return { accountId: account.accountId, phoneNumber: account.phoneNumber, username: account.username };
  }

  async findByPhone(phoneNumber: string): Promise<FopAccount | null> {
    return this.accounts
      .findOne({ phoneNumber }, { _id: 0, accountId: 1, phoneNumber: 1, username: 1 })
      .sort({ accountId: 1 })
      .lean<FopAccount>();
  }

  async find(accountId: string): Promise<FopAccount | null> {
    return this.accounts
      .findOne({ accountId }, { _id: 0, accountId: 1, phoneNumber: 1, username: 1 })
      .lean<FopAccount>();
  }

  /** The account id when the credentials are right, else null (constant work either way). */
  async signIn(username: string, password: string): Promise<string | null> {
    const record = await this.accounts.findOne({ username }).lean<FopAccountRecord>();
    const ok = await verifyPassword(password, record?.passwordHash ?? (await decoy()));
    return record && ok ? record.accountId : null;
  }
}
