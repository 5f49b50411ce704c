import { request } from 'node:http';
import { connect } from 'node:net';
import { gzipSync } from 'node:zlib';
import { newCard } from '../support/cards';
import { Stack } from '../support/stack';
import { launchBrowser } from '../support/browser';

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Record<string, unknown> & { answer?: Record<string, unknown> };
}

const REQUEST_TIMEOUT_MS = 3000;
const HEADERS_TIMEOUT_MS = 2000;

/**
 * The HTTP edge's limits over the real API process: body size, JSON depth, media type, charset and
 * encoding, missing or null nested objects, undecodable paths, the server's request and headers
 * timeouts (short here, through the environment), helmet's headers and the sign-in page's own CSP.
 */
describe('HTTP limits and headers (real API process)', () => {
  let stack: Stack;
  let admin: string;
  let shop: string;

  beforeAll(async () => {
    stack = await Stack.start({
      env: {
        API_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        API_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
      },
    });
    admin = stack.token('cards.write', 'cards.read');
    shop = stack.tokenAs(`shop-${Date.now()}`, 'payments');
  });
  afterAll(() => stack?.stop());

  /** Sends bytes exactly as given, with the headers given (no JSON encoding, no normalisation). */
  const raw = (method: string, path: string, headers: Record<string, string>, body?: Buffer) =>
    new Promise<Raw>((resolve, reject) => {
      const url = new URL(stack.apiUrl);
      const req = request(
        {
          host: url.hostname,
          port: url.port,
          method,
          path,
          headers: { ...headers, ...(body ? { 'content-length': String(body.length) } : {}) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString();
            let parsed: Raw['body'] = {};
            try {
              parsed = JSON.parse(text) as Raw['body'];
            } catch {
              /* not JSON */
            }
            resolve({ status: res.statusCode!, headers: res.headers, body: parsed });
          });
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  const postCard = (body: Buffer, headers: Record<string, string> = {}) =>
    raw(
      'POST',
      '/cards',
      { authorization: `Bearer ${admin}`, 'content-type': 'application/json', ...headers },
      body,
    );
  const json = (value: unknown) => Buffer.from(JSON.stringify(value));

  it.each([
    ['arrays', '['.repeat(2500) + ']'.repeat(2500)],
    ['objects', '{"a":'.repeat(2500) + '1' + '}'.repeat(2500)],
    ['arrays inside a string-laden object', `{"pan":"[[[[","x":${'['.repeat(65)}${']'.repeat(65)}}`],
  ])('refuses JSON nested too deep (%s) with a 400 naming the body, and stays up', async (_case, text) => {
    const answer = await postCard(Buffer.from(text));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'MALFORMED_REQUEST', field: 'body' });
    expect((await stack.request('GET', '/health')).status).toBe(200);
  });

  it('takes JSON nested within the limit: brackets inside strings do not count', async () => {
    const answer = await postCard(json({ ...newCard(), holderName: '[[[[{{{{'.repeat(8) }));
    expect(answer.status).toBe(201);
  });

  it('answers 413 naming the body past the size limit, also for a small gzip that inflates past it', async () => {
    const big = json({ ...newCard(), holderName: 'a'.repeat(200_000) });
    const plain = await postCard(big);
    expect(plain.status).toBe(413);
    expect(plain.body).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', field: 'body' });
    const bomb = gzipSync(json({ padding: 'a'.repeat(5_000_000) }));
    expect(bomb.length).toBeLessThan(10_000);
    const inflated = await postCard(bomb, { 'content-encoding': 'gzip' });
    expect(inflated.status).toBe(413);
    expect(inflated.body).toMatchObject({ field: 'body' });
  });

  it('takes a gzip body; refuses an invalid one with 400 and an unknown encoding with 415, naming Content-Encoding', async () => {
    expect((await postCard(gzipSync(json(newCard())), { 'content-encoding': 'gzip' })).status).toBe(201);
    const invalid = await postCard(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' });
    expect(invalid.status).toBe(400);
    expect(invalid.body).toMatchObject({ code: 'MALFORMED_REQUEST', field: 'Content-Encoding' });
    const unknown = await postCard(json(newCard()), { 'content-encoding': 'x-unheard-of' });
    expect(unknown.status).toBe(415);
    expect(unknown.body).toMatchObject({ code: 'UNSUPPORTED_CONTENT_ENCODING', field: 'Content-Encoding' });
  });

  it.each([
    ['charset=latin1', 'application/json; charset=latin1', 'UNSUPPORTED_CHARSET'],
    ['charset=utf-16', 'application/json; charset=utf-16', 'UNSUPPORTED_CHARSET'],
    ['text/plain', 'text/plain', 'UNSUPPORTED_MEDIA_TYPE'],
    ['a form on a JSON route', 'application/x-www-form-urlencoded', 'UNSUPPORTED_MEDIA_TYPE'],
  ])('answers 415 naming Content-Type to %s', async (_case, contentType, code) => {
    const answer = await postCard(json(newCard()), { 'content-type': contentType });
    expect(answer.status).toBe(415);
    expect(answer.body).toMatchObject({ code, field: 'Content-Type' });
  });

  it('takes a POST without a body and without a Content-Type (Content-Length: 0)', async () => {
    const answer = await raw('POST', '/smart-tap/issuers/nobody/keys/rotate', {
      authorization: `Bearer ${stack.token('smarttap.admin')}`,
      'content-length': '0',
    });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ code: 'UNKNOWN_ISSUER' });
  });

  it.each([
    ['without an address', { address: undefined }],
    ['with a null address', { address: null }],
    ['with an address that is an array', { address: [newCard().address] }],
    ['with an address that is a string', { address: 'Rua 6 de Março' }],
  ])('refuses a card %s: 400 naming address', async (_case, overrides) => {
    const answer = await postCard(json({ ...newCard(), ...overrides }));
    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({ code: 'INVALID_FIELD', field: 'address' });
  });

  it.each([
    [
      'CustomerWallet/Update',
      'customer.billingDetails',
      { customer: { reference: 'c-1', billingDetails: null } },
    ],
    ['CustomerWallet/Update', 'customer', { customer: null }],
    ['CustomerWallet/Get', 'customer', {}],
    ['CustomerWallet/Get', 'customer', { customer: 'c-1' }],
    [
      'Charge/CreatePayment',
      'customer.billingDetails',
      { amount: 100, currency: 'EUR', orderId: 'o-1', customer: { reference: 'c-1', billingDetails: null } },
    ],
    ['Charge/CreateToken', 'customer', { currency: 'EUR', orderId: 'o-1', customer: null }],
  ])(
    'refuses V4 %s with a missing or null nested object: 400 naming %s in the envelope',
    async (service, field, body) => {
      const answer = await raw(
        'POST',
        `/api-payment/V4/${service}`,
        { authorization: `Bearer ${shop}`, 'content-type': 'application/json' },
        json(body),
      );
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ status: 'ERROR', answer: { errorField: field } });
    },
  );

  it('refuses a sign-in without a body with a 400 naming requestId; the form sign-in still answers', async () => {
    const empty = await raw('POST', '/standard-payments/auth', {});
    expect(empty.status).toBe(400);
    expect(empty.body).toMatchObject({ code: 'INVALID_FIELD', field: 'requestId' });
    const form = new URLSearchParams({
      requestId: 'r-1',
      returnUrl: 'http://127.0.0.1:1/return',
      username: 'nobody',
      password: 'wrong',
    });
    const signIn = await raw(
      'POST',
      '/standard-payments/auth',
      { 'content-type': 'application/x-www-form-urlencoded' },
      Buffer.from(form.toString()),
    );
    expect(signIn.status).toBeGreaterThanOrEqual(400);
    expect(signIn.status).toBeLessThan(500);
    expect(signIn.status).not.toBe(415);
  });

  it('refuses a path that is not valid percent-encoded UTF-8 with a 400 naming path', async () => {
    for (const proxy of ['%ZZ', '%C0%AE', '%E2%82', '%']) {
      const answer = await raw('GET', `/cards/${proxy}`, { authorization: `Bearer ${admin}` });
      expect(answer.status).toBe(400);
      expect(answer.body).toMatchObject({ field: 'path' });
    }
  });

  /** Opens a raw connection, writes `head`, then trickles `drip` one byte a second; resolves when the server closes. */
  const trickle = (head: string, drip: string) =>
    new Promise<{ answer: string; afterMs: number }>((resolve, reject) => {
      const url = new URL(stack.apiUrl);
      const started = Date.now();
      let answer = '';
      let dripping: NodeJS.Timeout | undefined;
      const socket = connect(Number(url.port), url.hostname, () => {
        socket.write(head);
        let i = 0;
        dripping = setInterval(() => socket.write(drip[i++ % drip.length]), 1000);
      });
      // The test's own bound: far past the configured timeouts.
      const bound = setTimeout(
        () => socket.destroy(new Error('the server still held the connection after 20 s')),
        20_000,
      );
      socket.on('data', (chunk) => {
        // The server has answered: stop writing, so no byte lands on a socket it already closed.
        clearInterval(dripping);
        answer += chunk.toString();
      });
      socket.on('error', (error: NodeJS.ErrnoException) => {
        // A byte written just before the server's close draws a reset; the answer is already read.
        if (error.code !== 'ECONNRESET' || answer === '') reject(error);
      });
      socket.on('close', () => {
        clearInterval(dripping);
        clearTimeout(bound);
        resolve({ answer, afterMs: Date.now() - started });
      });
    });

  it('cuts a trickled body with a 408 within the configured request timeout', async () => {
    const head = [
      'POST /cards HTTP/1.1',
      'Host: 127.0.0.1',
      `Authorization: Bearer ${admin}`,
      'Content-Type: application/json',
      'Content-Length: 100000',
      '',
      '{"pan":',
    ].join('\r\n');
    const { answer, afterMs } = await trickle(head, '"5555555');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(REQUEST_TIMEOUT_MS + 3000);
  });

  it('cuts trickled headers with a 408 within the configured headers timeout', async () => {
    const { answer, afterMs } = await trickle(
      'GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ',
      'abcdef',
    );
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    expect(afterMs).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(afterMs).toBeLessThan(HEADERS_TIMEOUT_MS + 3000);
  });

  it("sends helmet's headers on the API's answers", async () => {
    const answer = await raw('GET', '/health', {});
    expect(answer.headers).toMatchObject({
      'x-content-type-options': 'nosniff',
      'strict-transport-security': expect.stringContaining('max-age='),
      'x-frame-options': 'SAMEORIGIN',
      'cross-origin-opener-policy': 'same-origin',
      'referrer-policy': 'no-referrer',
      'content-security-policy': expect.stringContaining("default-src 'self'"),
    });
    expect(answer.headers['x-powered-by']).toBeUndefined();
    // Plain http in development: nothing may be upgraded to an https port that does not exist.
    expect(answer.headers['content-security-policy']).not.toContain('upgrade-insecure-requests');
  });

  it("keeps the sign-in page's own stricter CSP: one header, the page's, not helmet's", async () => {
    const returnUrl = 'http://127.0.0.1:4999/payments/return';
    const page = await raw(
      'GET',
      `/standard-payments/auth?requestId=r-csp&returnUrl=${encodeURIComponent(returnUrl)}`,
      {},
    );
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toBe(
      "default-src 'none'; style-src 'unsafe-inline'; form-action 'self' http://127.0.0.1:4999",
    );
    expect(page.headers['x-frame-options']).toBe('DENY');
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('serves Swagger UI at /docs under the CSP: it renders the API and nothing is refused', async () => {
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const refused: string[] = [];
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
      });
      await page.goto(`${stack.apiUrl}/docs`);
      await page.waitForSelector('.swagger-ui .info .title', { timeout: 20_000 });
      expect(await page.textContent('.swagger-ui .info .title')).toContain(
        'Tokenization lifecycle orchestrator',
      );
      await page.waitForSelector('.opblock-tag', { timeout: 20_000 });
      expect(refused).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});
