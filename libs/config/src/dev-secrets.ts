import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Development secrets, generated once into `.data/secrets.json` (git-ignored, mode 0600) so a fresh
 * clone runs without setup. Production sets every one of them through the environment instead.
 */
export interface DevSecrets {
  jwtSecret: string;
  payloadCodecKeys: string;
  fieldEncryptionKeys: string;
  activationKey: string;
  partnerWebhookSecret: string;
  otpHmacKey: string;
  googlePayProviderPublicKeyPem: string;
  /** Kept only so the local wallet simulator and tests can open GooglePay payloads. */
  googlePayProviderPrivateKeyPem: string;
}

export function secretsPath(dataDir: string): string {
  return join(dataDir, 'secrets.json');
}

export function generateDevSecrets(): DevSecrets {
  const provider = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    jwtSecret: randomBytes(32).toString('base64url'),
    payloadCodecKeys: `dev-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`,
    fieldEncryptionKeys: `dev-${randomBytes(3).toString('hex')}:${randomBytes(32).toString('base64')}`,
    activationKey: randomBytes(32).toString('base64'),
    partnerWebhookSecret: randomBytes(24).toString('base64url'),
    otpHmacKey: randomBytes(32).toString('base64'),
    googlePayProviderPublicKeyPem: provider.publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    googlePayProviderPrivateKeyPem: provider.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/**
 * Reads the development secrets, generating them on first use; a secret added by a newer release is
 * generated into an existing file, never replacing the others.
 */
export function ensureDevSecrets(dataDir: string): DevSecrets {
  const path = secretsPath(dataDir);
  if (existsSync(path)) {
    const existing = JSON.parse(readFileSync(path, 'utf8')) as Partial<DevSecrets>;
    const fresh = generateDevSecrets();
    const missing = (Object.keys(fresh) as Array<keyof DevSecrets>).filter((key) => !existing[key]);
    if (missing.length === 0) return existing as DevSecrets;
    const completed = {
      ...existing,
      ...Object.fromEntries(missing.map((key) => [key, fresh[key]])),
    } as DevSecrets;
    writeFileSync(path, JSON.stringify(completed, null, 2), { mode: 0o600 });
    return completed;
  }
  mkdirSync(dataDir, { recursive: true });
  const secrets = generateDevSecrets();
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600, flag: 'wx' });
  return secrets;
}
