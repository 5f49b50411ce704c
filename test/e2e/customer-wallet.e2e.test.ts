import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { KeyRing } from '@tlo/crypto';
import { addCalendarMonths, cardExpiredAt, savedCardWorkflowId } from '@tlo/domain';
import { EncryptionCodec } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { testServers } from '../setup/servers-file';
import { withLuhnDigit } from '../support/cards';
import { eventually } from '../support/eventually';
import { decodedHistoryJson, rawHistoryJson } from '../support/histories';
import { dumpDatabase } from '../support/mongo';
import { type HttpResponse, Stack } from '../support/stack';
import { registerSearchAttributes } from '../support/temporal';
import { WebhookReceiver } from '../support/webhook-receiver';

const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';
const SHOP_SECRET = 'shop-notification-secret';
const MINUTE = 60_000;

const VISA = withLuhnDigit('497010112233445');
const MASTERCARD = '5555555555554444';
const AMEX = '378282246310005';
const EDENRED = withLuhnDigit('589021000000001');
const PANS = [VISA, MASTERCARD, AMEX, EDENRED];

interface V4<T = Record<string, unknown>> {
  webService: string;
  version: string;
  status: 'SUCCESS' | 'ERROR';
  answer: T;
  serverDate: string;
}
type Answer = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * Customer wallet end to end (Lyra V4): API and worker processes on a time-skipping Temporal test
 * server (so months pass), FerretDB, and a shop's notification endpoint.
 */
describe('customer wallet end to end', () => {
  let env: TestWorkflowEnvironment;
  let stack: Stack;
  let shopReceiver: WebhookReceiver;
  let admin: string;

  beforeAll(async () => {
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: testServers().temporalTestServerPath } },
    });
    await registerSearchAttributes(env);
    shopReceiver = await new WebhookReceiver(SHOP_SECRET).start();
    stack = await Stack.start({ temporalAddress: env.address });
    admin = stack.token('shops.write', 'backoffice.read');
    await putShop('shop-auto', { tokenPaymentOption: true, buyerDeletion: 'AUTOMATIC' });
    await putShop('shop-manual', { tokenPaymentOption: true, buyerDeletion: 'MANUAL' });
    await putShop('shop-basic', { tokenPaymentOption: false, buyerDeletion: 'AUTOMATIC' });
  });
  afterAll(async () => {
    await stack?.stop();
    await shopReceiver?.stop();
    await env?.teardown();
  });

  const putShop = async (shopId: string, settings: Record<string, unknown>) => {
    const response = await stack.request('PUT', `/shops/${shopId}`, {
      token: admin,
      body: { ...settings, notificationUrl: shopReceiver.url, notificationSecret: SHOP_SECRET },
    });
    expect(response.status).toBe(200);
  };
  const v4 = async (
    shopId: string,
    service: string,
    body: unknown,
    token = stack.tokenAs(shopId, 'payments'),
  ) => stack.request<V4<Answer>>('POST', `/api-payment/V4/${service}`, { token, body });
  const submit = (formToken: string, body: unknown) =>
    stack.request<V4<Answer>>('POST', `/forms/${formToken}/submit`, { body });
  const card = (pan: string, extra: Record<string, unknown> = {}) => ({
    card: { pan, expiryMonth: 12, expiryYear: 2045, cvv: '123', ...extra },
  });
  const expectError = (
    response: HttpResponse<V4<Answer>>,
    status: number,
    errorCode: string,
    errorField?: string,
  ) => {
    expect({ status: response.status, body: response.body }).toMatchObject({
      status,
      body: { version: 'V4', status: 'ERROR', answer: { errorCode, ...(errorField ? { errorField } : {}) } },
    });
    expect(Date.parse(response.body.serverDate)).not.toBeNaN();
  };
  const savedTokens: string[] = [];
  let order = 0;
  const orderId = () => `order-${++order}`;

  /** Pays with a new card and saves it, in the wallet of `reference`. */
  const payAndSave = async (shopId: string, reference: string | null, pan: string, extra = {}) => {
    const created = await v4(shopId, 'Charge/CreatePayment', {
      amount: 1500,
      currency: 'EUR',
      orderId: orderId(),
      ...(reference ? { formAction: 'CUSTOMER_WALLET' } : {}),
      customer: {
        email: 'buyer@example.com',
        ...(reference ? { reference } : {}),
        billingDetails: { firstName: 'Ana', city: 'Lyon', country: 'FR' },
      },
    });
    expect(created.status).toBe(200);
    const submitted = await submit(created.body.answer.formToken, { ...card(pan, extra), save: true });
    expect(submitted.status).toBe(200);
    savedTokens.push(submitted.body.answer.paymentMethodToken);
    return submitted.body.answer.paymentMethodToken as string;
  };
  const tokenGet = (shopId: string, paymentMethodToken: string) =>
    v4(shopId, 'Token/Get', { paymentMethodToken });
  const walletOf = async (shopId: string, reference: string) => {
    const response = await v4(shopId, 'CustomerWallet/Get', { customer: { reference } });
    expect(response.status).toBe(200);
    return (response.body.answer.tokens as Answer[]).map((t) => t.paymentMethodToken as string);
  };
  const payWith = (shopId: string, paymentMethodToken: string, customer?: Record<string, unknown>) =>
    v4(shopId, 'Charge/CreatePayment', {
      amount: 990,
      currency: 'EUR',
      orderId: orderId(),
      paymentMethodToken,
      ...(customer ? { customer } : {}),
    });

  it('answers every error of the seed and every bad field in the V4 envelope', async () => {
    const noOption = await v4('shop-basic', 'Charge/CreatePayment', {
      amount: 40000,
      currency: 'EUR',
      orderId: 'myOrderId-999999',
      formAction: 'CUSTOMER_WALLET',
      customer: { email: 'sample@example.com', reference: 'cust-001' },
    });
    expectError(noOption, 403, 'TOKEN_PAYMENT_OPTION_DISABLED', 'formAction');
    expect(noOption.body.webService).toBe('Charge/CreatePayment');
    expectError(
      await v4('shop-basic', 'Charge/CreateToken', { currency: 'EUR', orderId: 'o-1' }),
      403,
      'TOKEN_PAYMENT_OPTION_DISABLED',
    );
    // A shop nobody configured has no token option either.
    expectError(
      await v4('shop-unknown', 'Charge/CreatePayment', {
        amount: 1,
        currency: 'EUR',
        orderId: 'o',
        formAction: 'CUSTOMER_WALLET',
        customer: { reference: 'c' },
      }),
      403,
      'TOKEN_PAYMENT_OPTION_DISABLED',
    );
    const noReference = await v4('shop-auto', 'Charge/CreatePayment', {
      amount: 40000,
      currency: 'EUR',
      orderId: 'myOrderId-999999',
      formAction: 'CUSTOMER_WALLET',
      customer: { email: 'sample@example.com' },
    });
    expectError(noReference, 400, 'CUSTOMER_REFERENCE_REQUIRED', 'customer.reference');
    // Without formAction a plain payment form needs no reference and no token option.
    expect(
      (await v4('shop-basic', 'Charge/CreatePayment', { amount: 100, currency: 'EUR', orderId: 'o-2' }))
        .status,
    ).toBe(200);

    const bad = async (service: string, body: unknown, field: string) =>
      expectError(await v4('shop-auto', service, body), 400, 'INVALID_FIELD', field);
    await bad('Charge/CreatePayment', { amount: 'abc', currency: 'EUR', orderId: 'o' }, 'amount');
    await bad('Charge/CreatePayment', { amount: 10, currency: 'euro', orderId: 'o' }, 'currency');
    await bad(
      'Charge/CreatePayment',
      { amount: 10, currency: 'EUR', orderId: 'o', formAction: 'SILENT' },
      'formAction',
    );
    await bad(
      'Charge/CreatePayment',
      { amount: 10, currency: 'EUR', orderId: 'o', customer: { email: 'nope' } },
      'customer.email',
    );
    await bad(
      'Charge/CreatePayment',
      { amount: 10, currency: 'EUR', orderId: 'o', paymentMethodToken: 'x' },
      'paymentMethodToken',
    );
    await bad('Charge/CreatePayment', { amount: 10, currency: 'EUR', orderId: 'o', surprise: 1 }, 'surprise');
    await bad('Token/Cancel', { paymentMethodToken: 'a'.repeat(32), by: 'ROBOT' }, 'by');
    await bad('CustomerWallet/Get', { customer: {} }, 'customer.reference');
    expectError(await tokenGet('shop-auto', 'f'.repeat(32)), 404, 'UNKNOWN_TOKEN', 'paymentMethodToken');
    const malformed = await stack.request<V4<Answer>>('POST', '/api-payment/V4/Token/Get', {
      token: stack.tokenAs('shop-auto', 'payments'),
      rawBody: '{"paymentMethodToken":',
    });
    expectError(malformed, 400, 'MALFORMED_REQUEST', 'body');
    expectError(
      await v4('shop-auto', 'Token/Get', { paymentMethodToken: 'f'.repeat(32) }, ''),
      401,
      'UNAUTHORIZED',
    );
    expectError(
      await v4(
        'shop-auto',
        'Token/Get',
        { paymentMethodToken: 'f'.repeat(32) },
        stack.tokenAs('shop-auto', 'other'),
      ),
      403,
      'FORBIDDEN',
    );
    expect(
      (
        await stack.request('PUT', '/shops/shop-x', {
          token: admin,
          body: { tokenPaymentOption: true, buyerDeletion: 'SOMETIMES' },
        })
      ).text,
    ).toContain('buyerDeletion');

    // The form refuses bad cards, naming the field; a refused submission can be corrected.
    const form = await v4('shop-auto', 'Charge/CreatePayment', {
      amount: 2500,
      currency: 'EUR',
      orderId: orderId(),
      formAction: 'CUSTOMER_WALLET',
      customer: { reference: 'cust-errors' },
    });
    const formToken = form.body.answer.formToken as string;
    expect(form.body.answer.customerWallet).toEqual({ reference: 'cust-errors', tokens: [] });
    expectError(await submit(formToken, card('6011111111111117')), 400, 'BRAND_NOT_ELIGIBLE', 'card.pan');
    expectError(await submit(formToken, card('36227206271667')), 400, 'BRAND_NOT_ELIGIBLE', 'card.pan');
    expectError(
      await submit(formToken, card(AMEX, { brand: 'CB' })),
      400,
      'BRAND_NOT_ELIGIBLE',
      'card.brand',
    );
    expectError(await submit(formToken, card('4111111111111112')), 400, 'INVALID_PAN', 'card.pan');
    expectError(
      await submit(formToken, card(VISA, { expiryMonth: 1, expiryYear: 2020 })),
      400,
      'CARD_EXPIRED',
      'card.expiryYear',
    );
    expectError(await submit(formToken, card(VISA, { cvv: '12' })), 400, 'INVALID_FIELD', 'card.cvv');
    expectError(await submit(formToken, {}), 400, 'PAYMENT_METHOD_REQUIRED', 'card');
    expectError(await submit('no-such-form-token-000', card(VISA)), 404, 'UNKNOWN_FORM', 'formToken');
    const paid = await submit(formToken, { ...card(EDENRED), save: true });
    expect(paid.body).toMatchObject({
      status: 'SUCCESS',
      webService: 'Form/Submit',
      answer: { orderStatus: 'PAID', addedToWallet: true },
    });
    expect(paid.body.answer.payment).toMatchObject({
      brand: 'EDENRED',
      amount: 2500,
      maskedPan: `589021******${EDENRED.slice(-4)}`,
    });
    // A repeat of a completed submission answers the same: one payment, one token.
    const repeat = await submit(formToken, { ...card(VISA), save: true });
    expect(repeat.body.answer).toEqual(paid.body.answer);
    expect(await walletOf('shop-auto', 'cust-errors')).toEqual([paid.body.answer.paymentMethodToken]);
  });

  it('saves cards into the wallet, pays with them (a use), and copies the saved billing data unless the payment sends its own', async () => {
    const token = await payAndSave('shop-auto', 'cust-001', VISA);
    const created = await shopReceiver.waitFor((d) => d.some((n) => n.body.paymentMethodToken === token));
    const notification = created.find((n) => n.body.paymentMethodToken === token)!;
    expect(notification).toMatchObject({
      signatureValid: true,
      body: { event: 'TOKEN_CREATED', status: 'ACTIVE', shopId: 'shop-auto', customerReference: 'cust-001' },
    });

    const form = await v4('shop-auto', 'Charge/CreatePayment', {
      amount: 1200,
      currency: 'EUR',
      orderId: orderId(),
      formAction: 'CUSTOMER_WALLET',
      customer: { reference: 'cust-001' },
    });
    expect(form.body.answer.customerWallet.tokens).toEqual([
      expect.objectContaining({
        paymentMethodToken: token,
        status: 'ACTIVE',
        brand: 'VISA',
        maskedPan: `497010******${VISA.slice(-4)}`,
      }),
    ]);
    // The buyer picks the saved card in the form.
    const paidInForm = await submit(form.body.answer.formToken, { paymentMethodToken: token });
    expect(paidInForm.body.answer).toMatchObject({
      orderStatus: 'PAID',
      payment: { paymentMethodToken: token, amount: 1200 },
    });

    const copied = await payWith('shop-auto', token);
    expect(copied.status).toBe(200);
    expect(copied.body.answer.customer).toMatchObject({
      email: 'buyer@example.com',
      billingDetails: { firstName: 'Ana', city: 'Lyon' },
    });
    const own = await payWith('shop-auto', token, { billingDetails: { firstName: 'Ana', city: 'Paris' } });
    expect(own.body.answer.customer.billingDetails).toEqual({ firstName: 'Ana', city: 'Paris' });
    const after = await tokenGet('shop-auto', token);
    expect(after.body.answer).toMatchObject({
      status: 'ACTIVE',
      uses: 3,
      customer: { billingDetails: { city: 'Lyon' } },
    });
    expect(Date.parse(after.body.answer.purgeDate)).toBe(
      addCalendarMonths(new Date(after.body.answer.lastUseDate), 15).getTime(),
    );

    // Saved without a reference: a token, but in nobody's wallet.
    const tokenForm = await v4('shop-auto', 'Charge/CreateToken', {
      currency: 'EUR',
      orderId: orderId(),
      customer: { email: 'x@example.com' },
    });
    const saved = await submit(tokenForm.body.answer.formToken, card(MASTERCARD, { brand: 'CB' }));
    expect(saved.body.answer).toMatchObject({ orderStatus: 'SAVED', payment: null, addedToWallet: false });
    const loose = await tokenGet('shop-auto', saved.body.answer.paymentMethodToken);
    expect(loose.body.answer).toMatchObject({ brand: 'CB', customer: { reference: null } });
    expect(await walletOf('shop-auto', 'cust-001')).toEqual([token]);
    // Another shop cannot see or use the token; a token outside the buyer's wallet cannot pay from the form.
    expectError(await tokenGet('shop-manual', token), 404, 'UNKNOWN_TOKEN');
    expectError(await payWith('shop-manual', token), 404, 'UNKNOWN_TOKEN');
    const otherBuyer = await v4('shop-auto', 'Charge/CreatePayment', {
      amount: 100,
      currency: 'EUR',
      orderId: orderId(),
      formAction: 'CUSTOMER_WALLET',
      customer: { reference: 'cust-other' },
    });
    expectError(
      await submit(otherBuyer.body.answer.formToken, { paymentMethodToken: token }),
      404,
      'UNKNOWN_TOKEN',
    );
  });

  it('deletes logically: automatic lets the buyer, manual only the merchant; the back office keeps every token', async () => {
    const auto = await payAndSave('shop-auto', 'cust-del', AMEX);
    const cancelled = await v4('shop-auto', 'Token/Cancel', { paymentMethodToken: auto, by: 'BUYER' });
    expect(cancelled.body).toMatchObject({
      status: 'SUCCESS',
      answer: { status: 'CANCELLED', cancelledBy: 'BUYER', cancelledNow: true },
    });
    expect(await walletOf('shop-auto', 'cust-del')).toEqual([]);
    expectError(await payWith('shop-auto', auto), 409, 'TOKEN_CANCELLED', 'paymentMethodToken');
    await shopReceiver.waitFor((d) =>
      d.some((n) => n.body.paymentMethodToken === auto && n.body.event === 'TOKEN_CANCELLED'),
    );

    const manual = await payAndSave('shop-manual', 'cust-del', VISA);
    expectError(
      await v4('shop-manual', 'Token/Cancel', { paymentMethodToken: manual, by: 'BUYER' }),
      403,
      'BUYER_DELETION_NOT_ALLOWED',
      'by',
    );
    expect(await walletOf('shop-manual', 'cust-del')).toEqual([manual]);
    const byMerchant = await v4('shop-manual', 'Token/Cancel', {
      paymentMethodToken: manual,
      by: 'MERCHANT',
    });
    expect(byMerchant.body.answer).toMatchObject({ status: 'CANCELLED', cancelledBy: 'MERCHANT' });
    expect(await walletOf('shop-manual', 'cust-del')).toEqual([]);

    const office = await stack.request<Answer>(
      'GET',
      '/backoffice/shops/shop-auto/tokens?reference=cust-del',
      { token: admin },
    );
    expect(office.status).toBe(200);
    expect(office.body.tokens).toEqual([
      expect.objectContaining({
        paymentMethodToken: auto,
        status: 'CANCELLED',
        maskedPan: '378282*****0005',
        hasCardData: true,
      }),
    ]);
    expect(office.body.tokens[0].history.map((t: Answer) => t.event)).toEqual(['STARTED', 'CANCELLED']);
    expect(
      (await stack.request('GET', '/backoffice/shops/shop-auto/tokens', { token: stack.token('payments') }))
        .status,
    ).toBe(403);
    expect(
      (
        await stack.request<Answer>('GET', '/backoffice/shops/shop-auto/tokens?reference=a%20b', {
          token: admin,
        })
      ).body,
    ).toMatchObject({ field: 'reference' });
  });

  it('warns instead of deleting a card that pays a subscription', async () => {
    const token = await payAndSave('shop-auto', 'cust-sub', MASTERCARD);
    const subscription = await v4('shop-auto', 'Charge/CreateSubscription', {
      amount: 999,
      currency: 'EUR',
      orderId: orderId(),
      paymentMethodToken: token,
      rrule: 'RRULE:FREQ=MONTHLY;BYMONTHDAY=10',
    });
    expect(subscription.body.answer).toMatchObject({ status: 'ACTIVE', paymentMethodToken: token });
    const byBuyer = await v4('shop-auto', 'Token/Cancel', { paymentMethodToken: token, by: 'BUYER' });
    expect(byBuyer.body).toMatchObject({
      status: 'SUCCESS',
      answer: {
        status: 'ACTIVE',
        cancelledNow: false,
        warning: {
          code: 'TOKEN_USED_BY_SUBSCRIPTION',
          subscriptionIds: [subscription.body.answer.subscriptionId],
        },
      },
    });
    expect(await walletOf('shop-auto', 'cust-sub')).toEqual([token]);
    const byMerchant = await v4('shop-auto', 'Token/Cancel', { paymentMethodToken: token, by: 'MERCHANT' });
    expect(byMerchant.body.answer).toMatchObject({
      status: 'CANCELLED',
      cancelledNow: true,
      warning: { code: 'TOKEN_USED_BY_SUBSCRIPTION' },
    });
    expectError(
      await v4('shop-auto', 'Charge/CreateSubscription', {
        amount: 1,
        currency: 'EUR',
        orderId: orderId(),
        paymentMethodToken: token,
        rrule: 'RRULE:FREQ=DAILY',
      }),
      409,
      'TOKEN_CANCELLED',
    );
  });

  it('CustomerWallet/Update puts the buyer data on every token of the reference, and payments copy it', async () => {
    const first = await payAndSave('shop-auto', 'cust-upd', VISA);
    const second = await payAndSave('shop-auto', 'cust-upd', MASTERCARD);
    const bystander = await payAndSave('shop-auto', 'cust-bystander', AMEX);
    const updated = await v4('shop-auto', 'CustomerWallet/Update', {
      customer: {
        reference: 'cust-upd',
        email: 'new@example.com',
        billingDetails: { firstName: 'Bia', city: 'Nantes' },
      },
    });
    expect(updated.body.answer.updated).toBe(2);
    for (const token of [first, second]) {
      expect((await tokenGet('shop-auto', token)).body.answer.customer).toEqual({
        reference: 'cust-upd',
        email: 'new@example.com',
        billingDetails: { firstName: 'Bia', city: 'Nantes' },
      });
    }
    expect((await tokenGet('shop-auto', bystander)).body.answer.customer.billingDetails.city).toBe('Lyon');
    expect((await payWith('shop-auto', second)).body.answer.customer).toMatchObject({
      email: 'new@example.com',
      billingDetails: { city: 'Nantes' },
    });
    await bad400();
    async function bad400() {
      expectError(
        await v4('shop-auto', 'CustomerWallet/Update', { customer: { reference: 'cust-upd', email: 'x' } }),
        400,
        'INVALID_FIELD',
        'customer.email',
      );
    }
  });

  it('accepts only an object where the contract has one: an array or null customer is a 400, never every buyer', async () => {
    const mine = await payAndSave('shop-auto', 'cust-shape-a', VISA);
    const other = await payAndSave('shop-auto', 'cust-shape-b', MASTERCARD);
    const leaks = (text: string) =>
      [mine, other, 'buyer@example.com', 'maskedPan', 'tokens'].filter((secret) => text.includes(secret));
    const refused = async (service: string, body: unknown, field: string) => {
      const response = await v4('shop-auto', service, body);
      expectError(response, 400, 'INVALID_FIELD', field);
      expect({ service, body, leaked: leaks(response.text) }).toEqual({ service, body, leaked: [] });
    };
    for (const customer of [[], [{ reference: 'cust-shape-a' }], [{}], null, 'cust-shape-a', 7]) {
      await refused('CustomerWallet/Get', { customer }, 'customer');
      await refused('CustomerWallet/Update', { customer }, 'customer');
    }
    await refused('CustomerWallet/Get', {}, 'customer');
    await refused('CustomerWallet/Get', { customer: { reference: ['cust-shape-a'] } }, 'customer.reference');
    await refused('CustomerWallet/Get', { customer: { reference: { $ne: null } } }, 'customer.reference');
    await refused('CustomerWallet/Get', [], 'body');
    await refused('CustomerWallet/Get', [{ customer: { reference: 'cust-shape-a' } }], 'body');
    const order = { amount: 100, currency: 'EUR', orderId: orderId() };
    await refused('Charge/CreatePayment', { ...order, customer: [] }, 'customer');
    await refused('Charge/CreatePayment', { ...order, customer: null }, 'customer');
    await refused(
      'Charge/CreatePayment',
      { ...order, customer: { billingDetails: null } },
      'customer.billingDetails',
    );
    await refused(
      'Charge/CreatePayment',
      { ...order, customer: { billingDetails: [] } },
      'customer.billingDetails',
    );
    await refused('Charge/CreateToken', { currency: 'EUR', orderId: orderId(), customer: [{}] }, 'customer');
    await refused(
      'CustomerWallet/Update',
      { customer: { reference: 'cust-shape-a', billingDetails: [{ city: 'Paris' }] } },
      'customer.billingDetails',
    );
    expectError(await submit('form-token-of-nobody-0', { card: [] }), 400, 'INVALID_FIELD', 'card');

    // The contract's own query answers the buyer's cards, and only them.
    expect(await walletOf('shop-auto', 'cust-shape-a')).toEqual([mine]);
    expect((await tokenGet('shop-auto', other)).body.answer.customer.reference).toBe('cust-shape-b');
  });

  it('refuses a notificationUrl the outbound policy would never deliver to, naming notificationUrl', async () => {
    for (const notificationUrl of [
      'http://169.254.169.254/latest/meta-data/',
      'http://2852039166/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.1/ipn',
      'http://192.168.1.20/ipn',
      'http://[::ffff:127.0.0.1]/ipn',
      'http://good.example@127.0.0.1/ipn',
      'ftp://shop.example/ipn',
    ]) {
      const response = await stack.request<{ field?: string }>('PUT', '/shops/shop-ssrf', {
        token: admin,
        body: {
          tokenPaymentOption: true,
          buyerDeletion: 'AUTOMATIC',
          notificationUrl,
          notificationSecret: SHOP_SECRET,
        },
      });
      expect({ notificationUrl, status: response.status, field: response.body.field }).toEqual({
        notificationUrl,
        status: 400,
        field: 'notificationUrl',
      });
    }
  });

  it('proposes only active, unexpired cards; expires cards with time, and purges every card 15 months after its last use', async () => {
    const now = new Date(await env.currentTimeMs());
    const nextMonth = {
      expiryMonth: ((now.getUTCMonth() + 1) % 12) + 1,
      expiryYear: now.getUTCFullYear() + (now.getUTCMonth() === 11 ? 1 : 0),
    };
    const lasting = await payAndSave('shop-auto', 'cust-time', VISA);
    const expiring = await payAndSave('shop-auto', 'cust-time', MASTERCARD, nextMonth);
    const cancelled = await payAndSave('shop-auto', 'cust-time', AMEX);
    await v4('shop-auto', 'Token/Cancel', { paymentMethodToken: cancelled, by: 'MERCHANT' });
    expect(await walletOf('shop-auto', 'cust-time')).toEqual([lasting, expiring]);

    await env.sleep(
      cardExpiredAt(nextMonth.expiryMonth, nextMonth.expiryYear).getTime() -
        (await env.currentTimeMs()) +
        MINUTE,
    );
    await eventually(async () =>
      expect((await tokenGet('shop-auto', expiring)).body.answer.status).toBe('EXPIRED'),
    );
    expect(await walletOf('shop-auto', 'cust-time')).toEqual([lasting]);
    expectError(await payWith('shop-auto', expiring), 409, 'TOKEN_EXPIRED');
    const used = await payWith('shop-auto', lasting);
    expect(used.status).toBe(200);

    // 15 months after creation: the expired and the cancelled cards are purged; the used one lives on.
    const created = Date.parse((await tokenGet('shop-auto', expiring)).body.answer.creationDate);
    await env.sleep(
      addCalendarMonths(new Date(created), 15).getTime() - (await env.currentTimeMs()) + MINUTE,
    );
    await eventually(async () => {
      for (const token of [expiring, cancelled])
        expect((await tokenGet('shop-auto', token)).body.answer.status).toBe('PURGED');
    });
    expect((await tokenGet('shop-auto', lasting)).body.answer.status).toBe('ACTIVE');
    const lastUse = Date.parse((await tokenGet('shop-auto', lasting)).body.answer.lastUseDate);
    await env.sleep(
      addCalendarMonths(new Date(lastUse), 15).getTime() - (await env.currentTimeMs()) + MINUTE,
    );
    await eventually(async () =>
      expect((await tokenGet('shop-auto', lasting)).body.answer.status).toBe('PURGED'),
    );
    expectError(await payWith('shop-auto', lasting), 409, 'TOKEN_PURGED', 'paymentMethodToken');
    expectError(
      await v4('shop-auto', 'Token/Cancel', { paymentMethodToken: lasting, by: 'MERCHANT' }),
      409,
      'TOKEN_PURGED',
    );
    expect(await walletOf('shop-auto', 'cust-time')).toEqual([]);

    const office = await stack.request<Answer>(
      'GET',
      '/backoffice/shops/shop-auto/tokens?reference=cust-time',
      { token: admin },
    );
    expect(office.body.tokens.map((t: Answer) => [t.status, t.hasCardData])).toEqual([
      ['PURGED', false],
      ['PURGED', false],
      ['PURGED', false],
    ]);
    expect(office.body.tokens[1].history.map((t: Answer) => t.event)).toEqual([
      'STARTED',
      'CARD_EXPIRED',
      'PURGED',
    ]);
    expect(office.body.tokens[0].maskedPan).toBe(`497010******${VISA.slice(-4)}`);

    if (RECORD) {
      mkdirSync(HISTORIES_DIR, { recursive: true });
      writeFileSync(
        join(HISTORIES_DIR, 'saved-card-used-purged.json'),
        await rawHistoryJson(stack.client, savedCardWorkflowId(lasting)),
      );
      writeFileSync(
        join(HISTORIES_DIR, 'saved-card-cancelled-purged.json'),
        await rawHistoryJson(stack.client, savedCardWorkflowId(cancelled)),
      );
    }
  });

  it('keeps card data out of MongoDB, Temporal history, search attributes and logs', async () => {
    const dump = await dumpDatabase(stack.mongo);
    const codec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));
    const histories: string[] = [];
    // The test server has no visibility store to list from: every token this file saved, one by one.
    for (const token of savedTokens) {
      const workflowId = savedCardWorkflowId(token);
      histories.push(await rawHistoryJson(stack.client, workflowId));
      histories.push(await decodedHistoryJson(stack.client, workflowId, codec));
      const description = await stack.client.workflow.getHandle(workflowId).describe();
      histories.push(
        JSON.stringify(description.searchAttributes),
        JSON.stringify(description.raw.workflowExecutionInfo?.searchAttributes),
      );
    }
    expect(histories.length).toBeGreaterThan(20);
    const everywhere = [
      dump,
      stack.allLogs(),
      ...histories,
      ...shopReceiver.received.map((r) => r.rawBody),
    ].join('\n');
    for (const pan of PANS) expect(everywhere).not.toContain(pan);
    expect(dump).not.toMatch(/"cvv"/);
  });
});
