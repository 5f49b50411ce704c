import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

/** `scrypt$<salt b64>$<hash b64>`: a password is only ever stored in this form. */
export function hashPassword(password: string): string {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('base64')}$${scryptSync(password, salt, 32).toString('base64')}`;
}

/** Compares in constant time with a stored `hashPassword` value. */
export function passwordMatches(password: string, stored: string): boolean {
  const [, salt, hash] = stored.split('$');
  const expected = Buffer.from(hash, 'base64');
  return timingSafeEqual(scryptSync(password, Buffer.from(salt, 'base64'), expected.length), expected);
}
