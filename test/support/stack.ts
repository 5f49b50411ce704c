import { type ChildProcess, spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Connection as MongoConnection } from 'mongoose';
import { ensureDevAppleRoot } from '@tlo/config';
import { type AppleDevelopmentChain, type IssuedCertificate, KeyRing } from '@tlo/crypto';
import { dataConverterFor } from '@tlo/temporal';
import { issueToken } from '../../apps/api/src/auth/jwt';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { testServers } from '../setup/servers-file';
import { makeAppleChain } from './certificates';
import { freshDatabase } from './mongo';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const processes = require('../../scripts/lib/processes');

const ROOT = join(__dirname, '..', '..');
export const JWT_ISSUER = 'tokenization-orchestrator';

export interface HttpResponse<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
  text: string;
}

export interface StackOptions {
  partnerWebhookUrl?: string;
  temporalAddress?: string;
  apiPort?: number;
  env?: NodeJS.ProcessEnv;
}

/**
 * The product as it runs in production, against the run's shared Temporal dev server and FerretDB:
 * the API and the worker are real child processes started from dist/, each stack with its own task
 * queue, database and secrets. Everything they print is kept for log checks.
 */
export class Stack {
  readonly logs: string[] = [];
  readonly taskQueue = `e2e-${randomUUID()}`;
  readonly jwtSecret = randomBytes(32).toString('base64url');
  readonly partnerWebhookSecret = 'e2e-partner-secret';
  readonly googlePayProvider = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  readonly activationKey = randomBytes(32);
  readonly fieldEncryptionKeys = KeyRing.format([KeyRing.generateKey('e2e')]);
  readonly otpHmacKey = randomBytes(32);
  /** The processes' data dir, holding the development Apple root they trust (as `npm start` makes it). */
  readonly dataDir = mkdtempSync(join(tmpdir(), 'tlo-e2e-'));
  appleRoot!: IssuedCertificate;
  client!: Client;
  mongo!: MongoConnection;
  private api?: ChildProcess;
  private worker?: ChildProcess;
  private env: NodeJS.ProcessEnv = {};
  /** Everything each process printed, uninterleaved, for line-by-line checks. */
  private readonly output: Record<string, string> = {};
  apiUrl = '';
  /** The worker's Prometheus endpoint (Temporal SDK runtime metrics), on a port of its own. */
  workerMetricsUrl = '';

  /**
   * `temporalAddress` points the stack at another Temporal server than the run's dev server, e.g. a
   * time-skipping test server whose clock a test moves forward. `apiPort` fixes the API's port (a Web
   * UI's codec endpoint must know it in advance); `env` adds to the processes' environment.
   */
  static async start(options: StackOptions = {}): Promise<Stack> {
    const stack = new Stack();
    try {
      await stack.boot(options);
    } catch (error) {
      await stack.stop(); // a half-started stack must not leave its processes (and jest) running
      throw error;
    }
    return stack;
  }

  private async boot({ partnerWebhookUrl, temporalAddress, apiPort, env }: StackOptions): Promise<void> {
    const servers = { ...testServers() };
    if (temporalAddress) servers.temporalAddress = temporalAddress;
    this.appleRoot = await ensureDevAppleRoot(this.dataDir);
    const database = await freshDatabase(servers.mongoUri, 'e2e');
    this.mongo = database.connection;
    const port = apiPort ?? (await processes.freePort());
    this.apiUrl = `http://127.0.0.1:${port}`;
    let workerMetricsPort: number = await processes.freePort();
    while (workerMetricsPort === port) workerMetricsPort = await processes.freePort();
    this.workerMetricsUrl = `http://127.0.0.1:${workerMetricsPort}/metrics`;
    this.env = {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      TLO_DATA_DIR: this.dataDir,
      TEMPORAL_ADDRESS: servers.temporalAddress,
      TEMPORAL_NAMESPACE: 'default',
      TEMPORAL_TASK_QUEUE: this.taskQueue,
      MONGODB_URI: database.uri,
      API_PORT: String(port),
      WORKER_METRICS_ADDRESS: `127.0.0.1:${workerMetricsPort}`,
      JWT_SECRET: this.jwtSecret,
      PAYLOAD_CODEC_KEYS: FIXTURE_PAYLOAD_CODEC_KEYS,
      FIELD_ENCRYPTION_KEYS: this.fieldEncryptionKeys,
      OTP_HMAC_KEY: this.otpHmacKey.toString('base64'),
      ACTIVATION_KEY: this.activationKey.toString('base64'),
      PARTNER_WEBHOOK_SECRET: this.partnerWebhookSecret,
      PARTNER_WEBHOOK_URL: partnerWebhookUrl ?? '',
      GOOGLE_PAY_PROVIDER_PUBLIC_KEY_PEM: this.googlePayProvider.publicKey
        .export({ type: 'spki', format: 'pem' })
        .toString(),
      WORKFLOW_BUNDLE_PATH: servers.workflowBundlePath,
      LOG_LEVEL: 'debug',
      ...env,
    };
    this.client = new Client({
      connection: await Connection.connect({ address: servers.temporalAddress }),
      dataConverter: dataConverterFor(FIXTURE_PAYLOAD_CODEC_KEYS),
    });
    this.startWorker();
    this.api = this.spawn('api', 'dist/apps/api/src/main.js');
    await processes.waitForPort(port, { name: 'API', child: this.api, timeoutMs: 60_000 });
    await this.waitUntilHealthy();
  }

  private spawn(name: string, entry: string): ChildProcess {
    const child = spawn(process.execPath, [join(ROOT, entry)], {
      env: this.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const keep = (stream: string) => (chunk: Buffer) => {
      this.logs.push(`[${name}] ${chunk.toString()}`);
      this.output[stream] = (this.output[stream] ?? '') + chunk.toString();
    };
    child.stdout!.on('data', keep(`${name}:stdout`));
    child.stderr!.on('data', keep(`${name}:stderr`));
    return child;
  }

  startWorker(): void {
    this.worker = this.spawn('worker', 'dist/apps/worker/src/main.js');
  }

  /** Stops the API process and starts a new one on the same port: nothing process-local survives. */
  async restartApi(): Promise<void> {
    const api = this.api!;
    const exited = new Promise((resolve) => api.once('exit', resolve));
    api.kill('SIGTERM');
    await exited;
    this.api = this.spawn('api', 'dist/apps/api/src/main.js');
    await processes.waitForPort(Number(this.env.API_PORT), {
      name: 'API',
      child: this.api,
      timeoutMs: 60_000,
    });
    await this.waitUntilHealthy();
  }

  /** kill -9: no graceful shutdown, in-flight work is abandoned as in a crash. */
  async killWorker(): Promise<void> {
    const worker = this.worker!;
    const exited = new Promise((resolve) => worker.once('exit', resolve));
    worker.kill('SIGKILL');
    await exited;
  }

  async waitUntilHealthy(timeoutMs = 30_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const response = await this.request('GET', '/health').catch(() => null);
      if (response?.status === 200) return;
      if (Date.now() > deadline) throw new Error(`API not healthy: ${response?.text}\n${this.logs.join('')}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** A fresh device chain (leaf first) the stack's API trusts, with the leaf's private key. */
  appleChain(): Promise<AppleDevelopmentChain> {
    return makeAppleChain(this.appleRoot);
  }

  token(...scopes: string[]): string {
    return this.tokenAs('e2e', ...scopes);
  }

  /** A token whose subject is `subject`: a shop's own credentials, for instance. */
  tokenAs(subject: string, ...scopes: string[]): string {
    return issueToken(this.jwtSecret, JWT_ISSUER, subject, scopes);
  }

  async request<T = Record<string, unknown>>(
    method: string,
    path: string,
    options: { token?: string; headers?: Record<string, string>; body?: unknown; rawBody?: string } = {},
  ): Promise<HttpResponse<T>> {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined = options.rawBody;
    if (options.body !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.body);
    } else if (body !== undefined) headers['content-type'] ??= 'application/json';
    const response = await fetch(`${this.apiUrl}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      /* not JSON */
    }
    return { status: response.status, headers: response.headers, body: parsed as T, text };
  }

  allLogs(): string {
    return this.logs.join('');
  }

  /**
   * The whole lines a process (`api` or `worker`, every run of it) printed, stdout (debug, info) then
   * stderr (warn, error): each stream is kept apart so that lines stay whole; a line still being
   * written is left out.
   */
  printedLines(name: 'api' | 'worker'): string[] {
    return [`${name}:stdout`, `${name}:stderr`].flatMap((stream) =>
      (this.output[stream] ?? '').split('\n').slice(0, -1),
    );
  }

  /** The JSON log lines a process printed, parsed; other lines (e.g. Nest's own warnings) are skipped. */
  jsonLogs(name: 'api' | 'worker'): Array<Record<string, unknown>> {
    return this.printedLines(name).flatMap((line) => {
      if (!line.startsWith('{')) return [];
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  }

  async stop(): Promise<void> {
    const stopChild = async (child?: ChildProcess) => {
      if (!child || child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 8000);
      await exited;
      clearTimeout(timer);
    };
    await Promise.all([stopChild(this.api), stopChild(this.worker)]);
    await this.client?.connection.close();
    await this.mongo?.close();
  }
}
