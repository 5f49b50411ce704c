import { withLuhnDigit } from '../support/cards';
import { Stack } from '../support/stack';

const FORM_TTL_MS = 6_000;
const VISA = withLuhnDigit('497010112233445');
const BUYER_EMAIL = 'form-buyer@example.com';

type Answer = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
interface V4 {
  status: 'SUCCESS' | 'ERROR';
  answer: Answer;
}

/** A payment form lives PAYMENT_FORM_TTL_MS; here a few seconds, so the test can outlive one. */
describe('payment form lifetime', () => {
  let stack: Stack;

  beforeAll(async () => {
    stack = await Stack.start({ env: { PAYMENT_FORM_TTL_MS: String(FORM_TTL_MS) } });
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const createForm = async () => {
    const createdAt = Date.now();
    const created = await stack.request<V4>('POST', '/api-payment/V4/Charge/CreatePayment', {
      token: stack.tokenAs('shop-forms', 'payments'),
      body: {
        amount: 1200,
        currency: 'EUR',
        orderId: `order-${createdAt}`,
        customer: { email: BUYER_EMAIL, billingDetails: { firstName: 'Ana', city: 'Lyon' } },
      },
    });
    expect(created.status).toBe(200);
    return { formToken: created.body.answer.formToken as string, expiresAt: createdAt + FORM_TTL_MS };
  };
  const submit = (formToken: string) =>
    stack.request<V4>('POST', `/forms/${formToken}/submit`, {
      body: { card: { pan: VISA, expiryMonth: 12, expiryYear: 2045, cvv: '123' } },
    });
  const untilExpired = async (expiresAt: number) => {
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 500));
  };

  it('answers a completed form again while it lives, and as expired after, without its stored result', async () => {
    const { formToken, expiresAt } = await createForm();
    const untouched = await createForm();
    const paid = await submit(formToken);
    expect(paid.status).toBe(200);
    expect(paid.body.answer).toMatchObject({ orderStatus: 'PAID', customer: { email: BUYER_EMAIL } });
    const repeat = await submit(formToken);
    expect(Date.now()).toBeLessThan(expiresAt); // that repeat was within the form's lifetime
    expect(repeat.body.answer).toEqual(paid.body.answer);

    await untilExpired(Math.max(expiresAt, untouched.expiresAt));
    const late = await submit(formToken);
    expect({ status: late.status, body: late.body }).toMatchObject({
      status: 409,
      body: { status: 'ERROR', answer: { errorCode: 'FORM_EXPIRED', errorField: 'formToken' } },
    });
    const stored = [BUYER_EMAIL, 'Lyon', 'maskedPan', paid.body.answer.payment.paymentId as string];
    expect(stored.filter((value) => late.text.includes(value))).toEqual([]);

    // A form never submitted is refused after its lifetime as well.
    const first = await submit(untouched.formToken);
    expect(first.status).toBe(409);
    expect(first.body.answer).toMatchObject({ errorCode: 'FORM_EXPIRED', errorField: 'formToken' });
  });
});
