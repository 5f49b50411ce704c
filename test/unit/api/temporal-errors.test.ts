import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ApiError } from '../../../apps/api/src/http/api-error';
import { callLifecycle, toApiError } from '../../../apps/api/src/http/temporal-errors';
import { FailureRegistry, NAMED_FAILURES, namedFailure } from '@tlo/workflows';

/** A refused update as the client reports it, with the failure type as it travels (a plain string). */
const refused = (type: string, message: string, details?: unknown) =>
  new WorkflowUpdateFailedError(
    'update failed',
    details === undefined
      ? ApplicationFailure.nonRetryable(message, type)
      : ApplicationFailure.nonRetryable(message, type, details),
  );
const answered = (error: unknown) => {
  const api = toApiError(error);
  return { status: api.getStatus(), body: JSON.parse(JSON.stringify(api.getResponse())) as unknown };
};

describe('the HTTP answers to Temporal failures', () => {
  // The failure types are a wire contract with running workflows: spelled here, not imported.
  it.each<[string, string, unknown, number, Record<string, unknown>]>([
    [
      'IllegalTransition',
      'OTP_SENT is not allowed in state active',
      { state: 'active', event: 'OTP_SENT', accepted: [] },
      409,
      {
        code: 'ILLEGAL_TRANSITION',
        message: 'OTP_SENT is not allowed in state active',
        details: { state: 'active', event: 'OTP_SENT', accepted: [] },
      },
    ],
    [
      'Finished',
      'provisioning already finished',
      undefined,
      409,
      { code: 'LIFECYCLE_FINISHED', message: 'provisioning already finished' },
    ],
    [
      'RequestNotFound',
      'no such tokenization request',
      undefined,
      404,
      { code: 'REQUEST_NOT_FOUND', message: 'no such tokenization request' },
    ],
    [
      'UnknownMethod',
      'unknown verification method fax',
      { field: 'methodId', accepted: ['sms'] },
      400,
      { code: 'INVALID_FIELD', field: 'methodId', message: 'unknown verification method fax' },
    ],
    [
      'SendLimitReached',
      'all 3 codes have been sent',
      undefined,
      409,
      { code: 'SEND_LIMIT_REACHED', message: 'all 3 codes have been sent' },
    ],
    [
      'CardSendLimitReached',
      'this card has been sent as many codes as its limit allows; try again later',
      { retryAfterSeconds: 60 },
      429,
      {
        code: 'CARD_SEND_LIMIT_REACHED',
        message: 'this card has been sent as many codes as its limit allows; try again later',
        details: { retryAfterSeconds: 60 },
      },
    ],
    [
      'UnknownKeyVersion',
      'no unretired key version 7',
      { field: 'version' },
      400,
      { code: 'INVALID_FIELD', field: 'version', message: 'no unretired key version 7' },
    ],
    [
      'InvalidPolicy',
      'the grace must be shorter than the period',
      { field: 'graceSeconds' },
      400,
      { code: 'INVALID_FIELD', field: 'graceSeconds', message: 'the grace must be shorter than the period' },
    ],
    [
      'TokenNotUsable',
      'the token is cancelled',
      { state: 'cancelled' },
      409,
      {
        code: 'TOKEN_CANCELLED',
        message: 'the token was cancelled: it can no longer pay',
        field: 'paymentMethodToken',
      },
    ],
    [
      'TokenNotUsable',
      'the token is expired',
      { state: 'expired' },
      409,
      { code: 'TOKEN_EXPIRED', message: 'the card of this token has expired', field: 'paymentMethodToken' },
    ],
    [
      'TokenNotUsable',
      'the token is purged',
      { state: 'purged' },
      409,
      {
        code: 'TOKEN_PURGED',
        message: 'the card data of this token was purged after 15 months without use',
        field: 'paymentMethodToken',
      },
    ],
    [
      'NotAnSmsSession',
      'this session was not started by SMS',
      undefined,
      400,
      {
        code: 'NOT_AN_SMS_AUTHENTICATION',
        field: 'sendOtpRequestId',
        message: 'this authentication was not started by sendOtp',
      },
    ],
  ])('%s (%s, %j) answers %d', (type, message, details, status, body) => {
    expect(answered(refused(type, message, details))).toEqual({ status, body });
  });

  it('answers a failure no lifecycle names, and any other error, as 502 LIFECYCLE_FAILED', () => {
    const failed = {
      status: 502,
      body: { code: 'LIFECYCLE_FAILED', message: 'the lifecycle could not complete the request' },
    };
    expect(answered(refused('CardNotFound', 'card disappeared'))).toEqual(failed);
    expect(answered(new Error('boom'))).toEqual(failed);
  });

  it('answers a missing workflow 404 and an update that timed out 503', () => {
    expect(answered(new WorkflowNotFoundError('not found', 'wf', undefined))).toEqual({
      status: 404,
      body: { code: 'LIFECYCLE_NOT_FOUND', message: 'no running lifecycle for this key' },
    });
    expect(answered(new WorkflowUpdateRPCTimeoutOrCancelledError('timeout'))).toEqual({
      status: 503,
      body: { code: 'TEMPORARILY_UNAVAILABLE', message: 'the lifecycle did not answer in time; retry' },
    });
  });

  it('registers every lifecycle failure once, each answered as a client error', () => {
    for (const type of NAMED_FAILURES.types) {
      const answer = NAMED_FAILURES.find(type)!.answer({
        message: 'm',
        details: { state: 'cancelled' } as never,
      });
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
    }
    const twin = namedFailure('Finished', { status: 410, code: 'GONE' });
    expect(() => new FailureRegistry({ a: NAMED_FAILURES.find('Finished')! }, { twin })).toThrow(
      'failure type Finished is declared twice',
    );
  });
});

describe('callLifecycle, the one wrapper of lifecycle calls', () => {
  const fails = (error: unknown) => () => Promise.reject(error);

  it('turns a Temporal failure into its API error', async () => {
    await expect(
      callLifecycle(fails(refused('SendLimitReached', 'all 3 codes have been sent'))),
    ).rejects.toMatchObject({
      status: 409,
      response: { code: 'SEND_LIMIT_REACHED' },
    });
  });

  it('lets a call say what "not found" means, handing it the default answer', async () => {
    const notFound = new WorkflowNotFoundError('completed', 'wf', undefined);
    await expect(callLifecycle(fails(notFound), { notFound: async () => 'ended' })).resolves.toBe('ended');
    const rethrown = callLifecycle(fails(notFound), {
      notFound: async (otherwise) => {
        throw otherwise;
      },
    });
    await expect(rethrown).rejects.toBeInstanceOf(ApiError);
    await expect(rethrown).rejects.toMatchObject({ status: 404, response: { code: 'LIFECYCLE_NOT_FOUND' } });
    // Other errors do not reach the option.
    await expect(
      callLifecycle(fails(refused('Finished', 'done')), { notFound: async () => 'ended' }),
    ).rejects.toMatchObject({ status: 409 });
  });

  it('lets a call say what an id already taken means, direct or as the cause of the failure', async () => {
    const taken = new WorkflowExecutionAlreadyStartedError('taken', 'wf', 'fopAuthentication');
    const options = { alreadyStarted: async () => 'taken' };
    await expect(callLifecycle(fails(taken), options)).resolves.toBe('taken');
    await expect(callLifecycle(fails(new Error('start failed', { cause: taken })), options)).resolves.toBe(
      'taken',
    );
    await expect(callLifecycle(fails(taken))).rejects.toMatchObject({ status: 502 });
  });
});
