import 'reflect-metadata';
import type { Server } from 'node:http';
import { createLogger, type HttpLimits, loadConfig } from '@tlo/config';
import { createApiApp } from './app.factory';

const log = createLogger('api', process.env.LOG_LEVEL);

/**
 * A client that trickles its headers or body holds a connection (and its memory) until these cut it:
 * Node then answers 408 and closes. Node looks for expired requests every `connectionsCheckingInterval`
 * (30 s by default, read when the server starts listening): every second, the cut comes on time.
 */
function applyTimeouts(server: Server & { connectionsCheckingInterval?: number }, limits: HttpLimits): void {
  server.requestTimeout = limits.requestTimeoutMs;
  server.headersTimeout = limits.headersTimeoutMs;
  server.connectionsCheckingInterval = Math.min(1000, limits.headersTimeoutMs);
}

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp();
  applyTimeouts(app.getHttpServer() as Server, config.api.limits);
  await app.listen(config.api.port, config.api.host);
  log.info('api listening', { url: config.api.publicUrl, docs: `${config.api.publicUrl}/docs` });
}

main().catch((error: unknown) => {
  log.error('api failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
