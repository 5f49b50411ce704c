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
  type OtpSent,
  type VerifyAnswer,
  ManualProvisioningFailures,
  decisionUpdate,
  manualProvisioningStateQuery,
  sendOtpUpdate,
  supportActivationUpdate,
  verifyOtpUpdate,
} from './manual-provisioning.definitions';
import { deliveredUntilAnswered } from './shared/activity-options';
import { nextTransitionOrDeadline } from './shared/deadline';
import { LifecycleFailures } from './shared/failures';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';
import { Outbox } from './shared/outbox';

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
const partnerWebhooks = proxyActivities<Activities>(deliveredUntilAnswered);

/** Runs from before this version count no wrong code against their card's limit. */
const CARD_OTP_LIMITS = 'card-otp-limits';

type CodeSent = Extract<ManualProvisioningEvent, { type: 'OTP_SENT' }>;

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
  const partnerEvents = new Outbox<PartnerEvent>((event) => partnerWebhooks.emitPartnerEvent(event));
  let answer: DecisionAnswer | null = null;
  let methods: VerificationMethod[] = [];
  let otpTtlMs = PROGRAM_DEFAULTS.otpTtlSeconds * 1000;
  let codeHmac: string | null = null;

  setHandler(manualProvisioningStateQuery, () => ({ state: lifecycle.state, seq: lifecycle.seq }));
  setHandler(decisionUpdate, decisionOnceTaken);
  setHandler(sendOtpUpdate, sendCode, { validator: refuseSend });
  setHandler(verifyOtpUpdate, verifyCode, { validator: refuseVerification });
  setHandler(supportActivationUpdate, activateBySupport, { validator: refuseSupportActivation });

  // Decide; on YELLOW wait for a code, support or a deadline until the path ends; tell the partner.
  await lifecycle.exclusive(decide);
  while (!lifecycle.done) {
    await nextTransitionOrDeadline(lifecycle, { deadline: nextExpiry(), atDeadline: expireWhatIsDue });
  }
  await condition(allHandlersFinished);
  if (lifecycle.hasTag('provisioned')) partnerEvents.push(cardAddedToWallet());
  await partnerEvents.drain();
  return { state: lifecycle.state };

  async function decide(): Promise<void> {
    const decided = await decisions.decideTokenizationRequest(request);
    methods = decided.methods;
    otpTtlMs = decided.program.otpTtlSeconds * 1000;
    const yellowPathExpiresAt =
      decided.decision === 'YELLOW'
        ? new Date(Date.now() + decided.program.yellowPathTtlSeconds * 1000).toISOString()
        : null;
    await lifecycle.send({
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
  }

  /** The yellow path's end and, while a code is pending, the code's: whichever comes first. */
  function nextExpiry(): number {
    const { yellowPathExpiresAt, codeExpiresAt } = lifecycle.context;
    return Math.min(at(yellowPathExpiresAt), lifecycle.hasTag('codePending') ? at(codeExpiresAt) : Infinity);
  }

  async function expireWhatIsDue(): Promise<void> {
    if (lifecycle.hasTag('yellow') && Date.now() >= at(lifecycle.context.yellowPathExpiresAt)) {
      codeHmac = null;
      await lifecycle.send({ type: 'YELLOW_PATH_EXPIRED' });
    } else if (lifecycle.hasTag('codePending') && codeExpired()) {
      codeHmac = null;
      await lifecycle.send({ type: 'OTP_EXPIRED' });
    }
  }

  function codeExpired(): boolean {
    return Date.now() >= at(lifecycle.context.codeExpiresAt);
  }

  function cardAddedToWallet(): PartnerEvent {
    return {
      eventId: `${workflowInfo().workflowId}:${lifecycle.seq}`,
      name: 'CARD_WAS_ADDED_TO_WALLET',
      proxy: request.proxy,
      wallet: request.wallet,
      // Manual provisioning has no token reference of its own until the wallet reports one.
      tokenReferenceId: request.requestId,
      occurredAt: new Date().toISOString(),
    };
  }

  async function decisionOnceTaken(): Promise<DecisionAnswer> {
    await condition(() => answer !== null);
    return answer!;
  }

  /** Another caller's request is answered as unknown: its existence is not disclosed. */
  function assertOwner(caller: string | undefined): void {
    if (!isRequestOwner(request, caller))
      throw LifecycleFailures.requestNotFound.raise('no such tokenization request');
  }

  /** A new code, valid for the program's time from now; it voids the previous one. */
  function codeSent(): CodeSent {
    return { type: 'OTP_SENT', expiresAt: new Date(Date.now() + otpTtlMs).toISOString() };
  }

  /**
   * Checked by the validator and again by the handler: concurrent sends are all validated against the
   * state before the first is applied, and each must still be refused with the contract's reason.
   */
  function assertCanSend(methodId: string): void {
    if (!methods.some((m) => m.id === methodId)) {
      throw ManualProvisioningFailures.unknownMethod.raise(`unknown verification method ${methodId}`, {
        field: 'methodId',
        accepted: methods.map((m) => m.id),
      });
    }
    lifecycle.assertAccepts(codeSent(), {
      canSend: () =>
        ManualProvisioningFailures.sendLimitReached.raise(
          `all ${lifecycle.context.maxSends} codes have been sent`,
        ),
    });
  }

  function refuseSend({ methodId, caller }: { methodId: string; caller?: string }): void {
    assertOwner(caller);
    assertCanSend(methodId);
  }

  /** An attempt counted against the card's limits, across its requests: named, timed by the workflow. */
  function cardAttempt(name: string) {
    return { id: `${request.requestId}:${name}`, at: Date.now() };
  }

  function sendCode({ methodId }: { methodId: string }): Promise<OtpSent> {
    return lifecycle.exclusive(async () => {
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
      const sent = codeSent();
      await lifecycle.send(sent);
      const { sends, maxSends } = lifecycle.context;
      return {
        methodId,
        channel: method.channel,
        target: method.target,
        expiresAt: sent.expiresAt,
        sendsLeft: maxSends - sends,
      };
    });
  }

  /** Once a code was sent, a verification always gets an answer; before, the chart refuses it. */
  function refuseVerification({ caller }: { caller?: string }): void {
    assertOwner(caller);
    if (!lifecycle.hasTag('codeSent')) lifecycle.assertAccepts({ type: 'OTP_VERIFIED' });
  }

  function verifyCode({ codeHmac: typed }: { codeHmac: string }): Promise<VerifyAnswer> {
    return lifecycle.exclusive(async (): Promise<VerifyAnswer> => {
      const attemptsLeft = () => lifecycle.context.maxAttempts - lifecycle.context.wrongAttempts;
      if (lifecycle.hasTag('codeLocked')) return { result: 'LOCKED', attemptsLeft: 0 };
      if (lifecycle.hasTag('codeStale')) return { result: 'EXPIRED', attemptsLeft: attemptsLeft() };
      lifecycle.assertAccepts({ type: 'OTP_VERIFIED' });
      if (codeExpired()) {
        // The timer may not have fired yet: expiry is decided by workflow time, even for a right code.
        codeHmac = null;
        await lifecycle.send({ type: 'OTP_EXPIRED' });
        return { result: 'EXPIRED', attemptsLeft: attemptsLeft() };
      }
      if (codeHmac !== null && constantTimeEqualStrings(typed, codeHmac)) {
        codeHmac = null;
        await lifecycle.send({ type: 'OTP_VERIFIED' });
        return { result: 'VERIFIED', attemptsLeft: attemptsLeft() };
      }
      const rejected = await lifecycle.send({ type: 'OTP_REJECTED' });
      if (patched(CARD_OTP_LIMITS)) {
        const verdict = await cardLimits.countWrongCode({
          proxy: request.proxy,
          attempt: cardAttempt(`guess:${rejected.seq}`),
        });
        if (!verdict.admitted && lifecycle.hasTag('codePending')) {
          await lifecycle.send({ type: 'CARD_GUESS_LIMIT_REACHED' });
        }
      }
      if (lifecycle.hasTag('codeLocked')) {
        codeHmac = null;
        return { result: 'LOCKED', attemptsLeft: 0 };
      }
      return { result: 'INVALID_CODE', attemptsLeft: attemptsLeft() };
    });
  }

  function refuseSupportActivation({ agentId, reason }: { agentId: string; reason: string }): void {
    lifecycle.assertAccepts({ type: 'SUPPORT_ACTIVATED', agentId, reason });
  }

  function activateBySupport({ agentId, reason }: { agentId: string; reason: string }) {
    return lifecycle.exclusive(async () => {
      await lifecycle.send({ type: 'SUPPORT_ACTIVATED', agentId, reason });
      return { state: lifecycle.state };
    });
  }
}

/** Workflow time of an ISO instant; Infinity for none. */
function at(iso: string | null): number {
  return iso ? Date.parse(iso) : Infinity;
}

/** The card's limit on codes sent, refused by the activity, is the update's answer (429 at the edge). */
function cardSendLimitIsTheAnswer(error: unknown): never {
  const cause = error instanceof ActivityFailure ? error.cause : undefined;
  if (ManualProvisioningFailures.cardSendLimitReached.is(cause))
    throw ApplicationFailure.nonRetryable(cause.message, cause.type, ...(cause.details ?? []));
  throw error;
}

/** The read model carries the request's owner, so that reads answer only the caller that asked. */
function definitionFor(request: TokenizationRequest): LifecycleDefinition<typeof manualProvisioningMachine> {
  return {
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
  };
}
