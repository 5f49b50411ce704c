import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { type VerifyOtpResult, constantTimeEqualStrings, LIFECYCLES } from '@tlo/domain';
import { fopAuthenticationMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import {
  type ConsumeOutcome,
  type FopAuthenticationInput,
  FopAuthenticationFailures,
  consumeAuthenticationUpdate,
  sessionStartedUpdate,
  verifyCodeUpdate,
} from './fop-authentication.definitions';
import { nextTransitionOrDeadline } from './shared/deadline';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';

const sms = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
  scheduleToCloseTimeout: '2 minutes',
});

const definition: LifecycleDefinition<typeof fopAuthenticationMachine> = {
  name: LIFECYCLES.fopAuthentication.name,
  machine: fopAuthenticationMachine,
  view: (context) => ({ ...context }),
  details: (state, context) =>
    [
      `**State:** ${state}`,
      `**Method:** ${context.method} · **Account:** ${context.accountId}`,
      context.method === 'SMS_OTP' ? `**Wrong codes:** ${context.wrongAttempts}/${context.maxAttempts}` : '',
      context.consumedFor ? `**Used for:** ${context.consumedFor} ${context.consumedBy}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
};

/**
 * One authentication session of the tokenized form of payment: an SMS code or a
 * redirect sign-in proves who the user is; the proof is usable once, before it expires. Both expiries
 * are Temporal timers, and workflow time decides a verify or a use that races its timer.
 */
export async function fopAuthentication(input: FopAuthenticationInput): Promise<{ state: string }> {
  const lifecycle = Lifecycle.create(definition, {
    method: input.method,
    accountId: input.accountId,
    maxAttempts: input.maxAttempts,
  });
  const send = lifecycle.send.bind(lifecycle);
  let codeHmac: string | null = null;
  let started = false;
  const at = (iso: string | null) => (iso === null ? Infinity : Date.parse(iso));
  const deadline = () => {
    if (lifecycle.state === 'awaitingCode') return at(lifecycle.context.codeExpiresAt);
    if (lifecycle.state === 'authenticated') return at(lifecycle.context.authenticatedUntil);
    return Infinity;
  };
  const expireIfDue = async () => {
    if (Date.now() < deadline()) return false;
    codeHmac = null;
    await send({ type: 'EXPIRED' });
    return true;
  };

  setHandler(sessionStartedUpdate, async () => {
    await condition(() => started);
    return { state: lifecycle.state };
  });

  setHandler(
    verifyCodeUpdate,
    ({ codeHmac: typed }) =>
      lifecycle.exclusive(async (): Promise<{ result: VerifyOtpResult }> => {
        if (lifecycle.state === 'awaitingCode' && (await expireIfDue())) return { result: 'OTP_EXPIRED' };
        switch (lifecycle.state) {
          case 'authenticated':
          case 'consumed':
            return { result: 'OTP_ALREADY_USED' };
          case 'locked':
            return { result: 'OTP_LIMIT_REACHED' };
          case 'expired':
            return { result: 'OTP_EXPIRED' };
        }
        if (codeHmac !== null && constantTimeEqualStrings(typed, codeHmac)) {
          codeHmac = null;
          const authenticatedUntil = new Date(Date.now() + input.authenticatedTtlMs).toISOString();
          await send({ type: 'CODE_VERIFIED', authenticatedUntil });
          return { result: 'SUCCESS' };
        }
        await send({ type: 'CODE_REJECTED' });
        return { result: lifecycle.state === 'locked' ? 'OTP_LIMIT_REACHED' : 'OTP_NOT_MATCHED' };
      }),
    {
      validator: (_typed) => {
        if (input.method !== 'SMS_OTP') {
          throw ApplicationFailure.nonRetryable(
            'this session was not started by SMS',
            FopAuthenticationFailures.notAnSmsSession.type,
          );
        }
      },
    },
  );

  setHandler(consumeAuthenticationUpdate, ({ purpose, by }) =>
    lifecycle.exclusive(async (): Promise<ConsumeOutcome> => {
      const { accountId, consumedBy } = lifecycle.context;
      if (lifecycle.state === 'authenticated' && (await expireIfDue())) {
        return { ok: false, refusal: 'AUTHENTICATION_EXPIRED' };
      }
      switch (lifecycle.state) {
        case 'authenticated':
          await send({ type: 'CONSUMED', purpose, by });
          return { ok: true, accountId };
        case 'consumed':
          return by === consumedBy
            ? { ok: true, accountId }
            : { ok: false, refusal: 'AUTHENTICATION_ALREADY_USED' };
        case 'expired':
          return { ok: false, refusal: 'AUTHENTICATION_EXPIRED' };
        default:
          return { ok: false, refusal: 'AUTHENTICATION_NOT_COMPLETED' };
      }
    }),
  );

  await lifecycle.exclusive(async () => {
    if (input.method === 'SMS_OTP') {
      ({ codeHmac } = await sms.sendAuthenticationSms({
        authenticationRequestId: input.authenticationRequestId,
        accountId: input.accountId,
        smsMatchingToken: input.smsMatchingToken ?? '',
      }));
      await send({ type: 'CODE_SENT', expiresAt: new Date(Date.now() + input.otpTtlMs).toISOString() });
    } else {
      const authenticatedUntil = new Date(Date.now() + input.authenticatedTtlMs).toISOString();
      await send({ type: 'REDIRECT_COMPLETED', authenticatedUntil });
    }
    started = true;
  });

  while (!lifecycle.done) {
    await nextTransitionOrDeadline(lifecycle, { deadline: deadline(), atDeadline: expireIfDue });
  }
  await condition(allHandlersFinished);
  return { state: lifecycle.state };
}
