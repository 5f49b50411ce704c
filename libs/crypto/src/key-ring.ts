import { randomBytes } from 'node:crypto';

/** A 256-bit key with an id, so data encrypted under an old key stays readable after rotation. */
export interface SymmetricKey {
  id: string;
  key: Buffer;
}

/** The first key encrypts; every key decrypts. */
export class KeyRing {
  private readonly byId: Map<string, Buffer>;

  constructor(readonly keys: readonly SymmetricKey[]) {
    if (keys.length === 0) throw new Error('a key ring needs at least one key');
    for (const { id, key } of keys) {
      if (key.length !== 32) throw new Error(`key ${id} must be 32 bytes, got ${key.length}`);
      if (!/^[A-Za-z0-9._-]+$/.test(id)) throw new Error(`key id ${id} must be [A-Za-z0-9._-]+`);
    }
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  get active(): SymmetricKey {
    return this.keys[0];
  }

  find(id: string): Buffer | undefined {
    return this.byId.get(id);
  }

  /** Parses `id:base64key,id2:base64key` (active key first). */
  static parse(spec: string): KeyRing {
    const keys = spec
      .split(',')
      .map((part) => part.trim())
      .filter(Boolean)
      .map((part) => {
        const separator = part.indexOf(':');
        if (separator <= 0) throw new Error('key ring entries are written id:base64key');
        return { id: part.slice(0, separator), key: Buffer.from(part.slice(separator + 1), 'base64') };
      });
    return new KeyRing(keys);
  }

  static format(keys: readonly SymmetricKey[]): string {
    return keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
  }

  static generateKey(id: string): SymmetricKey {
    return { id, key: randomBytes(32) };
  }
}
