import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfig } from '@tlo/config';

describe('the API HTTP limits', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'tlo-limits-'));
  const limits = (env: NodeJS.ProcessEnv = {}) => loadConfig({ TLO_DATA_DIR: dataDir, ...env }).api.limits;

  it('has explicit defaults: 30 s per request, 20 s for headers, 100 KiB bodies, JSON 64 deep', () => {
    expect(limits()).toEqual({
      requestTimeoutMs: 30_000,
      headersTimeoutMs: 20_000,
      bodyLimitBytes: 102_400,
      jsonMaxDepth: 64,
    });
  });

  it('reads each from the environment', () => {
    expect(
      limits({
        API_REQUEST_TIMEOUT_MS: '5000',
        API_HEADERS_TIMEOUT_MS: '4000',
        API_BODY_LIMIT_BYTES: '1048576',
        API_JSON_MAX_DEPTH: '16',
      }),
    ).toEqual({
      requestTimeoutMs: 5000,
      headersTimeoutMs: 4000,
      bodyLimitBytes: 1_048_576,
      jsonMaxDepth: 16,
    });
  });

  it('refuses a headers timeout longer than the request timeout, and non-integers', () => {
    expect(() => limits({ API_REQUEST_TIMEOUT_MS: '1000', API_HEADERS_TIMEOUT_MS: '2000' })).toThrow(
      ConfigError,
    );
    expect(() => limits({ API_BODY_LIMIT_BYTES: '100kb' })).toThrow(ConfigError);
    expect(() => limits({ API_JSON_MAX_DEPTH: '0' })).toThrow(ConfigError);
  });
});
