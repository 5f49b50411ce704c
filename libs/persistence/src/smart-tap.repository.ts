import { randomInt } from 'node:crypto';
import { type Connection, type Model, Schema } from 'mongoose';
import type { FieldCipher } from '@tlo/crypto';
import { PASS_STATES, type SmartTapClass, type SmartTapObject } from '@tlo/domain';
import { DuplicateError, insertUnlessDuplicate } from './connection';

export interface SmartTapIssuer {
  issuerId: string;
  name: string;
  collectorId: string;
}

interface KeyMaterialRecord {
  /** `<issuerId>:<version, 10 digits>` */
  _id: string;
  issuerId: string;
  version: number;
  publicKeyPem: string;
  privateKeyCiphertext: string;
}

// Every record's `_id` is its key (issuer id, class id, object id); a collector id is claimed by a
// row of its own, so a tap is resolved by `_id` reads only.
const issuerSchema = new Schema<SmartTapIssuer & { _id: string }>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    name: { type: String, required: true },
    collectorId: { type: String, required: true },
  },
  { collection: 'smart_tap_issuers', versionKey: false, timestamps: true },
);
const collectorSchema = new Schema<{ _id: string; issuerId: string }>(
  { _id: { type: String, required: true }, issuerId: { type: String, required: true } },
  { collection: 'smart_tap_collectors', versionKey: false },
);
const classSchema = new Schema<SmartTapClass & { _id: string }>(
  {
    _id: { type: String, required: true },
    classId: { type: String, required: true },
    issuerId: { type: String, required: true },
    enableSmartTap: { type: Boolean, required: true },
    redemptionIssuers: { type: [String], required: true },
  },
  { collection: 'smart_tap_classes', versionKey: false, timestamps: true },
);
const objectSchema = new Schema<SmartTapObject & { _id: string }>(
  {
    _id: { type: String, required: true },
    objectId: { type: String, required: true },
    classId: { type: String, required: true },
    smartTapRedemptionValue: { type: String, required: true },
    state: { type: String, enum: PASS_STATES, required: true },
    validTimeInterval: { type: Schema.Types.Mixed, default: null },
  },
  { collection: 'smart_tap_objects', versionKey: false, timestamps: true },
);
// Insert-only: a version's key pair is written once; its status lives in the key-set actor.
const keySchema = new Schema<KeyMaterialRecord>(
  {
    _id: { type: String, required: true },
    issuerId: { type: String, required: true },
    version: { type: Number, required: true },
    publicKeyPem: { type: String, required: true },
    privateKeyCiphertext: { type: String, required: true },
  },
  { collection: 'smart_tap_keys', versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);
// For `publicKeys` (the key set's listing, off the tap path).
keySchema.index({ issuerId: 1, version: 1 });

export const smartTapKeyId = (issuerId: string, version: number): string =>
  `${issuerId}:${String(version).padStart(10, '0')}`;

const keyContext = (issuerId: string, version: number) => `smart-tap:${issuerId}:${version}:private-key`;
const PROJECTION = { _id: 0, createdAt: 0, updatedAt: 0 };

/** Smart Tap issuers, pass classes, pass objects and issuer key pairs (private keys encrypted). */
export class SmartTapRepository {
  private readonly issuers: Model<SmartTapIssuer & { _id: string }>;
  private readonly collectors: Model<{ _id: string; issuerId: string }>;
  private readonly classes: Model<SmartTapClass & { _id: string }>;
  private readonly objects: Model<SmartTapObject & { _id: string }>;
  private readonly keys: Model<KeyMaterialRecord>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    const model = <T>(name: string, schema: Schema<T>) =>
      (connection.models[name] as Model<T>) ?? connection.model<T>(name, schema);
    this.issuers = model('SmartTapIssuer', issuerSchema);
    this.collectors = model('SmartTapCollector', collectorSchema);
    this.classes = model('SmartTapClass', classSchema);
    this.objects = model('SmartTapObject', objectSchema);
    this.keys = model('SmartTapKey', keySchema);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([
      this.issuers.syncIndexes(),
      this.collectors.syncIndexes(),
      this.classes.syncIndexes(),
      this.objects.syncIndexes(),
      this.keys.syncIndexes(),
    ]);
  }

  /**
   * Creates an issuer; without a collector id, draws a unique 8-digit one. The collector id is
   * claimed first (an insert guarded by `_id`, atomic on every store), then the issuer inserted.
   */
  async createIssuer(issuer: {
    issuerId: string;
    name: string;
    collectorId?: string;
  }): Promise<SmartTapIssuer> {
    for (let attempt = 0; ; attempt++) {
      const collectorId = issuer.collectorId ?? String(randomInt(10_000_000, 100_000_000));
      const claimed = await insertUnlessDuplicate(this.collectors, {
        _id: collectorId,
        issuerId: issuer.issuerId,
      });
      if (!claimed && !(await this.claimCollector(collectorId, issuer.issuerId))) {
        if (issuer.collectorId || attempt > 5) throw new DuplicateError('collectorId already in use');
        continue;
      }
      const created = { issuerId: issuer.issuerId, name: issuer.name, collectorId };
      if (await insertUnlessDuplicate(this.issuers, { _id: issuer.issuerId, ...created })) return created;
      if (claimed) await this.collectors.deleteOne({ _id: collectorId, issuerId: issuer.issuerId });
      throw new DuplicateError('issuerId already exists');
    }
  }

  /** Claims a collector id for an issuer (also for the migration); false if another issuer has it. */
  async claimCollector(collectorId: string, issuerId: string): Promise<boolean> {
    if (await insertUnlessDuplicate(this.collectors, { _id: collectorId, issuerId })) return true;
    return (await this.collectors.findById(collectorId).lean())?.issuerId === issuerId;
  }

  findIssuer(issuerId: string): Promise<SmartTapIssuer | null> {
    return this.issuers.findOne({ _id: issuerId }, PROJECTION).lean<SmartTapIssuer>().exec();
  }

  async findIssuerByCollector(collectorId: string): Promise<SmartTapIssuer | null> {
    const claim = await this.collectors.findById(collectorId).lean();
    const issuer = claim ? await this.findIssuer(claim.issuerId) : null;
    return issuer?.collectorId === collectorId ? issuer : null;
  }

  async createClass(passClass: SmartTapClass): Promise<SmartTapClass> {
    await this.insertUnique(this.classes, { _id: passClass.classId, ...passClass }, 'classId already exists');
    return passClass;
  }

  async createObject(pass: SmartTapObject): Promise<SmartTapObject> {
    await this.insertUnique(
      this.objects,
      { _id: pass.objectId, ...pass, validTimeInterval: pass.validTimeInterval ?? null },
      'objectId already exists',
    );
    return pass;
  }

  findClass(classId: string): Promise<SmartTapClass | null> {
    return this.classes.findOne({ _id: classId }, PROJECTION).lean<SmartTapClass>().exec();
  }

  /** One `_id` read each: FerretDB pushes down `_id` equality, not `$in`. */
  findObjects(objectIds: string[]): Promise<SmartTapObject[]> {
    return this.findEach(this.objects, objectIds);
  }

  findClasses(classIds: string[]): Promise<SmartTapClass[]> {
    return this.findEach(this.classes, classIds);
  }

  private async findEach<T>(model: Model<T & { _id: string }>, ids: string[]): Promise<T[]> {
    const found = await Promise.all(
      [...new Set(ids)].map((id) => model.findOne({ _id: id }, PROJECTION).lean<T>().exec()),
    );
    return found.filter((row): row is NonNullable<typeof row> => row !== null) as T[];
  }

  /** Stores a version's key pair once; a retried write of the same version keeps the first pair. */
  async storeKeyPair(
    issuerId: string,
    version: number,
    publicKeyPem: string,
    privateKeyPem: string,
  ): Promise<string> {
    const stored = await insertUnlessDuplicate(this.keys, {
      _id: smartTapKeyId(issuerId, version),
      issuerId,
      version,
      publicKeyPem,
      privateKeyCiphertext: this.cipher.encrypt(privateKeyPem, keyContext(issuerId, version)),
    });
    if (stored) return publicKeyPem;
    return (await this.keys.findById(smartTapKeyId(issuerId, version)).lean<KeyMaterialRecord>())!
      .publicKeyPem;
  }

  /** The key set's listing (operators), not the tap path: by the `issuerId` index. */
  async publicKeys(issuerId: string): Promise<Map<number, string>> {
    const rows = await this.keys
      .find({ issuerId }, { version: 1, publicKeyPem: 1 })
      .lean<KeyMaterialRecord[]>();
    return new Map(rows.map((row) => [row.version, row.publicKeyPem]));
  }

  async privateKeyPem(issuerId: string, version: number): Promise<string | null> {
    const row = await this.keys.findById(smartTapKeyId(issuerId, version)).lean<KeyMaterialRecord>();
    return row ? this.cipher.decrypt(row.privateKeyCiphertext, keyContext(issuerId, version)) : null;
  }

  private async insertUnique<T>(model: Model<T>, document: Partial<T>, message: string): Promise<void> {
    if (!(await insertUnlessDuplicate(model, document))) throw new DuplicateError(message);
  }
}
