import { isIP } from 'node:net';
import { resolve } from 'node:path';
import {
  type CardOtpLimits,
  DEFAULT_CARD_OTP_LIMITS,
  DEFAULT_DECISION_RULES,
  DEFAULT_PURGE_AFTER_MONTHS,
  type DecisionRules,
} from '@tlo/domain';
import { type DevSecrets, ensureDevSecrets } from './dev-secrets';

export interface AppConfig {
  production: boolean;
  dataDir: string;
  temporal: { address: string; namespace: string; taskQueue: string };
  mongo: { uri: string };
  api: { host: string; port: number; publicUrl: string };
  /** Where the worker's Temporal runtime serves Prometheus metrics (`host:port`), and its URL. */
  worker: { metricsAddress: string; metricsUrl: string };
  auth: { jwtSecret: string; issuer: string };
  codec: { keyRing: string; corsOrigins: string[]; requireAuth: boolean };
  fieldEncryptionKeys: string;
  activationKey: Buffer;
  googlePayProviderPublicKeyPem: string;
  partnerWebhook: { url: string | null; secret: string };
  pushProvisioning: { walletActivationTimeoutMs: number; maxTransitionsPerRun: number };
  /** Key of the one-time codes' HMAC, shared by every lifecycle that sends codes. */
  otpHmacKey: Buffer;
  manualProvisioning: { decisionRules: DecisionRules; cardOtpLimits: CardOtpLimits };
  /** How long an answer stored under an `Idempotency-Key` is replayed. */
  idempotency: { keyTtlMs: number };
  customerWallet: { purgeAfterMonths: number; formTtlMs: number };
  logLevel: string;
}

export class ConfigError extends Error {}

const DEFAULTS = {
  temporalAddress: '127.0.0.1:7233',
  namespace: 'default',
  taskQueue: 'tokenization',
  mongoUri: 'mongodb://127.0.0.1:27017/tokenization',
  apiHost: '127.0.0.1',
  apiPort: 3000,
  workerMetricsAddress: '127.0.0.1:9464',
  uiOrigin: 'http://127.0.0.1:8233,http://localhost:8233',
  walletActivationTimeoutMs: 24 * 60 * 60 * 1000,
};

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

const HOUR_MS = 60 * 60 * 1000;

/** Codes sent and wrong codes allowed per card over a rolling window, across its requests. */
function cardOtpLimits(env: NodeJS.ProcessEnv): CardOtpLimits {
  const { sends, wrongGuesses } = DEFAULT_CARD_OTP_LIMITS;
  const windowMs = integer(env, 'CARD_OTP_LIMIT_WINDOW_HOURS', sends.windowMs / HOUR_MS) * HOUR_MS;
  return {
    sends: { max: integer(env, 'CARD_OTP_SENDS_PER_WINDOW', sends.max), windowMs },
    wrongGuesses: { max: integer(env, 'CARD_OTP_WRONG_GUESSES_PER_WINDOW', wrongGuesses.max), windowMs },
  };
}

/**
 * An `ip:port` listener (IPv6 in brackets: the Temporal runtime binds IP literals, not host names),
 * with the URL its `/metrics` answers on from this machine.
 */
function metricsListener(env: NodeJS.ProcessEnv, name: string, fallback: string) {
  const raw = env[name] || fallback;
  const match = /^(?:\[([^\]]+)\]|([^:[\]]+)):(\d{1,5})$/.exec(raw);
  const bracketed = match?.[1] !== undefined;
  const ip = match?.[1] ?? match?.[2] ?? '';
  const port = Number(match?.[3]);
  if (!match || isIP(ip) !== (bracketed ? 6 : 4) || port < 1 || port > 65535)
    throw new ConfigError(`${name} must be ip:port, e.g. ${fallback} or [::1]:9464, got "${raw}"`);
  // A wildcard bind answers on loopback too: that is the URL to print for this machine.
  const host = ip === '0.0.0.0' ? '127.0.0.1' : ip === '::' ? '[::1]' : bracketed ? `[${ip}]` : ip;
  return { metricsAddress: raw, metricsUrl: `http://${host}:${port}/metrics` };
}

/**
 * The whole configuration, typed, from the environment. Outside production, secrets that are not
 * set come from `.data/secrets.json` (generated on first use); in production each one is required.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = resolve(env.TLO_DATA_DIR ?? '.data');
  let dev: DevSecrets | undefined;
  const secret = (name: string, pick: (s: DevSecrets) => string): string => {
    const value = env[name];
    if (value) return value;
    if (production) throw new ConfigError(`${name} must be set in production`);
    dev ??= ensureDevSecrets(dataDir);
    return pick(dev);
  };
  const host = env.API_HOST ?? DEFAULTS.apiHost;
  const port = integer(env, 'API_PORT', DEFAULTS.apiPort);
  return {
    production,
    dataDir,
    temporal: {
      address: env.TEMPORAL_ADDRESS ?? DEFAULTS.temporalAddress,
      namespace: env.TEMPORAL_NAMESPACE ?? DEFAULTS.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? DEFAULTS.taskQueue,
    },
    mongo: { uri: env.MONGODB_URI ?? DEFAULTS.mongoUri },
    api: { host, port, publicUrl: env.API_PUBLIC_URL ?? `http://${host}:${port}` },
    worker: metricsListener(env, 'WORKER_METRICS_ADDRESS', DEFAULTS.workerMetricsAddress),
    auth: {
      jwtSecret: secret('JWT_SECRET', (s) => s.jwtSecret),
      issuer: env.JWT_ISSUER ?? 'tokenization-orchestrator',
    },
    codec: {
      keyRing: secret('PAYLOAD_CODEC_KEYS', (s) => s.payloadCodecKeys),
      corsOrigins: (env.CODEC_CORS_ORIGINS ?? DEFAULTS.uiOrigin).split(',').map((o) => o.trim()),
      requireAuth: (env.CODEC_REQUIRE_AUTH ?? (production ? 'true' : 'false')) === 'true',
    },
    fieldEncryptionKeys: secret('FIELD_ENCRYPTION_KEYS', (s) => s.fieldEncryptionKeys),
    activationKey: Buffer.from(
      secret('ACTIVATION_KEY', (s) => s.activationKey),
      'base64',
    ),
    googlePayProviderPublicKeyPem: secret(
      'GOOGLE_PAY_PROVIDER_PUBLIC_KEY_PEM',
      (s) => s.googlePayProviderPublicKeyPem,
    ),
    partnerWebhook: {
      url: env.PARTNER_WEBHOOK_URL || null,
      secret: secret('PARTNER_WEBHOOK_SECRET', (s) => s.partnerWebhookSecret),
    },
    pushProvisioning: {
      walletActivationTimeoutMs: integer(
        env,
        'WALLET_ACTIVATION_TIMEOUT_MS',
        DEFAULTS.walletActivationTimeoutMs,
      ),
      maxTransitionsPerRun: integer(env, 'MAX_TRANSITIONS_PER_RUN', 500),
    },
    otpHmacKey: Buffer.from(
      secret('OTP_HMAC_KEY', (s) => s.otpHmacKey),
      'base64',
    ),
    manualProvisioning: {
      decisionRules: {
        redRiskAtLeast: integer(env, 'DECISION_RED_RISK_AT_LEAST', DEFAULT_DECISION_RULES.redRiskAtLeast),
        yellowRiskAtLeast: integer(
          env,
          'DECISION_YELLOW_RISK_AT_LEAST',
          DEFAULT_DECISION_RULES.yellowRiskAtLeast,
        ),
        yellowWhenDeviceNew: (env.DECISION_YELLOW_WHEN_DEVICE_NEW ?? 'true') === 'true',
      },
      cardOtpLimits: cardOtpLimits(env),
    },
    idempotency: { keyTtlMs: integer(env, 'IDEMPOTENCY_KEY_TTL_HOURS', 24) * HOUR_MS },
    customerWallet: {
      purgeAfterMonths: integer(env, 'SAVED_CARD_PURGE_AFTER_MONTHS', DEFAULT_PURGE_AFTER_MONTHS),
      formTtlMs: integer(env, 'PAYMENT_FORM_TTL_MS', 15 * 60 * 1000),
    },
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
