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
  issuerId: string;
  version: number;
  publicKeyPem: string;
  privateKeyCiphertext: string;
}

const issuerSchema = new Schema<SmartTapIssuer>(
  {
    issuerId: { type: String, required: true, unique: true },
    name: { type: String, required: true },
    collectorId: { type: String, required: true, unique: true },
  },
  { collection: 'smart_tap_issuers', versionKey: false, timestamps: true },
);
const classSchema = new Schema<SmartTapClass>(
  {
    classId: { type: String, required: true, unique: true },
    issuerId: { type: String, required: true },
    enableSmartTap: { type: Boolean, required: true },
    redemptionIssuers: { type: [String], required: true },
  },
  { collection: 'smart_tap_classes', versionKey: false, timestamps: true },
);
const objectSchema = new Schema<SmartTapObject>(
  {
    objectId: { type: String, required: true, unique: true },
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
    issuerId: { type: String, required: true },
    version: { type: Number, required: true },
    publicKeyPem: { type: String, required: true },
    privateKeyCiphertext: { type: String, required: true },
  },
  { collection: 'smart_tap_keys', versionKey: false, timestamps: { createdAt: true, updatedAt: false } },
);
keySchema.index({ issuerId: 1, version: 1 }, { unique: true });

const keyContext = (issuerId: string, version: number) => `smart-tap:${issuerId}:${version}:private-key`;
const PROJECTION = { _id: 0, createdAt: 0, updatedAt: 0 };

/** Smart Tap issuers, pass classes, pass objects and issuer key pairs (private keys encrypted). */
export class SmartTapRepository {
  private readonly issuers: Model<SmartTapIssuer>;
  private readonly classes: Model<SmartTapClass>;
  private readonly objects: Model<SmartTapObject>;
  private readonly keys: Model<KeyMaterialRecord>;

  constructor(
    connection: Connection,
    private readonly cipher: FieldCipher,
  ) {
    const model = <T>(name: string, schema: Schema<T>) =>
      (connection.models[name] as Model<T>) ?? connection.model<T>(name, schema);
    this.issuers = model('SmartTapIssuer', issuerSchema);
    this.classes = model('SmartTapClass', classSchema);
    this.objects = model('SmartTapObject', objectSchema);
    this.keys = model('SmartTapKey', keySchema);
  }

  async ensureIndexes(): Promise<void> {
    await Promise.all([this.issuers, this.classes, this.objects, this.keys].map((m) => m.syncIndexes()));
  }

  /** Creates an issuer; without a collector id, draws a unique 8-digit one. */
  async createIssuer(issuer: {
    issuerId: string;
    name: string;
    collectorId?: string;
  }): Promise<SmartTapIssuer> {
    for (let attempt = 0; ; attempt++) {
      const collectorId = issuer.collectorId ?? String(randomInt(10_000_000, 100_000_000));
      const created = { issuerId: issuer.issuerId, name: issuer.name, collectorId };
      if (await insertUnlessDuplicate(this.issuers, created)) return created;
      const clash = await this.issuers.exists({ issuerId: issuer.issuerId });
      if (clash || issuer.collectorId || attempt > 5) {
        throw new DuplicateError(clash ? 'issuerId already exists' : 'collectorId already in use');
      }
    }
  }

  findIssuer(issuerId: string): Promise<SmartTapIssuer | null> {
    return this.issuers.findOne({ issuerId }, PROJECTION).lean<SmartTapIssuer>().exec();
  }

  findIssuerByCollector(collectorId: string): Promise<SmartTapIssuer | null> {
    return this.issuers.findOne({ collectorId }, PROJECTION).lean<SmartTapIssuer>().exec();
  }

  async createClass(passClass: SmartTapClass): Promise<SmartTapClass> {
    await this.insertUnique(this.classes, passClass, 'classId already exists');
    return passClass;
  }

  async createObject(pass: SmartTapObject): Promise<SmartTapObject> {
    await this.insertUnique(
      this.objects,
      { ...pass, validTimeInterval: pass.validTimeInterval ?? null },
      'objectId already exists',
    );
    return pass;
  }

  findClass(classId: string): Promise<SmartTapClass | null> {
    return this.classes.findOne({ classId }, PROJECTION).lean<SmartTapClass>().exec();
  }

  findObjects(objectIds: string[]): Promise<SmartTapObject[]> {
    return this.objects
      .find({ objectId: { $in: objectIds } }, PROJECTION)
      .lean<SmartTapObject[]>()
      .exec();
  }

  findClasses(classIds: string[]): Promise<SmartTapClass[]> {
    return this.classes
      .find({ classId: { $in: classIds } }, PROJECTION)
      .lean<SmartTapClass[]>()
      .exec();
  }

  /** Stores a version's key pair once; a retried write of the same version keeps the first pair. */
  async storeKeyPair(
    issuerId: string,
    version: number,
    publicKeyPem: string,
    privateKeyPem: string,
  ): Promise<string> {
    const stored = await insertUnlessDuplicate(this.keys, {
      issuerId,
      version,
      publicKeyPem,
      privateKeyCiphertext: this.cipher.encrypt(privateKeyPem, keyContext(issuerId, version)),
    });
    if (stored) return publicKeyPem;
    return (await this.keys.findOne({ issuerId, version }).lean<KeyMaterialRecord>())!.publicKeyPem;
  }

  async publicKeys(issuerId: string): Promise<Map<number, string>> {
    const rows = await this.keys
      .find({ issuerId }, { version: 1, publicKeyPem: 1 })
      .lean<KeyMaterialRecord[]>();
    return new Map(rows.map((row) => [row.version, row.publicKeyPem]));
  }

  async privateKeyPem(issuerId: string, version: number): Promise<string | null> {
    const row = await this.keys.findOne({ issuerId, version }).lean<KeyMaterialRecord>();
    return row ? this.cipher.decrypt(row.privateKeyCiphertext, keyContext(issuerId, version)) : null;
  }

  private async insertUnique<T>(model: Model<T>, document: T, message: string): Promise<void> {
    if (!(await insertUnlessDuplicate(model, document))) throw new DuplicateError(message);
  }
}
