import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type PartnerEvent,
  type TokenizationRequest,
  type VerificationMethod,
  PROGRAM_DEFAULTS,
  constantTimeEqualStrings,
  isRequestOwner,
  LIFECYCLES,
} from '@tlo/domain';
import { type ManualProvisioningEvent, manualProvisioningMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import {
  type DecisionAnswer,
  decisionUpdate,
  manualProvisioningStateQuery,
  sendOtpUpdate,
  supportActivationUpdate,
  verifyOtpUpdate,
} from './manual-provisioning.definitions';
import { nextTransitionOrDeadline } from './shared/deadline';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';

const decisions = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds' },
});
const codes = proxyActivities<Activities>({
  // A program's webhook is retried until it answers 2xx; each attempt draws a new code.
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
  scheduleToCloseTimeout: '10 minutes',
});
const cardLimits = proxyActivities<Activities>({
  startToCloseTimeout: '15 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds' },
});
const partnerWebhooks = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const YELLOW_STATES = new Set(['awaitingMethod', 'awaitingCode', 'codeExpired', 'locked']);
/** Runs from before this version count no wrong code against their card's limit. */
const CARD_OTP_LIMITS = 'card-otp-limits';

/** The card's limit on codes sent, refused by the activity, is the update's answer (429 at the edge). */
function cardSendLimitIsTheAnswer(error: unknown): never {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (cause instanceof ApplicationFailure && cause.type === 'CardSendLimitReached')
    throw ApplicationFailure.nonRetryable(cause.message, cause.type, ...(cause.details ?? []));
  throw error;
}

/** The read model carries the request's owner, so that reads answer only the caller that asked. */
const definitionFor = (
  request: TokenizationRequest,
): LifecycleDefinition<typeof manualProvisioningMachine> => ({
  name: LIFECYCLES.manualProvisioning.name,
  machine: manualProvisioningMachine,
  view: (context) => ({ ...context, owner: request.owner ?? null }),
  details: (state, context) =>
    [
      `**State:** ${state}`,
      context.decision ? `**Decision:** ${context.decision} (${context.reason})` : '',
      context.decision === 'YELLOW'
        ? `**Codes sent:** ${context.sends}/${context.maxSends} · **Wrong attempts:** ${context.wrongAttempts}/${context.maxAttempts}`
        : '',
      context.activatedBy ? `**Activated by:** ${context.activatedBy}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
});

/**
 * Manual provisioning, yellow path: decide; on YELLOW let the cardholder receive and
 * type a one-time code within the program's limits; support may activate; the yellow path ends by
 * itself. Code expiry and the yellow path's end are Temporal timers. The code is never in history:
 * the activity returns its HMAC and the API sends the HMAC of what the cardholder typed.
 */
export async function manualProvisioning(request: TokenizationRequest): Promise<{ state: string }> {
  const lifecycle = Lifecycle.create(definitionFor(request), {
    maxSends: PROGRAM_DEFAULTS.maxSends,
    maxAttempts: PROGRAM_DEFAULTS.maxAttempts,
  });
  const send = (event: ManualProvisioningEvent) => lifecycle.send(event);
  let answer: DecisionAnswer | null = null;
  let methods: VerificationMethod[] = [];
  let otpTtlMs = PROGRAM_DEFAULTS.otpTtlSeconds * 1000;
  let codeHmac: string | null = null;
  const deadline = (iso: string | null) => (iso ? Date.parse(iso) : null);
  const codeExpired = () => Date.now() >= (deadline(lifecycle.context.codeExpiresAt) ?? Infinity);

  setHandler(manualProvisioningStateQuery, () => ({ state: lifecycle.state, seq: lifecycle.seq }));

  /** Another caller's request is answered as unknown: its existence is not disclosed. */
  const assertOwner = (caller: string | undefined) => {
    if (!isRequestOwner(request, caller))
      throw ApplicationFailure.nonRetryable('no such tokenization request', 'RequestNotFound');
  };
  /**
   * Checked by the validator and again by the handler: concurrent sends are all validated against the
   * state before the first is applied, and each must still be refused with the contract's reason.
   */
  const assertCanSend = (methodId: string) => {
    if (!methods.some((m) => m.id === methodId)) {
      throw ApplicationFailure.nonRetryable(`unknown verification method ${methodId}`, 'UnknownMethod', {
        field: 'methodId',
        accepted: methods.map((m) => m.id),
      });
    }
    const { sends, maxSends } = lifecycle.context;
    if (YELLOW_STATES.has(lifecycle.state) && sends >= maxSends) {
      throw ApplicationFailure.nonRetryable(`all ${maxSends} codes have been sent`, 'SendLimitReached');
    }
    lifecycle.assertAccepts({ type: 'OTP_SENT', expiresAt: '' });
  };
  /** An attempt counted against the card's limits, across its requests: named, timed by the workflow. */
  const cardAttempt = (name: string) => ({ id: `${request.requestId}:${name}`, at: Date.now() });

  setHandler(decisionUpdate, async () => {
    await condition(() => answer !== null);
    return answer!;
  });

  setHandler(
    sendOtpUpdate,
    ({ methodId }) =>
      lifecycle.exclusive(async () => {
        assertCanSend(methodId);
        const method = methods.find((m) => m.id === methodId)!;
        const issued = await codes
          .issueOtp({
            requestId: request.requestId,
            proxy: request.proxy,
            methodId,
            attempt: cardAttempt(`send:${lifecycle.context.sends + 1}`),
          })
          .catch(cardSendLimitIsTheAnswer);
        codeHmac = issued.codeHmac; // voids the previous code
        const expiresAt = new Date(Date.now() + otpTtlMs).toISOString();
        await send({ type: 'OTP_SENT', expiresAt });
        const { sends, maxSends } = lifecycle.context;
        return {
          methodId,
          channel: method.channel,
          target: method.target,
          expiresAt,
          sendsLeft: maxSends - sends,
        };
      }),
    {
      validator: ({ methodId, caller }) => {
        assertOwner(caller);
        assertCanSend(methodId);
      },
    },
  );

  setHandler(
    verifyOtpUpdate,
    ({ codeHmac: typed }) =>
      lifecycle.exclusive(async () => {
        const attemptsLeft = () => lifecycle.context.maxAttempts - lifecycle.context.wrongAttempts;
        if (lifecycle.state === 'locked') return { result: 'LOCKED' as const, attemptsLeft: 0 };
        if (lifecycle.state === 'codeExpired')
          return { result: 'EXPIRED' as const, attemptsLeft: attemptsLeft() };
        lifecycle.assertAccepts({ type: 'OTP_VERIFIED' });
        if (codeExpired()) {
          // The timer may not have fired yet: expiry is decided by workflow time, even for a right code.
          codeHmac = null;
          await send({ type: 'OTP_EXPIRED' });
          return { result: 'EXPIRED' as const, attemptsLeft: attemptsLeft() };
        }
        if (codeHmac !== null && constantTimeEqualStrings(typed, codeHmac)) {
          codeHmac = null;
          await send({ type: 'OTP_VERIFIED' });
          return { result: 'VERIFIED' as const, attemptsLeft: attemptsLeft() };
        }
        const rejected = await send({ type: 'OTP_REJECTED' });
        if (patched(CARD_OTP_LIMITS)) {
          const verdict = await cardLimits.countWrongCode({
            proxy: request.proxy,
            attempt: cardAttempt(`guess:${rejected.seq}`),
          });
          if (!verdict.admitted && lifecycle.state === 'awaitingCode') {
            await send({ type: 'CARD_GUESS_LIMIT_REACHED' });
          }
        }
        if (lifecycle.state === 'locked') {
          codeHmac = null;
          return { result: 'LOCKED' as const, attemptsLeft: 0 };
        }
        return { result: 'INVALID_CODE' as const, attemptsLeft: attemptsLeft() };
      }),
    {
      validator: ({ caller }) => {
        assertOwner(caller);
        if (!['awaitingCode', 'codeExpired', 'locked'].includes(lifecycle.state)) {
          lifecycle.assertAccepts({ type: 'OTP_VERIFIED' });
        }
      },
    },
  );

  setHandler(
    supportActivationUpdate,
    ({ agentId, reason }) =>
      lifecycle.exclusive(async () => {
        await send({ type: 'SUPPORT_ACTIVATED', agentId, reason });
        return { state: lifecycle.state };
      }),
    {
      validator: ({ agentId, reason }) =>
        lifecycle.assertAccepts({ type: 'SUPPORT_ACTIVATED', agentId, reason }),
    },
  );

  await lifecycle.exclusive(async () => {
    const decided = await decisions.decideTokenizationRequest(request);
    methods = decided.methods;
    otpTtlMs = decided.program.otpTtlSeconds * 1000;
    const yellowPathExpiresAt =
      decided.decision === 'YELLOW'
        ? new Date(Date.now() + decided.program.yellowPathTtlSeconds * 1000).toISOString()
        : null;
    await send({
      type: 'DECIDED',
      decision: decided.decision,
      reason: decided.reason,
      maxSends: decided.program.maxSends,
      maxAttempts: decided.program.maxAttempts,
      yellowPathExpiresAt,
    });
    answer = {
      requestId: request.requestId,
      decision: decided.decision,
      ...(decided.decision === 'YELLOW' ? { methods } : {}),
    };
  });

  while (!lifecycle.done) {
    const due = [deadline(lifecycle.context.yellowPathExpiresAt)];
    if (lifecycle.state === 'awaitingCode') due.push(deadline(lifecycle.context.codeExpiresAt));
    await nextTransitionOrDeadline(lifecycle, {
      deadline: Math.min(...due.map((d) => d ?? Infinity)),
      atDeadline: async () => {
        const yellowEnd = deadline(lifecycle.context.yellowPathExpiresAt);
        if (YELLOW_STATES.has(lifecycle.state) && yellowEnd !== null && Date.now() >= yellowEnd) {
          codeHmac = null;
          await send({ type: 'YELLOW_PATH_EXPIRED' });
        } else if (lifecycle.state === 'awaitingCode' && codeExpired()) {
          codeHmac = null;
          await send({ type: 'OTP_EXPIRED' });
        }
      },
    });
  }

  await condition(allHandlersFinished);
  if (lifecycle.state === 'active') {
    const event: PartnerEvent = {
      eventId: `${workflowInfo().workflowId}:${lifecycle.seq}`,
      name: 'CARD_WAS_ADDED_TO_WALLET',
      proxy: request.proxy,
      wallet: request.wallet,
      // Manual provisioning has no token reference of its own until the wallet reports one.
      tokenReferenceId: request.requestId,
      occurredAt: new Date().toISOString(),
    };
    await partnerWebhooks.emitPartnerEvent(event);
  }
  return { state: lifecycle.state };
}
