import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { type VerifyOtpResult, constantTimeEqualStrings, LIFECYCLES } from '@tlo/domain';
import { type FopAuthenticationEvent, fopAuthenticationMachine } from '@tlo/machines';
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

// The user waits for the SMS: retry briefly, and give up after two minutes rather than text a late code.
const sms = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '10 seconds' },
  scheduleToCloseTimeout: '2 minutes',
});

/** One use of the proof: for an association or a token refresh, by that association or token. */
type ProofUse = Omit<Extract<FopAuthenticationEvent, { type: 'CONSUMED' }>, 'type'>;

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
  let codeHmac: string | null = null;
  let started = false;

  setHandler(sessionStartedUpdate, sessionOnceStarted);
  setHandler(verifyCodeUpdate, verifyCode, { validator: refuseUnlessSms });
  setHandler(consumeAuthenticationUpdate, useProof);

  // Send the code (or take the redirect sign-in); wait for the code, the proof's use or an expiry.
  await lifecycle.exclusive(start);
  while (!lifecycle.done) {
    await nextTransitionOrDeadline(lifecycle, { deadline: expiry(), atDeadline: expireIfDue });
  }
  await condition(allHandlersFinished);
  return { state: lifecycle.state };

  async function start(): Promise<void> {
    if (input.method === 'SMS_OTP') {
      ({ codeHmac } = await sms.sendAuthenticationSms({
        authenticationRequestId: input.authenticationRequestId,
        accountId: input.accountId,
        smsMatchingToken: input.smsMatchingToken ?? '',
      }));
      await lifecycle.send({
        type: 'CODE_SENT',
        expiresAt: new Date(Date.now() + input.otpTtlMs).toISOString(),
      });
    } else {
      await lifecycle.send({ type: 'REDIRECT_COMPLETED', authenticatedUntil: authenticatedUntil() });
    }
    started = true;
  }

  /** The pending code's expiry, or the proof's while it is usable; Infinity when nothing expires. */
  function expiry(): number {
    if (lifecycle.hasTag('codePending')) return at(lifecycle.context.codeExpiresAt);
    if (lifecycle.hasTag('usable')) return at(lifecycle.context.authenticatedUntil);
    return Infinity;
  }

  /** Expires the code or the proof once workflow time reached its expiry; says whether it did. */
  async function expireIfDue(): Promise<boolean> {
    if (Date.now() < expiry()) return false;
    codeHmac = null;
    await lifecycle.send({ type: 'EXPIRED' });
    return true;
  }

  function authenticatedUntil(): string {
    return new Date(Date.now() + input.authenticatedTtlMs).toISOString();
  }

  async function sessionOnceStarted(): Promise<{ state: string }> {
    await condition(() => started);
    return { state: lifecycle.state };
  }

  function refuseUnlessSms(_typed: { codeHmac: string }): void {
    if (input.method !== 'SMS_OTP') {
      throw FopAuthenticationFailures.notAnSmsSession.raise('this session was not started by SMS');
    }
  }

  function verifyCode({ codeHmac: typed }: { codeHmac: string }): Promise<{ result: VerifyOtpResult }> {
    return lifecycle.exclusive(async (): Promise<{ result: VerifyOtpResult }> => {
      if (lifecycle.hasTag('codePending') && (await expireIfDue())) return { result: 'OTP_EXPIRED' };
      if (lifecycle.hasTag('proven')) return { result: 'OTP_ALREADY_USED' };
      if (lifecycle.hasTag('codeLocked')) return { result: 'OTP_LIMIT_REACHED' };
      if (lifecycle.hasTag('expiredUnused')) return { result: 'OTP_EXPIRED' };
      if (codeHmac !== null && constantTimeEqualStrings(typed, codeHmac)) {
        codeHmac = null;
        await lifecycle.send({ type: 'CODE_VERIFIED', authenticatedUntil: authenticatedUntil() });
        return { result: 'SUCCESS' };
      }
      await lifecycle.send({ type: 'CODE_REJECTED' });
      return { result: lifecycle.hasTag('codeLocked') ? 'OTP_LIMIT_REACHED' : 'OTP_NOT_MATCHED' };
    });
  }

  /** Uses the proof once; the same association or token asking again gets the same answer. */
  function useProof({ purpose, by }: ProofUse): Promise<ConsumeOutcome> {
    return lifecycle.exclusive(async (): Promise<ConsumeOutcome> => {
      const { accountId, consumedBy } = lifecycle.context;
      const use = { type: 'CONSUMED', purpose, by } as const;
      if (lifecycle.accepts(use)) {
        if (await expireIfDue()) return { ok: false, refusal: 'AUTHENTICATION_EXPIRED' };
        await lifecycle.send(use);
        return { ok: true, accountId };
      }
      if (lifecycle.hasTag('used')) {
        return by === consumedBy
          ? { ok: true, accountId }
          : { ok: false, refusal: 'AUTHENTICATION_ALREADY_USED' };
      }
      if (lifecycle.hasTag('expiredUnused')) return { ok: false, refusal: 'AUTHENTICATION_EXPIRED' };
      return { ok: false, refusal: 'AUTHENTICATION_NOT_COMPLETED' };
    });
  }
}

/** Workflow time of an ISO instant; Infinity for none. */
function at(iso: string | null): number {
  return iso === null ? Infinity : Date.parse(iso);
}
