import { type IncomingHttpHeaders, type Server, createServer } from 'node:http';
import type { AddressInfo, LookupFunction } from 'node:net';
import { verifyWebhookSignature } from '@tlo/crypto';
import type { OutboundPolicy } from '@tlo/outbound';
import {
  SignedWebhookSender,
  WebhookRefusedError,
  WebhookRejectedError,
  WebhookUndeliveredError,
} from '../../../activities/webhooks/signed-webhook';

const SECRET = 'receiver-secret-0123456789';
const DEVELOPMENT: OutboundPolicy = { httpsOnly: false, allowLoopback: true };
const NO_LOOPBACK: OutboundPolicy = { httpsOnly: false, allowLoopback: false };

interface Received {
  body: string;
  headers: IncomingHttpHeaders;
}

/** A receiver on 127.0.0.1 that records what it gets and answers `status` (with `location`). */
class Receiver {
  readonly received: Received[] = [];
  private server?: Server;

  constructor(
    private readonly status = 200,
    private readonly location?: () => string,
  ) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => {
      let body = '';
      request.on('data', (chunk) => (body += chunk));
      request.on('end', () => {
        this.received.push({ body, headers: request.headers });
        response.writeHead(this.status, this.location ? { location: this.location() } : {}).end();
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get port(): number {
    return (this.server!.address() as AddressInfo).port;
  }

  url(host = '127.0.0.1'): string {
    return `http://${host}:${this.port}/hook`;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }
}

/** A DNS stand-in: each name answers the given address, in both of Node's lookup forms. */
const lookupOf =
  (names: Record<string, string>): LookupFunction =>
  (hostname, options, callback) => {
    const address = names[hostname];
    if (!address) {
      callback(Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', 4);
      return;
    }
    const family = address.includes(':') ? 6 : 4;
    if ((options as { all?: boolean }).all)
      (callback as unknown as (e: null, all: Array<{ address: string; family: number }>) => void)(null, [
        { address, family },
      ]);
    else callback(null, address, family);
  };

describe('signed webhook delivery', () => {
  const receivers: Receiver[] = [];
  const receiver = async (status = 200, location?: () => string) => {
    const started = await new Receiver(status, location).start();
    receivers.push(started);
    return started;
  };
  afterAll(async () => {
    await Promise.all(receivers.map((r) => r.stop()));
  });

  it('POSTs the JSON body signed as X-Signature = HMAC-SHA256(<timestamp>.<body>) with X-Timestamp', async () => {
    const target = await receiver();
    const status = await new SignedWebhookSender(DEVELOPMENT).post(
      target.url(),
      SECRET,
      { requestId: 'r-1', channel: 'SMS' },
      { 'x-event-id': 'e-1' },
    );
    expect(status).toBe(200);
    expect(target.received).toHaveLength(1);
    const [{ body, headers }] = target.received;
    expect(JSON.parse(body)).toEqual({ requestId: 'r-1', channel: 'SMS' });
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'x-event-id': 'e-1',
      'x-timestamp': expect.stringMatching(/^\d{13}$/),
      'x-signature': expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(
      verifyWebhookSignature(SECRET, String(headers['x-timestamp']), body, String(headers['x-signature'])),
    ).toBe(true);
  });

  it.each([301, 302, 303, 307, 308])(
    'never follows a %i: the redirect target receives nothing and the delivery fails',
    async (status) => {
      const elsewhere = await receiver();
      const redirecting = await receiver(status, () => elsewhere.url());
      const sending = new SignedWebhookSender(DEVELOPMENT).post(redirecting.url(), SECRET, { code: 'x' });
      await expect(sending).rejects.toThrow(WebhookRejectedError);
      await expect(sending).rejects.toMatchObject({
        status,
        message: expect.stringContaining('a redirect: not followed'),
      });
      expect(redirecting.received).toHaveLength(1);
      expect(elsewhere.received).toHaveLength(0);
    },
  );

  it('fails on any other non-2xx answer, so the retry policy tries again', async () => {
    const failing = await receiver(503);
    await expect(new SignedWebhookSender(DEVELOPMENT).post(failing.url(), SECRET, {})).rejects.toMatchObject({
      name: 'WebhookRejectedError',
      status: 503,
    });
  });

  it('checks the address a host name resolves to when sending, not only the URL', async () => {
    const target = await receiver();
    const lookup = lookupOf({
      'hooks.partner.test': '127.0.0.1',
      'metadata.partner.test': '169.254.169.254',
    });
    const url = `http://hooks.partner.test:${target.port}/hook?token=do-not-log`;

    // The name passes the URL check; what it resolves to is refused, and nothing is sent.
    const refused = new SignedWebhookSender(NO_LOOPBACK, { lookup }).post(url, SECRET, { code: '123456' });
    await expect(refused).rejects.toThrow(WebhookUndeliveredError);
    const error = (await refused.catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/not delivered: .*127\.0\.0\.1.* is not allowed/);
    expect(error.message).not.toContain('do-not-log');
    expect(error.message).not.toContain('123456');
    expect(target.received).toHaveLength(0);

    // Same name, same resolver, with loopback allowed: delivered. The resolved address decided.
    await new SignedWebhookSender(DEVELOPMENT, { lookup }).post(url, SECRET, {});
    expect(target.received).toHaveLength(1);

    // Loopback allowed is not "anything internal allowed".
    await expect(
      new SignedWebhookSender(DEVELOPMENT, { lookup }).post(
        'http://metadata.partner.test/latest',
        SECRET,
        {},
      ),
    ).rejects.toThrow(/169\.254\.169\.254.* is not allowed/);
  });

  it('refuses a forbidden URL before connecting, one stored before the policy applied included', async () => {
    const target = await receiver();
    const cases: Array<[OutboundPolicy, string, RegExp]> = [
      [NO_LOOPBACK, target.url(), /loopback address/],
      [NO_LOOPBACK, target.url('localhost'), /this machine \(localhost\)/],
      [DEVELOPMENT, 'http://169.254.169.254/latest/meta-data/', /cloud metadata address/],
      [DEVELOPMENT, 'http://10.0.0.1/hook', /private address/],
      [DEVELOPMENT, `http://user@127.0.0.1:${target.port}/hook`, /credentials/],
      [{ httpsOnly: true, allowLoopback: false }, 'http://hooks.partner.example/hook', /https URL/],
    ];
    for (const [policy, url, problem] of cases) {
      const sending = new SignedWebhookSender(policy).post(url, SECRET, {});
      await expect(sending).rejects.toThrow(WebhookRefusedError);
      await expect(sending).rejects.toThrow(problem);
    }
    expect(target.received).toHaveLength(0);
  });
});
