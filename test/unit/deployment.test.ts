import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { loadConfig } from '@tlo/config';

const ROOT = join(__dirname, '..', '..');

interface Service {
  image?: string;
  build?: unknown;
  command?: unknown;
  environment?: Record<string, string>;
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: unknown };
  expose?: string[];
  ports?: string[];
}

/**
 * No Docker engine runs here, so the production compose file is checked structurally: every
 * reference resolves, long-running services have healthchecks, and the app gets what it needs.
 */
describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
    services: Record<string, Service>;
    volumes: Record<string, unknown>;
  };
  const services = compose.services;

  it('has the production topology', () => {
    expect(Object.keys(services).sort()).toEqual(
      ['api', 'mongo', 'postgresql', 'temporal', 'temporal-setup', 'temporal-ui', 'worker'].sort(),
    );
    expect(services.temporal.image).toMatch(/^temporalio\/auto-setup:/);
    expect(services['temporal-ui'].image).toMatch(/^temporalio\/ui:/);
    expect(services.mongo.image).toBe('mongo:7');
  });

  it('resolves every depends_on to a service, waiting on health or completion', () => {
    for (const [name, service] of Object.entries(services)) {
      for (const [dependency, { condition }] of Object.entries(service.depends_on ?? {})) {
        expect({ name, dependency, known: dependency in services }).toEqual({
          name,
          dependency,
          known: true,
        });
        expect(['service_healthy', 'service_completed_successfully']).toContain(condition);
        if (condition === 'service_healthy') expect(services[dependency].healthcheck).toBeDefined();
      }
    }
  });

  it('gives every long-running service a healthcheck and each a way to run', () => {
    for (const [name, service] of Object.entries(services)) {
      expect({ name, runnable: Boolean(service.image || service.build) }).toEqual({ name, runnable: true });
      if (name !== 'temporal-setup')
        expect({ name, health: Boolean(service.healthcheck) }).toEqual({ name, health: true });
    }
  });

  it('configures API and worker for external Temporal and MongoDB with required secrets', () => {
    for (const name of ['api', 'worker']) {
      const environment = services[name].environment!;
      expect(environment).toMatchObject({
        NODE_ENV: 'production',
        TEMPORAL_ADDRESS: 'temporal:7233',
        MONGODB_URI: 'mongodb://mongo:27017/tokenization',
      });
      for (const secret of ['JWT_SECRET', 'PAYLOAD_CODEC_KEYS', 'FIELD_ENCRYPTION_KEYS', 'ACTIVATION_KEY']) {
        expect(environment[secret]).toMatch(new RegExp(`^\\$\\{${secret}:\\?`));
      }
      // Every secret production requires is passed through (and required) by compose: with each
      // `${NAME:?...}` filled in, the real configuration loader accepts the environment.
      const filled = Object.fromEntries(
        Object.entries(environment).map(([key, value]) => [
          key,
          String(value).replace(
            /^\$\{\w+:[?-][^}]*\}$/,
            key.endsWith('_URL') ? 'https://partner.example/events' : 'c2VjcmV0',
          ),
        ]),
      );
      expect(() => loadConfig({ ...filled, TLO_DATA_DIR: '/nonexistent' })).not.toThrow();
      expect(() => loadConfig({ ...filled, OTP_HMAC_KEY: '', TLO_DATA_DIR: '/nonexistent' })).toThrow(
        /OTP_HMAC_KEY/,
      );
    }
    expect(services.api.command).toEqual(['node', 'dist/apps/api/src/main.js']);
    expect(services.worker.command).toEqual(['node', 'dist/apps/worker/src/main.js']);
    expect(services['temporal-ui'].environment!.TEMPORAL_CODEC_ENDPOINT).toMatch(/\/codec$/);
  });

  it('publishes no Temporal frontend port: only the compose network reaches temporal:7233', () => {
    const published = Object.entries(services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => ({ name, port: String(port) })),
    );
    expect(published.filter(({ port }) => /(^|:)7233(\/tcp)?$|7233:/.test(port))).toEqual([]);
    expect(services.temporal.ports).toBeUndefined();
    expect(services.temporal.expose).toContain('7233');
    // The Web UI has the frontend's rights: loopback only, read-only.
    expect(services['temporal-ui'].ports).toEqual(['127.0.0.1:8233:8080']);
    expect(services['temporal-ui'].environment!.TEMPORAL_DISABLE_WRITE_ACTIONS).toBe('true');
  });

  it('has the Web UI send the operator session to the codec server, which always requires it', () => {
    const ui = services['temporal-ui'].environment!;
    expect(ui.TEMPORAL_CODEC_INCLUDE_CREDENTIALS).toBe('true');
    expect(ui.TEMPORAL_CODEC_PASS_ACCESS_TOKEN).toBeUndefined();
    const api = services.api.environment!;
    expect(api.CODEC_REQUIRE_AUTH).toBeUndefined(); // no switch to turn it off
    expect(api.API_PUBLIC_URL).toBeDefined(); // the sign-in page's own origin
    expect(ui.TEMPORAL_CODEC_ENDPOINT).toBe(`${api.API_PUBLIC_URL}/codec`);
  });

  it('lets Prometheus scrape the worker on the compose network and the API at /metrics', () => {
    const worker = services.worker;
    expect(worker.environment!.WORKER_METRICS_ADDRESS).toBe('0.0.0.0:9464');
    expect(worker.expose).toContain('9464');
    expect(JSON.stringify(worker.healthcheck!.test)).toContain('http://127.0.0.1:9464/metrics');
    expect(services.api.environment!.WORKER_METRICS_ADDRESS).toBeUndefined();
    expect(services.api.ports).toContain('3000:3000');
  });

  it('registers every search attribute the product upserts', () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SEARCH_ATTRIBUTES } = require('@tlo/domain') as typeof import('@tlo/domain');
    const script = JSON.stringify(services['temporal-setup'].command);
    for (const { name } of Object.values(SEARCH_ATTRIBUTES)) expect(script).toContain(name);
  });

  it('builds an image that contains what the entrypoints need', () => {
    const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
    for (const needed of [
      'npm ci',
      'npm run build',
      'COPY --from=build /app/dist dist',
      'NODE_ENV=production',
    ]) {
      expect(dockerfile).toContain(needed);
    }
  });
});
