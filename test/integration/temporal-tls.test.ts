import { type Http2SecureServer, type ServerHttp2Stream, createSecureServer } from 'node:http2';
import type { AddressInfo } from 'node:net';
import type { TLSSocket } from 'node:tls';
import { rmSync } from 'node:fs';
import { Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { temporalConnectionOptions } from '@tlo/config';
import { connectTemporalClient } from '@tlo/temporal';
import { type TlsFiles, makeTlsFiles } from '../support/tls-certificates';

interface SeenCall {
  path: string;
  authorization: string | undefined;
  clientCommonName: string;
}

/**
 * A TLS frontend standing in for Temporal's: it asks for a client certificate signed by the test CA
 * and answers every gRPC call with an empty message (enough for the connection check). It records who
 * called, so the test sees what the client and the worker really send.
 */
async function startFrontend(
  tls: TlsFiles,
): Promise<{ server: Http2SecureServer; port: number; seen: SeenCall[] }> {
  const seen: SeenCall[] = [];
  const server = createSecureServer({
    cert: tls.pem(tls.serverCert),
    key: tls.pem(tls.serverKey),
    ca: tls.pem(tls.caCert),
    requestCert: true,
    rejectUnauthorized: true,
    allowHTTP1: false,
  });
  server.on('stream', (stream: ServerHttp2Stream, headers) => {
    const peer = (stream.session?.socket as TLSSocket).getPeerCertificate();
    seen.push({
      path: String(headers[':path']),
      authorization: headers.authorization as string | undefined,
      clientCommonName: String(peer?.subject?.CN ?? ''),
    });
    stream.respond({ ':status': 200, 'content-type': 'application/grpc' }, { waitForTrailers: true });
    stream.on('wantTrailers', () => stream.sendTrailers({ 'grpc-status': '0' }));
    stream.end(Buffer.alloc(5)); // one uncompressed, empty message
    stream.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, seen };
}

describe('connecting to Temporal over mutual TLS with an API key', () => {
  let tls: TlsFiles;
  let frontend: Awaited<ReturnType<typeof startFrontend>>;
  const env = () => ({
    TEMPORAL_ADDRESS: `127.0.0.1:${frontend.port}`,
    TEMPORAL_TLS_CERT: tls.clientCert,
    TEMPORAL_TLS_KEY: tls.clientKey,
    TEMPORAL_TLS_CA: tls.caCert,
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
    TEMPORAL_API_KEY: 'key-for-the-frontend',
  });

  beforeAll(async () => {
    tls = makeTlsFiles('temporal.internal', 'tokenization-api');
    frontend = await startFrontend(tls);
  });
  afterAll(async () => {
    await new Promise((resolve) => frontend?.server.close(resolve));
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the client (API, audit commands) presents its certificate and the API key', async () => {
    frontend.seen.length = 0;
    const client = await connectTemporalClient({
      connection: temporalConnectionOptions(env()),
      namespace: 'default',
      codecKeyRing: null,
    });
    await client.connection.close();
    expect(frontend.seen.length).toBeGreaterThan(0);
    for (const call of frontend.seen) {
      expect(call).toMatchObject({
        clientCommonName: 'tokenization-api',
        authorization: 'Bearer key-for-the-frontend',
      });
    }
  });

  it('the worker connection (Rust core) does the same', async () => {
    frontend.seen.length = 0;
    const connection = await NativeConnection.connect(temporalConnectionOptions(env()));
    await connection.close();
    expect(frontend.seen.length).toBeGreaterThan(0);
    for (const call of frontend.seen) {
      expect(call).toMatchObject({
        clientCommonName: 'tokenization-api',
        authorization: 'Bearer key-for-the-frontend',
      });
    }
  });

  it('without the client certificate the frontend refuses the handshake', async () => {
    frontend.seen.length = 0;
    const serverAuthOnly: NodeJS.ProcessEnv = { ...env(), TEMPORAL_TLS_CERT: '', TEMPORAL_TLS_KEY: '' };
    await expect(
      Connection.connect({ ...temporalConnectionOptions(serverAuthOnly), connectTimeout: 2000 }),
    ).rejects.toThrow();
    expect(frontend.seen).toEqual([]);
  });
});
