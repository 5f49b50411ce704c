import { randomUUID } from 'node:crypto';
import { pushProvisioningWorkflowId } from '@tlo/domain';
import { pushProvisioningStateQuery } from '@tlo/workflows';
import { TEST_PAN, newCard } from '../support/cards';
import { dumpDatabase } from '../support/mongo';
import { type HttpResponse, Stack } from '../support/stack';

type Answer = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface V4 {
  status: 'SUCCESS' | 'ERROR';
  answer: Answer;
}

const MASTERCARD = '5555555555554444';
const CVV = '987';

/**
 * Retries over HTTP, as a client on a flaky network sends them: `Idempotency-Key` on the API's
 * mutating routes (stored answers in MongoDB, concurrent repeats included, across an API restart),
 * and a wallet's retry of a report the lifecycle already took.
 */
describe('idempotent retries end to end', () => {
  let stack: Stack;
  let admin: string;
  let pci: string;
  const SHOP = 'shop-idem';
  let shop: string;

  beforeAll(async () => {
    stack = await Stack.start();
    admin = stack.tokenAs('issuer-admin', 'cards.write', 'cards.read', 'shops.write', 'wallet.events');
    pci = stack.token('card.pci.token.create');
    shop = stack.tokenAs(SHOP, 'payments');
    const settings = { tokenPaymentOption: true, buyerDeletion: 'AUTOMATIC' };
    expect((await stack.request('PUT', `/shops/${SHOP}`, { token: admin, body: settings })).status).toBe(200);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const withKey = (key: string) => ({ 'idempotency-key': key });
  const v4 = (service: string, body: unknown, headers: Record<string, string> = {}) =>
    stack.request<V4>('POST', `/api-payment/V4/${service}`, { token: shop, body, headers });
  const pushGooglePay = (proxy: string, headers: Record<string, string> = {}) =>
    stack.request<{ data: string }>('POST', `/cards-pci/${proxy}/wallet/GooglePay/brand/Mastercard`, {
      token: pci,
      headers: { 'api-version': '1.0', ...headers },
    });
  const createCard = async () => {
    const created = await stack.request<{ proxy: string }>('POST', '/cards', {
      token: admin,
      body: newCard(),
    });
    expect(created.status).toBe(201);
    return created.body.proxy;
  };
  const paymentsWith = (paymentMethodToken: string) =>
    stack.mongo.db!.collection('payments').countDocuments({ paymentMethodToken });
  const keyRecords = () => stack.mongo.db!.collection('http_idempotency').find({}).toArray();
  const expectSameAnswer = (repeat: HttpResponse<unknown>, first: HttpResponse<unknown>) => {
    expect({ status: repeat.status, text: repeat.text }).toEqual({ status: first.status, text: first.text });
    expect(repeat.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect(repeat.headers.get('idempotent-replayed')).toBe('true');
  };

  /** A saved card of the shop's buyer, paid once through the form. */
  async function savedCard(): Promise<string> {
    const created = await v4('Charge/CreatePayment', {
      amount: 1000,
      currency: 'EUR',
      orderId: `order-${randomUUID()}`,
      formAction: 'CUSTOMER_WALLET',
      customer: { email: 'buyer@example.com', reference: 'buyer-1' },
    });
    expect(created.status).toBe(200);
    const submitted = await stack.request<V4>('POST', `/forms/${created.body.answer.formToken}/submit`, {
      body: { card: { pan: MASTERCARD, expiryMonth: 12, expiryYear: 2045, cvv: CVV }, save: true },
      headers: withKey(randomUUID()),
    });
    expect(submitted.status).toBe(200);
    return submitted.body.answer.paymentMethodToken as string;
  }

  it('pays once for a CreatePayment sent twice with one key; the repeat gets the first answer, even after an API restart', async () => {
    const paymentMethodToken = await savedCard();
    const paidByForm = await paymentsWith(paymentMethodToken);
    const usesBefore = (await v4('Token/Get', { paymentMethodToken })).body.answer.uses as number;
    const key = randomUUID();
    const payment = { amount: 2500, currency: 'EUR', orderId: `order-${randomUUID()}`, paymentMethodToken };

    const first = await v4('Charge/CreatePayment', payment, withKey(key));
    expect(first.status).toBe(200);
    expect(first.body.answer).toMatchObject({ status: 'PAID', amount: 2500, paymentMethodToken });
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const repeat = await v4('Charge/CreatePayment', payment, withKey(`"${key}"`)); // the draft's quoted form
    expectSameAnswer(repeat, first);
    expect(await paymentsWith(paymentMethodToken)).toBe(paidByForm + 1);

    const reused = await v4('Charge/CreatePayment', { ...payment, amount: 2600 }, withKey(key));
    expect({ status: reused.status, answer: reused.body.answer }).toMatchObject({
      status: 422,
      answer: { errorCode: 'IDEMPOTENCY_KEY_REUSED', errorField: 'Idempotency-Key' },
    });
    const malformed = await v4('Charge/CreatePayment', payment, withKey('not a key'));
    expect({ status: malformed.status, answer: malformed.body.answer }).toMatchObject({
      status: 400,
      answer: { errorCode: 'INVALID_IDEMPOTENCY_KEY', errorField: 'Idempotency-Key' },
    });
    expect(await paymentsWith(paymentMethodToken)).toBe(paidByForm + 1);

    // Nothing process-local: a new API process answers the repeat from MongoDB.
    await stack.restartApi();
    expectSameAnswer(await v4('Charge/CreatePayment', payment, withKey(key)), first);
    expect(await paymentsWith(paymentMethodToken)).toBe(paidByForm + 1);
    const token = await v4('Token/Get', { paymentMethodToken });
    expect(token.body.answer.uses).toBe(usesBefore + 1);

    // Without a key, a repeat is a new payment, as before.
    expect((await v4('Charge/CreatePayment', payment)).status).toBe(200);
    expect(await paymentsWith(paymentMethodToken)).toBe(paidByForm + 2);
  });

  it('issues exactly one payload for 16 concurrent identical push provisionings with one key', async () => {
    const proxy = await createCard();
    const key = randomUUID();
    const answers = await Promise.all(Array.from({ length: 16 }, () => pushGooglePay(proxy, withKey(key))));
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    expect(new Set(answers.map((a) => a.text)).size).toBe(1);
    expect(answers.filter((a) => a.headers.get('idempotent-replayed') === 'true')).toHaveLength(15);
    const lifecycle = stack.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
    expect(await lifecycle.query(pushProvisioningStateQuery)).toMatchObject({
      state: 'awaitingWallet',
      payloadsIssued: 1,
    });
    await lifecycle.terminate('test done');
  });

  it('without a key, 16 concurrent provisionings reach the one lifecycle of the card, which seals a payload for each', async () => {
    const proxy = await createCard();
    const answers = await Promise.all(Array.from({ length: 16 }, () => pushGooglePay(proxy)));
    expect(answers.map((a) => a.status)).toEqual(Array(16).fill(200));
    // Each answer is a payload of its own (a fresh ephemeral key), from the same workflow, one after the other.
    expect(new Set(answers.map((a) => a.body.data)).size).toBe(16);
    // One run answered them all: its count has every payload.
    const lifecycle = stack.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
    expect(await lifecycle.query(pushProvisioningStateQuery)).toMatchObject({ payloadsIssued: 16 });
    await lifecycle.terminate('test done');
  });

  it('replays deterministic refusals, and runs a repeat of a transient one again', async () => {
    const invalid = { ...newCard(), pan: '1234' };
    const key = randomUUID();
    const refused = await stack.request('POST', '/cards', {
      token: admin,
      body: invalid,
      headers: withKey(key),
    });
    expect(refused).toMatchObject({ status: 400, body: { field: 'pan' } });
    expectSameAnswer(
      await stack.request('POST', '/cards', { token: admin, body: invalid, headers: withKey(key) }),
      refused,
    );

    // 409 "the card is being created" depends on the moment: not kept, the repeat runs again.
    const creating = await stack.request<{ proxy: string }>('POST', '/cards', {
      token: admin,
      body: newCard({ status: 'CREATING' }),
    });
    const pushKey = withKey(randomUUID());
    expect(await pushGooglePay(creating.body.proxy, pushKey)).toMatchObject({
      status: 409,
      body: { code: '029' },
    });
    const patched = await stack.request('PATCH', `/cards/${creating.body.proxy}`, {
      token: admin,
      body: { status: 'ACTIVE' },
    });
    expect(patched.status).toBe(200);
    const afterwards = await pushGooglePay(creating.body.proxy, pushKey);
    expect(afterwards.status).toBe(200);
    expect(afterwards.headers.get('idempotent-replayed')).toBeNull();
    await stack.client.workflow
      .getHandle(pushProvisioningWorkflowId(creating.body.proxy, 'GooglePay'))
      .terminate('test done');
  });

  it('creates one card for a POST /cards sent twice with one key, and stores no card data in clear', async () => {
    const key = randomUUID();
    const first = await stack.request('POST', '/cards', {
      token: admin,
      body: newCard(),
      headers: withKey(key),
    });
    expect(first.status).toBe(201);
    expectSameAnswer(
      await stack.request('POST', '/cards', { token: admin, body: newCard(), headers: withKey(key) }),
      first,
    );
    expect(await stack.mongo.db!.collection('cards').countDocuments({ proxy: first.body.proxy })).toBe(1);

    const records = await keyRecords();
    expect(records.length).toBeGreaterThanOrEqual(4);
    for (const record of records) {
      expect(record._id).toMatch(/^[0-9a-f]{64}$/);
      expect(record.payloadHash).toMatch(/^[0-9a-f]{64}$/);
      if (record.completed) expect(record.responseBody).toMatch(/^v1\.e2e\./);
    }
    // Requests are only fingerprinted and answers sealed (above): no card number, code, e-mail or key in
    // clear beside them. The ciphertext itself is left out of the search: base64 holds `cvv` by chance.
    const stored = JSON.stringify(records.map(({ responseBody: _sealed, ...clearFields }) => clearFields));
    for (const clear of [TEST_PAN, MASTERCARD, 'cvv', 'buyer@example.com', key, first.body.proxy as string])
      expect(stored).not.toContain(clear);
    expect(await dumpDatabase(stack.mongo)).not.toContain(MASTERCARD);
  });

  it("answers 200 with the current state to a wallet's retry of an event already applied", async () => {
    const proxy = await createCard();
    expect((await pushGooglePay(proxy)).status).toBe(200);
    const report = (eventType: string, tokenReferenceId: string) =>
      stack.request<{ state: string }>('POST', '/wallet-events', {
        token: admin,
        body: { proxy, wallet: 'GooglePay', eventType, tokenReferenceId },
      });
    const workflowId = pushProvisioningWorkflowId(proxy, 'GooglePay');
    const answer = (state: string) => ({ status: 200, body: { workflowId, state } });

    expect(await report('TOKEN_ACTIVATED', 't1')).toMatchObject(answer('active'));
    const retries = await Promise.all([1, 2, 3, 4].map(() => report('TOKEN_ACTIVATED', 't1')));
    for (const retry of retries) expect(retry).toMatchObject(answer('active'));
    expect(await report('TOKEN_ACTIVATED', 't2')).toMatchObject(answer('active'));
    expect(await report('TOKEN_DELETED', 't1')).toMatchObject(answer('active'));
    expect(await report('TOKEN_DELETED', 't1')).toMatchObject(answer('active'));
    expect(await report('TOKEN_DELETED', 't2')).toMatchObject(answer('removed'));
    await stack.client.workflow.getHandle(workflowId).result();
    // The lifecycle has ended with that very report: the retry is still a success.
    expect(await report('TOKEN_DELETED', 't2')).toMatchObject(answer('removed'));
    // A report it never took stays refused.
    expect((await report('TOKEN_DELETED', 'never-activated')).status).toBe(404);

    const events = (
      await stack.request<{ wallets: Array<{ transitions: Array<{ event: string }> }> }>(
        'GET',
        `/cards/${proxy}/wallet-tokens`,
        { token: admin },
      )
    ).body.wallets[0].transitions.map((t) => t.event);
    expect(events.filter((e) => e === 'TOKEN_ACTIVATED')).toHaveLength(2);
    expect(events.filter((e) => e === 'TOKEN_DELETED')).toHaveLength(2);
  });

  it('describes Idempotency-Key in the OpenAPI document on every mutating route but the codec', async () => {
    const document = (
      await stack.request<{
        paths: Record<string, Record<string, { parameters?: Array<{ name: string; in: string }> }>>;
      }>('GET', '/docs/openapi.json')
    ).body;
    const operations = Object.entries(document.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, operation]) => ({
        route: `${method.toUpperCase()} ${path}`,
        mutating: ['post', 'put', 'patch', 'delete'].includes(method),
        takesKey: (operation.parameters ?? []).some((p) => p.in === 'header' && p.name === 'Idempotency-Key'),
      })),
    );
    const mutating = operations.filter((o) => o.mutating);
    expect(mutating.length).toBeGreaterThan(20);
    expect(
      mutating
        .filter((o) => !o.takesKey)
        .map((o) => o.route)
        .sort(),
    ).toEqual(['POST /codec/decode', 'POST /codec/encode']);
    expect(operations.filter((o) => !o.mutating && o.takesKey)).toEqual([]);
  });
});
