import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, loadConfig, temporalConnectionOptions } from '@tlo/config';
import { type TlsFiles, makeTlsFiles } from '../../support/tls-certificates';

describe('Temporal connection settings (TEMPORAL_TLS_*, TEMPORAL_API_KEY)', () => {
  let tls: TlsFiles;
  beforeAll(() => {
    tls = makeTlsFiles('temporal.internal', 'tokenization-worker');
  });
  afterAll(() => rmSync(tls.dir, { recursive: true, force: true }));

  const refused = (env: NodeJS.ProcessEnv, message: RegExp) => {
    expect(() => temporalConnectionOptions(env)).toThrow(ConfigError);
    expect(() => temporalConnectionOptions(env)).toThrow(message);
  };

  it('is plaintext to the local dev server when nothing is set', () => {
    expect(temporalConnectionOptions({})).toEqual({ address: '127.0.0.1:7233' });
    expect(temporalConnectionOptions({ TEMPORAL_ADDRESS: 'temporal:7233', TEMPORAL_TLS: 'false' })).toEqual({
      address: 'temporal:7233',
    });
  });

  it('reads mutual TLS from PEM file paths or from inline PEM, the same either way', () => {
    const fromFiles = temporalConnectionOptions({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: tls.clientCert,
      TEMPORAL_TLS_KEY: tls.clientKey,
      TEMPORAL_TLS_CA: tls.caCert,
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(fromFiles.address).toBe('temporal.internal:7233');
    expect(fromFiles.tls?.serverNameOverride).toBe('temporal.internal');
    expect(fromFiles.tls?.serverRootCACertificate?.toString()).toContain('BEGIN CERTIFICATE');
    expect(fromFiles.tls?.clientCertPair?.crt.toString()).toBe(tls.pem(tls.clientCert));
    expect(fromFiles.tls?.clientCertPair?.key.toString()).toBe(tls.pem(tls.clientKey));
    expect(fromFiles.apiKey).toBeUndefined();

    const inline = temporalConnectionOptions({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: tls.pem(tls.clientCert),
      TEMPORAL_TLS_KEY: tls.pem(tls.clientKey),
      TEMPORAL_TLS_CA: tls.pem(tls.caCert),
      TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    });
    expect(inline.tls?.clientCertPair?.crt.toString().trim()).toBe(tls.pem(tls.clientCert).trim());
    expect(inline.tls?.serverRootCACertificate?.toString().trim()).toBe(tls.pem(tls.caCert).trim());
  });

  it('turns TLS on for a CA, a server name or TEMPORAL_TLS=true alone (server-authenticated TLS)', () => {
    expect(temporalConnectionOptions({ TEMPORAL_TLS: 'true' }).tls).toEqual({});
    expect(temporalConnectionOptions({ TEMPORAL_TLS_SERVER_NAME: 'temporal.internal' }).tls).toEqual({
      serverNameOverride: 'temporal.internal',
    });
    expect(temporalConnectionOptions({ TEMPORAL_TLS_CA: tls.caCert }).tls?.clientCertPair).toBeUndefined();
  });

  it('sends a Temporal Cloud API key only over TLS', () => {
    expect(
      temporalConnectionOptions({
        TEMPORAL_ADDRESS: 'tokenization.a1b2c.tmprl.cloud:7233',
        TEMPORAL_API_KEY: 'cloud-api-key',
      }),
    ).toEqual({ address: 'tokenization.a1b2c.tmprl.cloud:7233', tls: {}, apiKey: 'cloud-api-key' });
    refused({ TEMPORAL_API_KEY: 'cloud-api-key', TEMPORAL_TLS: 'false' }, /TEMPORAL_TLS=false/);
  });

  it('refuses a certificate without its key, a key without its certificate, or a key of another pair', () => {
    refused({ TEMPORAL_TLS_CERT: tls.clientCert }, /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/);
    refused({ TEMPORAL_TLS_KEY: tls.clientKey }, /TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together/);
    refused(
      { TEMPORAL_TLS_CERT: tls.clientCert, TEMPORAL_TLS_KEY: tls.otherKey },
      /TEMPORAL_TLS_KEY is not the private key of TEMPORAL_TLS_CERT/,
    );
  });

  it('names the setting whose file is missing or holds no valid PEM', () => {
    const notPem = join(tls.dir, 'not-pem.txt');
    writeFileSync(notPem, 'hello');
    const badPem = join(tls.dir, 'bad.pem');
    writeFileSync(
      badPem,
      '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n',
    );
    refused(
      { TEMPORAL_TLS_CA: join(tls.dir, 'missing.pem') },
      /TEMPORAL_TLS_CA must be PEM text or the path/,
    );
    refused({ TEMPORAL_TLS_CA: notPem }, /TEMPORAL_TLS_CA: .* holds no PEM/);
    refused({ TEMPORAL_TLS_CA: badPem }, /TEMPORAL_TLS_CA is not valid/);
    refused({ TEMPORAL_TLS_CERT: badPem, TEMPORAL_TLS_KEY: tls.clientKey }, /TEMPORAL_TLS_CERT is not valid/);
    refused(
      { TEMPORAL_TLS_CERT: tls.clientCert, TEMPORAL_TLS_KEY: tls.caCert },
      /TEMPORAL_TLS_KEY is not valid/,
    );
    refused({ TEMPORAL_TLS: 'yes' }, /TEMPORAL_TLS must be true or false/);
  });

  it('is what the loaded configuration connects the API and the worker with', () => {
    const config = loadConfig({
      TLO_DATA_DIR: tls.dir,
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      TEMPORAL_TLS_CERT: tls.clientCert,
      TEMPORAL_TLS_KEY: tls.clientKey,
    });
    expect(config.temporal.address).toBe('temporal.internal:7233');
    expect(config.temporal.connection.tls?.clientCertPair).toBeDefined();
    expect(() => loadConfig({ TLO_DATA_DIR: tls.dir, TEMPORAL_TLS_KEY: tls.clientKey })).toThrow(ConfigError);
  });
});
