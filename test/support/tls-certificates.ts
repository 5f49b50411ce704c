import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsFiles {
  dir: string;
  /** Paths of the PEM files. */
  caCert: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** A second key, not the client certificate's. */
  otherKey: string;
  pem(path: string): string;
}

/**
 * A throwaway PKI made by the openssl CLI: a CA, a server certificate for `serverName` (and
 * 127.0.0.1), and a client certificate with the common name `clientName`, all P-256.
 */
export function makeTlsFiles(serverName: string, clientName: string): TlsFiles {
  const dir = mkdtempSync(join(tmpdir(), 'tlo-tls-'));
  const at = (name: string) => join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'ignore' });
  const key = (name: string) =>
    openssl('ecparam', '-name', 'prime256v1', '-genkey', '-noout', '-out', at(name));
  key('ca.key');
  openssl(
    'req',
    '-new',
    '-x509',
    '-key',
    at('ca.key'),
    '-out',
    at('ca.pem'),
    '-days',
    '2',
    '-subj',
    '/CN=tlo test CA',
  );
  const issue = (name: string, subject: string, extensions: string) => {
    key(`${name}.key`);
    openssl('req', '-new', '-key', at(`${name}.key`), '-out', at(`${name}.csr`), '-subj', subject);
    writeFileSync(at(`${name}.ext`), extensions);
    openssl(
      'x509',
      '-req',
      '-in',
      at(`${name}.csr`),
      '-CA',
      at('ca.pem'),
      '-CAkey',
      at('ca.key'),
      '-CAcreateserial',
      '-out',
      at(`${name}.pem`),
      '-days',
      '2',
      '-extfile',
      at(`${name}.ext`),
    );
  };
  issue(
    'server',
    `/CN=${serverName}`,
    `subjectAltName=DNS:${serverName},IP:127.0.0.1\nextendedKeyUsage=serverAuth\n`,
  );
  issue('client', `/CN=${clientName}`, 'extendedKeyUsage=clientAuth\n');
  key('other.key');
  return {
    dir,
    caCert: at('ca.pem'),
    serverCert: at('server.pem'),
    serverKey: at('server.key'),
    clientCert: at('client.pem'),
    clientKey: at('client.key'),
    otherKey: at('other.key'),
    pem: (path) => readFileSync(path, 'utf8'),
  };
}
