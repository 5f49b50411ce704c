import { aesGcmDecrypt, aesGcmEncrypt } from './aes-gcm';
import { KeyRing } from './key-ring';

/**
 * Field-level encryption for values that must never be stored in clear (PANs, private keys).
 * Stored form: `v1.<keyId>.<base64 iv‖ciphertext‖tag>`. The AAD binds a ciphertext to its owner
 * (e.g. `card:<proxy>:pan`) so it cannot be copied onto another record.
 */
export class FieldCipher {
  constructor(private readonly ring: KeyRing) {}

  encrypt(plaintext: string, context: string): string {
    const { id, key } = this.ring.active;
    const sealed = aesGcmEncrypt(key, Buffer.from(plaintext, 'utf8'), Buffer.from(context, 'utf8'));
    return `v1.${id}.${sealed.toString('base64')}`;
  }

  decrypt(stored: string, context: string): string {
    const [version, keyId, body] = stored.split('.');
    if (version !== 'v1' || !keyId || !body) throw new Error('unrecognised encrypted field format');
    const key = this.ring.find(keyId);
    if (!key) throw new Error(`field encryption key ${keyId} is not in the key ring`);
    return aesGcmDecrypt(key, Buffer.from(body, 'base64'), Buffer.from(context, 'utf8')).toString('utf8');
  }
}
