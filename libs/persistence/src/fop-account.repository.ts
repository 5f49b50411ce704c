import { randomBytes } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import { hashPassword, verifyPassword } from '@tlo/crypto';
import { DuplicateError, insertUnlessDuplicate } from './connection';
import { DocumentLocks } from './document-lock';

interface FopAccountRecord {
  /** The account id: accounts are read by `_id` only. */
  _id: string;
  accountId: string;
  phoneNumber: string;
  username: string;
  /** `scrypt$<salt b64>$<hash b64>`: never the password. */
  passwordHash: string;
}

/** `username|<name>` → its account (unique: the first insert wins); `phone|<number>` → its accounts. */
interface AccountKeyRecord {
  _id: string;
  accountIds: string[];
}

const schema = new Schema<FopAccountRecord>(
  {
    _id: { type: String, required: true },
    accountId: { type: String, required: true },
    phoneNumber: { type: String, required: true },
    username: { type: String, required: true },
    passwordHash: { type: String, required: true },
  },
  { collection: 'fop_accounts', versionKey: false, timestamps: true },
);
const keySchema = new Schema<AccountKeyRecord>(
  { _id: { type: String, required: true }, accountIds: { type: [String], default: [] } },
  { collection: 'fop_account_keys', versionKey: false },
);

const usernameKey = (username: string) => `username|${username}`;
const phoneKey = (phoneNumber: string) => `phone|${phoneNumber}`;

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
  private readonly keys: Model<AccountKeyRecord>;
  private readonly locks: DocumentLocks;

  constructor(connection: Connection) {
    this.accounts = connection.models.FopAccount ?? connection.model<FopAccountRecord>('FopAccount', schema);
    this.keys =
      connection.models.FopAccountKey ?? connection.model<AccountKeyRecord>('FopAccountKey', keySchema);
    this.locks = new DocumentLocks(connection, 'fop_account_key_locks');
  }

  /** Drops the secondary indexes an older release created: accounts are found by `_id` keys now. */
  async ensureIndexes(): Promise<void> {
    await Promise.all([this.accounts.syncIndexes(), this.keys.syncIndexes()]);
  }

  /**
   * The username is claimed first (an insert guarded by `_id`, atomic on every store), then the
   * account is inserted, then listed under its phone number. A retried create of the same account
   * finds its own claim and carries on.
   */
  async create(account: FopAccount & { password: string }): Promise<FopAccount> {
    const claim = usernameKey(account.username);
    const claimed =
      (await insertUnlessDuplicate(this.keys, { _id: claim, accountIds: [account.accountId] })) ||
      (await this.keys.findById(claim).lean<AccountKeyRecord>())?.accountIds[0] === account.accountId;
    if (!claimed) throw new DuplicateError('accountId or username already exists');
    const created = await insertUnlessDuplicate(this.accounts, {
      _id: account.accountId,
      accountId: account.accountId,
      phoneNumber: account.phoneNumber,
      username: account.username,
      passwordHash: await hashPassword(account.password),
    });
    if (!created) {
      const existing = await this.accounts.findById(account.accountId).lean<FopAccountRecord>();
      if (existing?.username !== account.username) {
        await this.keys.deleteOne({ _id: claim, accountIds: [account.accountId] });
      }
      throw new DuplicateError('accountId or username already exists');
    }
    await this.listUnderPhone(account.phoneNumber, account.accountId);
    return { accountId: account.accountId, phoneNumber: account.phoneNumber, username: account.username };
  }

  /** Lists an account under its phone number (also for the migration). */
  async listUnderPhone(phoneNumber: string, accountId: string): Promise<void> {
    const id = phoneKey(phoneNumber);
    if (await insertUnlessDuplicate(this.keys, { _id: id, accountIds: [accountId] })) return;
    // `$addToSet` is a read and a write on FerretDB 1.x: concurrent ones lose ids.
    await this.locks.withLock(id, async () => {
      const stored = await this.keys.findById(id).lean<AccountKeyRecord>();
      if (stored?.accountIds.includes(accountId)) return;
      await this.keys.replaceOne({ _id: id }, { accountIds: [...(stored?.accountIds ?? []), accountId] });
    });
  }

  /** Claims an existing account's username (for the migration). */
  async claimUsername(username: string, accountId: string): Promise<void> {
    await insertUnlessDuplicate(this.keys, { _id: usernameKey(username), accountIds: [accountId] });
  }

  /** Of the accounts with this phone number, the one with the lowest id. */
  async findByPhone(phoneNumber: string): Promise<FopAccount | null> {
    const listed = await this.keys.findById(phoneKey(phoneNumber)).lean<AccountKeyRecord>();
    for (const accountId of [...(listed?.accountIds ?? [])].sort()) {
      const account = await this.find(accountId);
      if (account?.phoneNumber === phoneNumber) return account;
    }
    return null;
  }

  async find(accountId: string): Promise<FopAccount | null> {
    return this.accounts
      .findOne({ _id: accountId }, { _id: 0, accountId: 1, phoneNumber: 1, username: 1 })
      .lean<FopAccount>();
  }

  /** The account id when the credentials are right, else null (constant work either way). */
  async signIn(username: string, password: string): Promise<string | null> {
    const claim = await this.keys.findById(usernameKey(username)).lean<AccountKeyRecord>();
    const accountId = claim?.accountIds[0];
    const record = accountId ? await this.accounts.findById(accountId).lean<FopAccountRecord>() : null;
    const ok = await verifyPassword(password, record?.passwordHash ?? (await decoy()));
    return record && record.username === username && ok ? record.accountId : null;
  }
}
