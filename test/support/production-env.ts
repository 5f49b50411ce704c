/**
 * A production environment with every required secret set (placeholder values), so a config test
 * loads production rules and writes no development secrets file. Tests add what they examine.
 */
export const PRODUCTION_ENV: NodeJS.ProcessEnv = {
  NODE_ENV: 'production',
  TLO_DATA_DIR: '/nonexistent',
  JWT_SECRET: 's',
  PAYLOAD_CODEC_KEYS: 'k:c2VjcmV0',
  FIELD_ENCRYPTION_KEYS: 'k:c2VjcmV0',
  ACTIVATION_KEY: 'c2VjcmV0',
  GOOGLE_PAY_PROVIDER_PUBLIC_KEY_PEM: 'pem',
  PARTNER_WEBHOOK_SECRET: 's',
  OTP_HMAC_KEY: 'c2VjcmV0',
  APPLE_PAY_TRUST_ANCHORS_PEM: 'pem',
};
