import { generateKeyPairSync } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { newCard } from '../support/cards';
import { makeAppleChain, makeSelfSignedLeaf } from '../support/certificates';
import { JWT_ISSUER, Stack } from '../support/stack';
import { tokenWithClaims } from '../support/tokens';

/** The HTTP edge over the real stack: health, docs, auth, and a 4xx naming the field for bad input. */
describe('HTTP contract (API and worker processes → Temporal dev server → FerretDB)', () => {
  let stack: Stack;
  let admin: string;
  let pci: string;
  /** A chain the stack trusts, so that each ApplePay case below is refused for its named field only. */
  let trusted: string;

  beforeAll(async () => {
    stack = await Stack.start();
    trusted = (await stack.appleChain()).chainPem;
    admin = stack.token('cards.write', 'cards.read', 'wallet.events');
    pci = stack.token('card.pci.token.create');
  });
  afterAll(() => stack?.stop());

  const createCard = async (overrides = {}) => {
    const response = await stack.request<{ proxy: string }>('POST', '/cards', {
      token: admin,
      body: { ...newCard(), ...overrides },
    });
    expect(response.status).toBe(201);
    return response.body.proxy;
  };
  const push = (
    proxy: string,
    wallet: string,
    options: { body?: unknown; headers?: Record<string, string>; token?: string } = {},
  ) =>
    stack.request('POST', `/cards-pci/${proxy}/wallet/${wallet}/brand/Mastercard`, {
      token: options.token ?? pci,
      headers: { 'api-version': '1.0', ...options.headers },
      body: options.body,
    });

  it('reports health of Temporal and MongoDB, and serves the OpenAPI docs', async () => {
    const health = await stack.request('GET', '/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      info: { temporal: { status: 'up' }, mongodb: { status: 'up' } },
    });
    const docs = await stack.request('GET', '/docs');
    expect(docs.status).toBe(200);
    expect(docs.text).toContain('swagger');
    const openapi = await stack.request<{ paths: Record<string, unknown> }>('GET', '/docs/openapi.json');
    expect(Object.keys(openapi.body.paths)).toEqual(
      expect.arrayContaining([
        '/cards-pci/{proxy}/wallet/{wallet}/brand/{brand}',
        '/wallet-events',
        '/cards',
        '/health',
      ]),
    );
    // Each request body has a schema of its own: no DTO name is shared by two lifecycles.
    const components = (openapi.body as { components?: { schemas?: Record<string, unknown> } }).components;
    expect(Object.keys(components?.schemas ?? {})).toEqual(
      expect.arrayContaining([
        'SendOtpDto',
        'VerifyOtpDto',
        'StandardPaymentsSendOtpDto',
        'StandardPaymentsVerifyOtpDto',
      ]),
    );
    expect(stack.allLogs()).not.toContain('Duplicate DTO');
  });

  it('answers 401 without a valid token and 403 without the scope', async () => {
    expect((await push('abc', 'GooglePay', { token: '' })).status).toBe(401);
    const forged = await push('abc', 'GooglePay', { token: stack.token('card.pci.token.create') + 'x' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ code: 'UNAUTHORIZED' });
    const wrongScope = await push('abc', 'GooglePay', { token: stack.token('cards.read') });
    expect(wrongScope.status).toBe(403);
    expect(wrongScope.body).toEqual({ code: 'FORBIDDEN', message: 'missing scope: card.pci.token.create' });
    expect((await stack.request('POST', '/cards', { token: pci, body: newCard() })).status).toBe(403);
  });

  it('refuses tokens without exp, without sub, living too long, unsigned or signed with another secret', async () => {
    const now = Math.floor(Date.now() / 1000);
    const scope = 'card.pci.token.create payments';
    const refused = async (token: string, message: string) => {
      const response = await push('abc', 'GooglePay', { token });
      expect({ status: response.status, body: response.body }).toMatchObject({
        status: 401,
        body: { code: 'UNAUTHORIZED', message },
      });
    };
    const tooLong = 'the bearer token lives longer than the maximum of 86400 s';
    await refused(
      tokenWithClaims(stack, { sub: 'e2e', iat: now, scope }),
      'the bearer token has no expiry (exp)',
    );
    await refused(
      tokenWithClaims(stack, { iat: now, exp: now + 3600, scope }),
      'the bearer token has no subject',
    );
    await refused(tokenWithClaims(stack, { sub: 'e2e', iat: now, exp: now + 25 * 3600, scope }), tooLong);
    await refused(tokenWithClaims(stack, { sub: 'e2e', exp: now + 25 * 3600, scope }), tooLong);
    const [, claims] = tokenWithClaims(stack, { sub: 'e2e', iat: now, exp: now + 60, scope }).split('.');
    const none = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    await refused(`${none}.${claims}.`, 'the bearer token is invalid or expired');
    const otherSecret = jwt.sign({ sub: 'e2e', scope }, 'not-the-secret', {
      issuer: JWT_ISSUER,
      expiresIn: 60,
    });
    await refused(otherSecret, 'the bearer token is invalid or expired');

    // A shop's call without a subject was once served as shop `unknown`: now it is refused.
    const shopless = await stack.request('POST', '/api-payment/V4/Token/Get', {
      token: tokenWithClaims(stack, { iat: now, exp: now + 3600, scope: 'payments' }),
      body: { paymentMethodToken: 'f'.repeat(32) },
    });
    expect({ status: shopless.status, body: shopless.body }).toMatchObject({
      status: 401,
      body: {
        status: 'ERROR',
        answer: { errorCode: 'UNAUTHORIZED', errorMessage: 'the bearer token has no subject' },
      },
    });
    // A token within the rules passes: the same call reaches the route, which knows no such card.
    const fine = tokenWithClaims(stack, { sub: 'e2e', iat: now, exp: now + 24 * 3600, scope });
    expect((await push('abc', 'GooglePay', { token: fine })).status).toBe(404);
  });

  it.each([
    ['no api-version header', 'api-version', { headers: { 'api-version': '' } }, 'GooglePay'],
    ['an unsupported api-version', 'api-version', { headers: { 'api-version': '2.0' } }, 'GooglePay'],
    ['an unknown wallet', 'wallet', {}, 'SamsungPay'],
    ['ApplePay without a body', 'body', {}, 'ApplePay'],
    [
      'a nonce that is not hex',
      'nonce',
      () => ({ body: { nonce: 'xyz', nonceSignature: 'ab', appleCertificate: trusted } }),
      'ApplePay',
    ],
    [
      'a missing nonceSignature',
      'nonceSignature',
      () => ({ body: { nonce: 'ab', appleCertificate: trusted } }),
      'ApplePay',
    ],
    [
      'a certificate that is not PEM',
      'appleCertificate',
      { body: { nonce: 'ab', nonceSignature: 'cd', appleCertificate: 'hello' } },
      'ApplePay',
    ],
    [
      'an RSA leaf certificate under the trusted root',
      'appleCertificate',
      async () => {
        const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey;
        const chain = await makeAppleChain(stack.appleRoot, { leaf: { privateKey: rsa } });
        return { body: { nonce: 'ab', nonceSignature: 'cd', appleCertificate: chain.chainPem } };
      },
      'ApplePay',
    ],
    [
      'a self-signed P-256 certificate',
      'appleCertificate',
      async () => ({
        body: {
          nonce: 'ab',
          nonceSignature: 'cd',
          appleCertificate: (await makeSelfSignedLeaf()).certificatePem,
        },
      }),
      'ApplePay',
    ],
    [
      'an unknown body field',
      'pan',
      () => ({ body: { nonce: 'ab', nonceSignature: 'cd', appleCertificate: trusted, pan: '1' } }),
      'ApplePay',
    ],
  ])('refuses push provisioning with %s: 400 naming %s', async (_case, field, options, wallet) => {
    const response = await push('abc123', wallet, typeof options === 'function' ? await options() : options);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_FIELD', field });
  });

  it('refuses a brand other than Mastercard and a malformed proxy', async () => {
    const brand = await stack.request('POST', '/cards-pci/abc/wallet/GooglePay/brand/Visa', {
      token: pci,
      headers: { 'api-version': '1.0' },
    });
    expect(brand.status).toBe(400);
    expect(brand.body).toMatchObject({ field: 'brand' });
    const proxy = await push('bad%20proxy', 'GooglePay');
    expect(proxy.body).toMatchObject({ field: 'proxy' });
  });

  it.each([
    ['a PAN failing Luhn', 'pan', { pan: '5555555555554445' }],
    ['a month of 13', 'expiryMonth', { expiryMonth: 13 }],
    ['a missing city', 'address.city', { address: { ...newCard().address, city: undefined } }],
    ['no address', 'address', { address: undefined }],
    ['a null address', 'address', { address: null }],
    ['an address that is an array', 'address', { address: [newCard().address] }],
    ['an unknown status', 'status', { status: 'LOST' }],
    ['a bad phone number', 'phoneNumber', { phoneNumber: 'call me' }],
  ])('refuses a card with %s: 400 naming %s', async (_case, field, overrides) => {
    const response = await stack.request('POST', '/cards', {
      token: admin,
      body: { ...newCard(), ...overrides },
    });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'INVALID_FIELD', field });
    expect(response.text).not.toContain('5555555555554445');
  });

  it('answers 400 (not 500) to malformed JSON', async () => {
    const response = await stack.request('POST', '/cards', { token: admin, rawBody: '{"pan": ' });
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ code: 'MALFORMED_REQUEST', field: 'body' });
  });

  it('answers the contract errors: 404 002 for an unknown card, 409 029 while it is being created', async () => {
    const missing = await push('nosuchcard', 'GooglePay');
    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({ code: '002', message: 'Card Not Found' });

    const proxy = await createCard({ status: 'CREATING' });
    const creating = await push(proxy, 'GooglePay');
    expect(creating.status).toBe(409);
    expect(creating.body).toEqual({ code: '029', message: 'The card is in the process of being created' });

    const activated = await stack.request('PATCH', `/cards/${proxy}`, {
      token: admin,
      body: { status: 'ACTIVE' },
    });
    expect(activated.body).toMatchObject({ status: 'ACTIVE' });
    expect((await push(proxy, 'GooglePay')).status).toBe(200);
  });

  it('serves cards masked only', async () => {
    const proxy = await createCard();
    const card = await stack.request('GET', `/cards/${proxy}`, { token: admin });
    expect(card.body).toMatchObject({
      proxy,
      maskedPan: '555555******4444',
      lastFourDigits: '4444',
      status: 'ACTIVE',
    });
    expect(card.text).not.toContain('5555555555554444');
    expect((await stack.request('GET', '/cards/nosuchcard', { token: admin })).body).toEqual({
      code: '002',
      message: 'Card Not Found',
    });
  });

  it('validates wallet events and refuses those the chart does not accept', async () => {
    const bad = await stack.request('POST', '/wallet-events', {
      token: admin,
      body: { proxy: 'abc', wallet: 'ApplePay', eventType: 'TOKEN_EXPLODED', tokenReferenceId: 't' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ field: 'eventType' });

    const none = await stack.request('POST', '/wallet-events', {
      token: admin,
      body: { proxy: 'nolifecycle', wallet: 'ApplePay', eventType: 'TOKEN_ACTIVATED', tokenReferenceId: 't' },
    });
    expect(none.status).toBe(404);

    const proxy = await createCard();
    expect((await push(proxy, 'GooglePay')).status).toBe(200);
    const refused = await stack.request('POST', '/wallet-events', {
      token: admin,
      body: { proxy, wallet: 'GooglePay', eventType: 'TOKEN_DELETED', tokenReferenceId: 'never-activated' },
    });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ code: 'ILLEGAL_TRANSITION', details: { state: 'awaitingWallet' } });
  });

  it('decodes payloads for the Temporal UI through the codec server, with CORS for the UI origin only', async () => {
    const proxy = await createCard();
    expect((await push(proxy, 'GooglePay')).status).toBe(200);
    const history = await stack.client.workflow
      .getHandle(`push-provisioning:${proxy}:GooglePay`)
      .fetchHistory();
    const input = history.events![0].workflowExecutionStartedEventAttributes!.input!.payloads![0];
    const encoded = {
      metadata: Object.fromEntries(
        Object.entries(input.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
      ),
      data: Buffer.from(input.data!).toString('base64'),
    };
    expect(Buffer.from(input.data!).toString()).not.toContain(proxy);

    const decoded = await stack.request<{
      payloads: Array<{ metadata: Record<string, string>; data: string }>;
    }>('POST', '/codec/decode', {
      body: { payloads: [encoded] },
      token: stack.token('codec.decode'),
      headers: { origin: 'http://127.0.0.1:8233', 'x-namespace': 'default' },
    });
    expect(decoded.status).toBe(200);
    expect(decoded.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8233');
    const [payload] = decoded.body.payloads;
    expect(Buffer.from(payload.metadata.encoding, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(payload.data, 'base64').toString())).toMatchObject({
      proxy,
      wallet: 'GooglePay',
    });

    const reencoded = await stack.request<{ payloads: Array<{ metadata: Record<string, string> }> }>(
      'POST',
      '/codec/encode',
      {
        body: { payloads: [payload] },
        token: stack.token('codec.encode'),
      },
    );
    expect(Buffer.from(reencoded.body.payloads[0].metadata.encoding, 'base64').toString()).toBe(
      'binary/encrypted',
    );

    const preflight = await fetch(`${stack.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://127.0.0.1:8233', 'access-control-request-method': 'POST' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
    const foreign = await fetch(`${stack.apiUrl}/codec/decode`, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(foreign.status).toBe(403);
    const bad = await stack.request('POST', '/codec/decode', {
      body: { payloads: 'x' },
      token: stack.token('codec.decode'),
    });
    expect(bad.body).toMatchObject({
      field: 'payloads',
    });
    // The temporal CLI sends `{}` for an update without arguments; answering 400 made
    // `temporal workflow show --codec-endpoint` retry until its deadline.
    for (const [route, scope] of [
      ['/codec/decode', 'codec.decode'],
      ['/codec/encode', 'codec.encode'],
    ] as const) {
      const empty = await stack.request('POST', route, { body: {}, token: stack.token(scope) });
      expect({ route, status: empty.status, body: empty.body }).toEqual({
        route,
        status: 200,
        body: { payloads: [] },
      });
    }
  });
});
