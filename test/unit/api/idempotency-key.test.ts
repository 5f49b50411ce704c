import { ApiError } from '../../../apps/api/src/http/api-error';
import {
  idempotencyScope,
  isReplayableStatus,
  parseIdempotencyKey,
  requestFingerprint,
} from '../../../apps/api/src/http/idempotency/idempotency-key';

const refusal = (raw: string | string[]) => {
  try {
    parseIdempotencyKey(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return { status: (error as ApiError).getStatus(), body: (error as ApiError).getResponse() };
  }
  throw new Error(`expected ${JSON.stringify(raw)} to be refused`);
};

describe('Idempotency-Key header', () => {
  it('takes the bare value (as Stripe does) and the quoted Structured Field string of the IETF draft', () => {
    expect(parseIdempotencyKey(undefined)).toBeNull();
    expect(parseIdempotencyKey('8e03978e-40d5-43e8-bc93-6894a57f9324')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(parseIdempotencyKey('"8e03978e-40d5-43e8-bc93-6894a57f9324"')).toBe(
      '8e03978e-40d5-43e8-bc93-6894a57f9324',
    );
    expect(parseIdempotencyKey('"a\\"b\\\\c"')).toBe('a"b\\c');
    expect(parseIdempotencyKey('k'.repeat(255))).toBe('k'.repeat(255));
  });

  it.each([
    ['empty', ''],
    ['an empty quoted string', '""'],
    ['longer than 255 characters', 'k'.repeat(256)],
    ['quoted and longer than 255 characters', `"${'k'.repeat(256)}"`],
    ['with a space', 'two words'],
    ['with a control character', 'key\u0001'],
    ['with non-ASCII characters', 'clé'],
    ['with a tab', 'key\tvalue'],
    ['sent twice (joined by Node)', 'a, b'],
  ])('refuses a key %s with a 400 naming the header', (_case, raw) => {
    expect(refusal(raw)).toEqual({
      status: 400,
      body: { code: 'INVALID_IDEMPOTENCY_KEY', field: 'Idempotency-Key', message: expect.any(String) },
    });
  });

  it('refuses several header values', () => {
    expect(refusal(['a', 'b'])).toMatchObject({ status: 400, body: { field: 'Idempotency-Key' } });
  });
});

describe('request fingerprint and key scope', () => {
  const request = {
    params: { proxy: 'p1', wallet: 'GooglePay' },
    query: {},
    body: { amount: 1500, customer: { email: 'a@example.com', reference: 'r1' } },
  };

  it('is a SHA-256 of path parameters, query and body, whatever the order of their keys', () => {
    const reordered = {
      body: { customer: { reference: 'r1', email: 'a@example.com' }, amount: 1500 },
      query: {},
      params: { wallet: 'GooglePay', proxy: 'p1' },
    };
    expect(requestFingerprint(request)).toMatch(/^[0-9a-f]{64}$/);
    expect(requestFingerprint(reordered)).toBe(requestFingerprint(request));
  });

  it('changes with any value of the body, a path parameter or the query', () => {
    const base = requestFingerprint(request);
    expect(requestFingerprint({ ...request, body: { ...request.body, amount: 1501 } })).not.toBe(base);
    expect(requestFingerprint({ ...request, params: { ...request.params, proxy: 'p2' } })).not.toBe(base);
    expect(requestFingerprint({ ...request, query: { dryRun: 'true' } })).not.toBe(base);
    expect(requestFingerprint({ params: {}, query: {}, body: undefined })).toBe(
      requestFingerprint({ params: {}, query: {}, body: null }),
    );
  });

  it('never carries the request in clear: a PAN in the body is only hashed', () => {
    const pan = '5555555555554444';
    expect(requestFingerprint({ params: {}, query: {}, body: { pan } })).not.toContain(pan);
  });

  it('scopes a key to the caller, the method and the route template', () => {
    const scope = {
      subject: 'shop-1',
      method: 'POST',
      route: '/api-payment/V4/Charge/CreatePayment',
      key: 'k1',
    };
    const base = idempotencyScope(scope);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
    expect(idempotencyScope({ ...scope })).toBe(base);
    expect(idempotencyScope({ ...scope, subject: 'shop-2' })).not.toBe(base);
    expect(idempotencyScope({ ...scope, subject: null })).not.toBe(base);
    expect(idempotencyScope({ ...scope, method: 'PUT' })).not.toBe(base);
    expect(idempotencyScope({ ...scope, route: '/api-payment/V4/Charge/CreateToken' })).not.toBe(base);
    expect(idempotencyScope({ ...scope, key: 'k2' })).not.toBe(base);
    // No delimiter trick joins two scopes: the parts are kept apart.
    expect(idempotencyScope({ ...scope, subject: 'a', method: 'b' })).not.toBe(
      idempotencyScope({ ...scope, subject: 'a\nb', method: '' }),
    );
  });
});

describe('answers kept for a repeat', () => {
  it.each([200, 201, 204, 400, 401, 403, 404, 413, 415, 422])('keeps %i', (status) => {
    expect(isReplayableStatus(status)).toBe(true);
  });
  it.each([303, 408, 409, 423, 425, 429, 500, 502, 503, 504])('runs a repeat of %i again', (status) => {
    expect(isReplayableStatus(status)).toBe(false);
  });
});
