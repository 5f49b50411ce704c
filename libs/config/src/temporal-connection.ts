import { X509Certificate, createPrivateKey } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { ConfigError } from './config-error';

/** TLS towards the Temporal frontend; the shape both `Connection` and `NativeConnection` take. */
export interface TemporalTls {
  /** The name the server's certificate must carry, when it is not the address's host. */
  serverNameOverride?: string;
  /** The CA that signed the server's certificate; the system's roots when absent. */
  serverRootCACertificate?: Buffer;
  /** This process's certificate and key, for mutual TLS. */
  clientCertPair?: { crt: Buffer; key: Buffer };
}

/** How the API, the worker and the audit commands reach Temporal. */
export interface TemporalConnectionOptions {
  address: string;
  /** Absent: plaintext gRPC, for a frontend only this machine or a private network reaches. */
  tls?: TemporalTls;
  /** A Temporal Cloud API key, sent as `Authorization: Bearer`; always over TLS. */
  apiKey?: string;
}

export const DEFAULT_TEMPORAL_ADDRESS = '127.0.0.1:7233';

/**
 * A PEM value from the environment: the PEM itself (it starts with `-----BEGIN`, as secret stores
 * hand it over) or the path of a file that holds it (as mounted secrets are).
 */
function pem(env: NodeJS.ProcessEnv, name: string): Buffer | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  if (raw.startsWith('-----BEGIN')) return Buffer.from(`${raw}\n`);
  if (!existsSync(raw)) throw new ConfigError(`${name} must be PEM text or the path of a PEM file`);
  const text = readFileSync(raw, 'utf8');
  if (!text.includes('-----BEGIN')) throw new ConfigError(`${name}: ${raw} holds no PEM`);
  return Buffer.from(text);
}

function parsed<T>(name: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new ConfigError(`${name} is not valid: ${(error as Error).message}`);
  }
}

/**
 * The Temporal connection from the environment: `TEMPORAL_ADDRESS`; mutual TLS with
 * `TEMPORAL_TLS_CERT` and `TEMPORAL_TLS_KEY` (both or neither), `TEMPORAL_TLS_CA` and
 * `TEMPORAL_TLS_SERVER_NAME`; `TEMPORAL_API_KEY` for Temporal Cloud; `TEMPORAL_TLS=true` for TLS
 * with none of these (a server certificate from a public CA). Any of them turns TLS on.
 */
export function temporalConnectionOptions(env: NodeJS.ProcessEnv): TemporalConnectionOptions {
  const address = env.TEMPORAL_ADDRESS || DEFAULT_TEMPORAL_ADDRESS;
  const crt = pem(env, 'TEMPORAL_TLS_CERT');
  const key = pem(env, 'TEMPORAL_TLS_KEY');
  const ca = pem(env, 'TEMPORAL_TLS_CA');
  const serverName = env.TEMPORAL_TLS_SERVER_NAME?.trim() || undefined;
  const apiKey = env.TEMPORAL_API_KEY?.trim() || undefined;
  const tlsFlag = env.TEMPORAL_TLS?.trim();
  if (tlsFlag && tlsFlag !== 'true' && tlsFlag !== 'false')
    throw new ConfigError(`TEMPORAL_TLS must be true or false, got "${tlsFlag}"`);
  if (Boolean(crt) !== Boolean(key))
    throw new ConfigError('TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY go together: set both for mutual TLS');

  const wantsTls = Boolean(crt || ca || serverName || apiKey) || tlsFlag === 'true';
  if (!wantsTls) return { address };
  if (tlsFlag === 'false')
    throw new ConfigError('TEMPORAL_TLS=false contradicts the TEMPORAL_TLS_* / TEMPORAL_API_KEY settings');

  const tls: TemporalTls = {};
  if (serverName) tls.serverNameOverride = serverName;
  if (ca) {
    parsed('TEMPORAL_TLS_CA', () => new X509Certificate(ca));
    tls.serverRootCACertificate = ca;
  }
  if (crt && key) {
    const certificate = parsed('TEMPORAL_TLS_CERT', () => new X509Certificate(crt));
    const privateKey = parsed('TEMPORAL_TLS_KEY', () => createPrivateKey(key));
    if (!certificate.checkPrivateKey(privateKey))
      throw new ConfigError('TEMPORAL_TLS_KEY is not the private key of TEMPORAL_TLS_CERT');
    tls.clientCertPair = { crt, key };
  }
  return { address, tls, ...(apiKey ? { apiKey } : {}) };
}
