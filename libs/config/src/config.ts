import { isIP } from 'node:net';
import { resolve } from 'node:path';
import {
  type CardOtpLimits,
  DEFAULT_CARD_OTP_LIMITS,
  DEFAULT_DECISION_RULES,
  DEFAULT_PURGE_AFTER_MONTHS,
  type DecisionRules,
} from '@tlo/domain';
import { type OutboundPolicy, checkOutboundUrl } from '@tlo/outbound';
import { ConfigError } from './config-error';
import { type DevSecrets, ensureDevSecrets } from './dev-secrets';
import { type TemporalConnectionOptions, temporalConnectionOptions } from './temporal-connection';

export interface AppConfig {
  production: boolean;
  dataDir: string;
  /** `connection` is what the client and the worker connect with (address, TLS, API key). */
  temporal: { address: string; namespace: string; taskQueue: string; connection: TemporalConnectionOptions };
  mongo: { uri: string };
  api: { host: string; port: number; publicUrl: string; limits: HttpLimits };
  /**
   * Where the worker's Temporal runtime serves Prometheus metrics (`host:port`), and its URL; how many
   * workflows it keeps cached and how much it runs at once.
   */
  worker: { metricsAddress: string; metricsUrl: string; capacity: WorkerCapacity };
  /** Bearer tokens: HS256 secret, issuer, and the longest lifetime (`exp` - `iat`) accepted. */
  auth: { jwtSecret: string; issuer: string; maxTokenLifetimeSeconds: number };
  /** The codec server always requires `codec.decode` / `codec.encode` (a bearer token or an operator session). */
  codec: { keyRing: string; corsOrigins: string[] };
  fieldEncryptionKeys: string;
  activationKey: Buffer;
  googlePayProviderPublicKeyPem: string;
  /** Roots an ApplePay certificate chain must end at; null: the development root in `dataDir`. */
  applePayTrustAnchorsPem: string | null;
  partnerWebhook: { url: string | null; secret: string };
  /** Where webhooks (partner events, one-time codes, shop notifications) may be sent. */
  outbound: OutboundPolicy;
  pushProvisioning: { walletActivationTimeoutMs: number };
  /** When set, every lifecycle continues as new after this many transitions instead of its own limit. */
  lifecycles: { maxTransitionsPerRun: number | undefined };
  /** Key of the one-time codes' HMAC, shared by every lifecycle that sends codes. */
  otpHmacKey: Buffer;
  manualProvisioning: { decisionRules: DecisionRules; cardOtpLimits: CardOtpLimits };
  /** How long an answer stored under an `Idempotency-Key` is replayed. */
  idempotency: { keyTtlMs: number };
  customerWallet: { purgeAfterMonths: number; formTtlMs: number };
  signIn: SignInConfig;
  /** Express `trust proxy`: the proxies whose X-Forwarded-For gives the client address (none by default). */
  trustProxy: number | string | false;
  logLevel: string;
}

/** The Standard Payments redirect sign-in page: where it may send the user back, and its limits. */
export interface SignInConfig {
  /** Exact origins `returnUrl` may point at (Google's by default). */
  returnOrigins: string[];
  /** Outside production, any loopback origin too (a local stand-in for Google's page). */
  loopbackReturns: boolean;
  /** Sign-in posts per client address per window; past it, the address waits out the window. */
  address: { attempts: number; windowSeconds: number };
  /** Sign-in attempts per username per window; past it, the account is locked for `lockoutSeconds`. */
  account: { attempts: number; windowSeconds: number; lockoutSeconds: number };
}

/** The worker's sticky cache and task slots (Temporal `WorkerOptions` of the same names). */
export interface WorkerCapacity {
  /**
   * Workflows kept in memory between their tasks. An idle actor beyond it is evicted and replayed
   * from its history on its next event, so this bounds the worker's memory, not how many actors live.
   */
  maxCachedWorkflows: number;
  /** Workflow tasks at once; a task waiting on a local activity (a projection) holds its slot. */
  maxConcurrentWorkflowTaskExecutions: number;
  maxConcurrentActivityTaskExecutions: number;
  maxConcurrentLocalActivityExecutions: number;
}

/** What the API's HTTP server accepts before a request reaches a route. */
export interface HttpLimits {
  /** Longest time to receive a whole request (headers and body); then the server answers 408. */
  requestTimeoutMs: number;
  /** Longest time to receive the request's headers. */
  headersTimeoutMs: number;
  /** Largest request body, after decompression; larger is 413. */
  bodyLimitBytes: number;
  /** Deepest nesting of arrays and objects in a JSON body; deeper is 400. */
  jsonMaxDepth: number;
}

export { ConfigError } from './config-error';

const DEFAULTS = {
  namespace: 'default',
  taskQueue: 'tokenization',
  mongoUri: 'mongodb://127.0.0.1:27017/tokenization',
  apiHost: '127.0.0.1',
  apiPort: 3000,
  workerMetricsAddress: '127.0.0.1:9464',
  uiOrigin: 'http://127.0.0.1:8233,http://localhost:8233',
  walletActivationTimeoutMs: 24 * 60 * 60 * 1000,
  /** Where Google's redirect authentication returns the user (its `gspCallbackUrl`). */
  standardPaymentsReturnOrigins: 'https://pay.google.com,https://payments.google.com',
  requestTimeoutMs: 30_000,
  headersTimeoutMs: 20_000,
  bodyLimitBytes: 100 * 1024,
  jsonMaxDepth: 64,
  /*
   * Sized for a 2-core machine with the worker under 1 GB: an idle push-provisioning actor costs
   * about 0.5 MB in the cache (docs/performance.md), so 1,000 of them stay near 700 MB however many
   * actors are open; the SDK's default grows with the heap limit (about 2,000 on a 4 GB heap).
   */
  workerMaxCachedWorkflows: 1000,
  /*
   * One workflow thread does the CPU work; the slots are for tasks waiting on local activities and
   * on I/O-bound activities (the store, partner webhooks), so they outnumber the cores. 40 workflow
   * tasks keep a burst of 32 concurrent lifecycles from queueing behind each other's projections.
   */
  workerMaxConcurrentWorkflowTasks: 40,
  workerMaxConcurrentActivities: 64,
  workerMaxConcurrentLocalActivities: 64,
};

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value <= 0)
    throw new ConfigError(`${name} must be a positive integer, got "${raw}"`);
  return value;
}

function httpLimits(env: NodeJS.ProcessEnv): HttpLimits {
  const limits = {
    requestTimeoutMs: integer(env, 'API_REQUEST_TIMEOUT_MS', DEFAULTS.requestTimeoutMs),
    headersTimeoutMs: integer(env, 'API_HEADERS_TIMEOUT_MS', DEFAULTS.headersTimeoutMs),
    bodyLimitBytes: integer(env, 'API_BODY_LIMIT_BYTES', DEFAULTS.bodyLimitBytes),
    jsonMaxDepth: integer(env, 'API_JSON_MAX_DEPTH', DEFAULTS.jsonMaxDepth),
  };
  // Node refuses a headers timeout longer than the request timeout.
  if (limits.headersTimeoutMs > limits.requestTimeoutMs)
    throw new ConfigError('API_HEADERS_TIMEOUT_MS must not exceed API_REQUEST_TIMEOUT_MS');
  return limits;
}

function workerCapacity(env: NodeJS.ProcessEnv): WorkerCapacity {
  const capacity = {
    maxCachedWorkflows: integer(env, 'WORKER_MAX_CACHED_WORKFLOWS', DEFAULTS.workerMaxCachedWorkflows),
    maxConcurrentWorkflowTaskExecutions: integer(
      env,
      'WORKER_MAX_CONCURRENT_WORKFLOW_TASKS',
      DEFAULTS.workerMaxConcurrentWorkflowTasks,
    ),
    maxConcurrentActivityTaskExecutions: integer(
      env,
      'WORKER_MAX_CONCURRENT_ACTIVITIES',
      DEFAULTS.workerMaxConcurrentActivities,
    ),
    maxConcurrentLocalActivityExecutions: integer(
      env,
      'WORKER_MAX_CONCURRENT_LOCAL_ACTIVITIES',
      DEFAULTS.workerMaxConcurrentLocalActivities,
    ),
  };
  // The SDK would silently change these: a workflow task runs on a cached workflow.
  if (capacity.maxCachedWorkflows < 2)
    throw new ConfigError('WORKER_MAX_CACHED_WORKFLOWS must be at least 2');
  if (capacity.maxConcurrentWorkflowTaskExecutions > capacity.maxCachedWorkflows)
    throw new ConfigError('WORKER_MAX_CONCURRENT_WORKFLOW_TASKS must not exceed WORKER_MAX_CACHED_WORKFLOWS');
  return capacity;
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

/** Comma-separated origins (`scheme://host[:port]` and nothing more), https only in production. */
function origins(env: NodeJS.ProcessEnv, name: string, fallback: string, production: boolean): string[] {
  const entries = (env[name] ?? fallback).split(',').map((entry) => entry.trim());
  return entries.filter(Boolean).map((entry) => {
    let origin = 'null';
    try {
      origin = new URL(entry).origin;
    } catch {
      /* refused below */
    }
    if (origin === 'null' || origin !== entry.toLowerCase().replace(/\/$/, ''))
      throw new ConfigError(`${name}: "${entry}" is not an origin such as https://pay.google.com`);
    if (production && !origin.startsWith('https://'))
      throw new ConfigError(`${name}: "${entry}" must be https in production`);
    return origin;
  });
}

/** A hop count or a list of proxy addresses/subnets; never "trust every proxy", which lets clients pick. */
function trustProxy(env: NodeJS.ProcessEnv): number | string | false {
  const raw = (env.TRUST_PROXY ?? '').trim();
  if (raw === '' || raw === 'false') return false;
  if (/^\d+$/.test(raw)) return Number(raw);
  if (raw === 'true')
    throw new ConfigError("TRUST_PROXY must be a hop count or the proxies' addresses, e.g. 1 or 10.0.0.0/8");
  return raw;
}

/**
 * Production sends webhooks only to public https receivers. Development also allows plain http and
 * receivers on this machine, unless OUTBOUND_ALLOW_LOOPBACK=false; production refuses to allow them.
 */
function outboundPolicy(env: NodeJS.ProcessEnv, production: boolean): OutboundPolicy {
  const raw = env.OUTBOUND_ALLOW_LOOPBACK || (production ? 'false' : 'true');
  if (raw !== 'true' && raw !== 'false')
    throw new ConfigError(`OUTBOUND_ALLOW_LOOPBACK must be true or false, got "${raw}"`);
  if (production && raw === 'true')
    throw new ConfigError('OUTBOUND_ALLOW_LOOPBACK=true is for development only, not production');
  return { httpsOnly: production, allowLoopback: raw === 'true' };
}

/** The partner webhook URL, refused at startup when the outbound policy would never deliver to it. */
function partnerWebhookUrl(env: NodeJS.ProcessEnv, policy: OutboundPolicy): string | null {
  const url = env.PARTNER_WEBHOOK_URL || null;
  if (url === null) return null;
  const verdict = checkOutboundUrl(url, policy);
  if (!verdict.ok) throw new ConfigError(`PARTNER_WEBHOOK_URL ${verdict.problem}`);
  return url;
}

/** Where development secrets and state live: `TLO_DATA_DIR`, else `.data/` of the working directory. */
export function dataDirOf(env: NodeJS.ProcessEnv): string {
  return resolve(env.TLO_DATA_DIR ?? '.data');
}

/**
 * The PEM roots of `APPLE_PAY_TRUST_ANCHORS_PEM` (literal `\n` allowed, for one-line environments).
 * Production names them: no silent default may decide whose keys receive card numbers.
 */
function applePayTrustAnchors(env: NodeJS.ProcessEnv, production: boolean): string | null {
  const value = env.APPLE_PAY_TRUST_ANCHORS_PEM;
  if (value) return value.replace(/\\n/g, '\n');
  if (production)
    throw new ConfigError(
      "APPLE_PAY_TRUST_ANCHORS_PEM must be set in production: the PEM of Apple Root CA - G3, the root of Apple's in-app provisioning certificates",
    );
  return null;
}

/**
 * The whole configuration, typed, from the environment. Outside production, secrets that are not
 * set come from `.data/secrets.json` (generated on first use); in production each one is required.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const production = env.NODE_ENV === 'production';
  const dataDir = dataDirOf(env);
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
  const outbound = outboundPolicy(env, production);
  const temporalConnection = temporalConnectionOptions(env);
  return {
    production,
    dataDir,
    temporal: {
      address: temporalConnection.address,
      namespace: env.TEMPORAL_NAMESPACE ?? DEFAULTS.namespace,
      taskQueue: env.TEMPORAL_TASK_QUEUE ?? DEFAULTS.taskQueue,
      connection: temporalConnection,
    },
    mongo: { uri: env.MONGODB_URI ?? DEFAULTS.mongoUri },
    api: { host, port, publicUrl: env.API_PUBLIC_URL ?? `http://${host}:${port}`, limits: httpLimits(env) },
    worker: {
      ...metricsListener(env, 'WORKER_METRICS_ADDRESS', DEFAULTS.workerMetricsAddress),
      capacity: workerCapacity(env),
    },
    auth: {
      jwtSecret: secret('JWT_SECRET', (s) => s.jwtSecret),
      issuer: env.JWT_ISSUER ?? 'tokenization-orchestrator',
      maxTokenLifetimeSeconds: integer(env, 'JWT_MAX_LIFETIME_SECONDS', 24 * 3600),
    },
    codec: {
      keyRing: secret('PAYLOAD_CODEC_KEYS', (s) => s.payloadCodecKeys),
      corsOrigins: (env.CODEC_CORS_ORIGINS ?? DEFAULTS.uiOrigin).split(',').map((o) => o.trim()),
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
    applePayTrustAnchorsPem: applePayTrustAnchors(env, production),
    partnerWebhook: {
      url: partnerWebhookUrl(env, outbound),
      secret: secret('PARTNER_WEBHOOK_SECRET', (s) => s.partnerWebhookSecret),
    },
    outbound,
    pushProvisioning: {
      walletActivationTimeoutMs: integer(
        env,
        'WALLET_ACTIVATION_TIMEOUT_MS',
        DEFAULTS.walletActivationTimeoutMs,
      ),
    },
    lifecycles: {
      maxTransitionsPerRun: env.MAX_TRANSITIONS_PER_RUN
        ? integer(env, 'MAX_TRANSITIONS_PER_RUN', 0)
        : undefined,
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
    signIn: {
      returnOrigins: origins(
        env,
        'STANDARD_PAYMENTS_RETURN_ORIGINS',
        DEFAULTS.standardPaymentsReturnOrigins,
        production,
      ),
      loopbackReturns: !production,
      address: {
        attempts: integer(env, 'SIGN_IN_ADDRESS_ATTEMPTS', 20),
        windowSeconds: integer(env, 'SIGN_IN_ADDRESS_WINDOW_SECONDS', 60),
      },
      account: {
        attempts: integer(env, 'SIGN_IN_ACCOUNT_ATTEMPTS', 5),
        windowSeconds: integer(env, 'SIGN_IN_ACCOUNT_WINDOW_SECONDS', 15 * 60),
        lockoutSeconds: integer(env, 'SIGN_IN_ACCOUNT_LOCKOUT_SECONDS', 15 * 60),
      },
    },
    trustProxy: trustProxy(env),
    logLevel: env.LOG_LEVEL ?? 'info',
  };
}
