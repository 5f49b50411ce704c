import 'reflect-metadata';
import { createLogger, loadConfig } from '@tlo/config';
import { createApiApp } from './app.factory';

const log = createLogger('api', process.env.LOG_LEVEL);

async function main(): Promise<void> {
  const config = loadConfig();
  const app = await createApiApp();
  await app.listen(config.api.port, config.api.host);
  log.info('api listening', { url: config.api.publicUrl, docs: `${config.api.publicUrl}/docs` });
}

main().catch((error: unknown) => {
  log.error('api failed to start', { error: error instanceof Error ? error.message : String(error) });
  process.exit(1);
});
