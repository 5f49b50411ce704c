import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '@tlo/crypto';

export interface ReceivedWebhook {
  body: Record<string, unknown>;
  rawBody: string;
  headers: Record<string, string | string[] | undefined>;
  signatureValid: boolean;
  status: number;
}

/**
 * A real local HTTP endpoint standing in for a partner: checks each request's signature and answers
 * 500 to the first `failFirst` requests, then 200.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  failFirst = 0;
  private server?: Server;

  constructor(private readonly secret: string) {}

  get url(): string {
    return `http://127.0.0.1:${(this.server!.address() as AddressInfo).port}/partner-events`;
  }

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let raw = '';
      request.on('data', (chunk) => (raw += chunk));
      request.on('end', () => {
        const timestamp = String(request.headers['x-timestamp'] ?? '');
        const signature = String(request.headers['x-signature'] ?? '');
        const status = this.failFirst > 0 ? 500 : 200;
        if (this.failFirst > 0) this.failFirst -= 1;
        this.received.push({
          body: JSON.parse(raw || '{}'),
          rawBody: raw,
          headers: request.headers,
          signatureValid: verifyWebhookSignature(this.secret, timestamp, raw, signature),
          status,
        });
        response.writeHead(status).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  delivered(): ReceivedWebhook[] {
    return this.received.filter((r) => r.status === 200);
  }

  async waitFor(
    predicate: (delivered: ReceivedWebhook[]) => boolean,
    timeoutMs = 20_000,
  ): Promise<ReceivedWebhook[]> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this.delivered())) {
      if (Date.now() > deadline)
        throw new Error(`webhooks not received in time: ${JSON.stringify(this.received.map((r) => r.body))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
    return this.delivered();
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }
}
