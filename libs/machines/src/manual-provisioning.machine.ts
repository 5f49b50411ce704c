import { assign, setup } from 'xstate';
import type { TokenizationDecision } from '@tlo/domain';

/**
 * Manual provisioning, yellow path. The wallet asks for a decision; GREEN activates at
 * once, RED declines; YELLOW asks the cardholder for a one-time code: sent (and resent, voiding the
 * previous one) up to `maxSends` times, `maxAttempts` wrong codes lock it, each code expires; support
 * can activate from any yellow state; the whole yellow path expires by itself. Wrong codes also count
 * against the card, across its requests: past the card's limit, a wrong code locks the request.
 */
export interface ManualProvisioningContext {
  decision: TokenizationDecision | null;
  reason: string | null;
  sends: number;
  wrongAttempts: number;
  maxSends: number;
  maxAttempts: number;
  /** ISO-8601 workflow times; the timers themselves are Temporal timers. */
  codeExpiresAt: string | null;
  yellowPathExpiresAt: string | null;
  activatedBy: 'RULES' | 'OTP' | 'SUPPORT' | null;
  support: { agentId: string; reason: string } | null;
}

export type ManualProvisioningEvent =
  | {
      type: 'DECIDED';
      decision: TokenizationDecision;
      reason: string;
      /** The card program's limits; the input's defaults stay when absent. */
      maxSends?: number;
      maxAttempts?: number;
      yellowPathExpiresAt?: string | null;
    }
  | { type: 'OTP_SENT'; expiresAt: string }
  | { type: 'OTP_REJECTED' }
  | { type: 'OTP_VERIFIED' }
  | { type: 'OTP_EXPIRED' }
  | { type: 'SUPPORT_ACTIVATED'; agentId: string; reason: string }
  | { type: 'YELLOW_PATH_EXPIRED' }
  /** The card's wrong codes, across all its requests, went past the card's limit: locks this request. */
  | { type: 'CARD_GUESS_LIMIT_REACHED' };

/**
 * State groups the workflow asks for (`hasTag`), so no state name is written outside the chart:
 * `yellow`: the yellow path is open (its own expiry runs);
 * `codeSent`: a code was sent, so a verification gets an answer (pending, stale or locked);
 * `codePending`: a code awaits the cardholder and runs its expiry clock;
 * `codeStale`: the last code expired; `codeLocked`: wrong codes locked the request;
 * `provisioned`: the card is in the wallet, the partner is told.
 */
export type ManualProvisioningTag =
  'yellow' | 'codeSent' | 'codePending' | 'codeStale' | 'codeLocked' | 'provisioned';

const yellowExits = {
  SUPPORT_ACTIVATED: { target: 'active', actions: 'activatedBySupport' },
  YELLOW_PATH_EXPIRED: 'expired',
} as const;

const sendCode = {
  OTP_SENT: { guard: 'canSend', target: 'awaitingCode', actions: 'countSend' },
} as const;

export const manualProvisioningMachine = setup({
  types: {
    context: {} as ManualProvisioningContext,
    events: {} as ManualProvisioningEvent,
    input: {} as { maxSends: number; maxAttempts: number },
    tags: {} as ManualProvisioningTag,
  },
  // A refusal names the guard that refused: `canSend` refused is the request's send limit reached.
  guards: {
    isGreen: ({ event }) => event.type === 'DECIDED' && event.decision === 'GREEN',
    isYellow: ({ event }) => event.type === 'DECIDED' && event.decision === 'YELLOW',
    canSend: ({ context }) => context.sends < context.maxSends,
    isLastAttempt: ({ context }) => context.wrongAttempts + 1 >= context.maxAttempts,
  },
  actions: {
    recordDecision: assign(({ context, event }) =>
      event.type === 'DECIDED'
        ? {
            decision: event.decision,
            reason: event.reason,
            maxSends: event.maxSends ?? context.maxSends,
            maxAttempts: event.maxAttempts ?? context.maxAttempts,
            yellowPathExpiresAt: event.yellowPathExpiresAt ?? null,
          }
        : {},
    ),
    activatedByRules: assign({ activatedBy: 'RULES' as const }),
    activatedByOtp: assign({ activatedBy: 'OTP' as const }),
    activatedBySupport: assign(({ event }) => ({
      activatedBy: 'SUPPORT' as const,
      support: event.type === 'SUPPORT_ACTIVATED' ? { agentId: event.agentId, reason: event.reason } : null,
    })),
    countSend: assign(({ context, event }) => ({
      sends: context.sends + 1,
      wrongAttempts: 0,
      codeExpiresAt: event.type === 'OTP_SENT' ? event.expiresAt : context.codeExpiresAt,
    })),
    countWrongAttempt: assign({ wrongAttempts: ({ context }) => context.wrongAttempts + 1 }),
  },
}).createMachine({
  id: 'manualProvisioning',
  initial: 'deciding',
  context: ({ input }) => ({
    decision: null,
    reason: null,
    sends: 0,
    wrongAttempts: 0,
    maxSends: input.maxSends,
    maxAttempts: input.maxAttempts,
    codeExpiresAt: null,
    yellowPathExpiresAt: null,
    activatedBy: null,
    support: null,
  }),
  states: {
    deciding: {
      on: {
        DECIDED: [
          { guard: 'isGreen', target: 'active', actions: ['recordDecision', 'activatedByRules'] },
          { guard: 'isYellow', target: 'awaitingMethod', actions: 'recordDecision' },
          { target: 'declined', actions: 'recordDecision' },
        ],
      },
    },
    awaitingMethod: { tags: ['yellow'], on: { ...sendCode, ...yellowExits } },
    awaitingCode: {
      tags: ['yellow', 'codeSent', 'codePending'],
      on: {
        ...sendCode,
        ...yellowExits,
        OTP_VERIFIED: { target: 'active', actions: 'activatedByOtp' },
        OTP_REJECTED: [
          { guard: 'isLastAttempt', target: 'locked', actions: 'countWrongAttempt' },
          { target: 'awaitingCode', actions: 'countWrongAttempt' },
        ],
        OTP_EXPIRED: 'codeExpired',
        CARD_GUESS_LIMIT_REACHED: 'locked',
      },
    },
    codeExpired: { tags: ['yellow', 'codeSent', 'codeStale'], on: { ...sendCode, ...yellowExits } },
    locked: { tags: ['yellow', 'codeSent', 'codeLocked'], on: { ...sendCode, ...yellowExits } },
    active: { type: 'final', tags: ['provisioned'] },
    declined: { type: 'final' },
    expired: { type: 'final' },
  },
});
