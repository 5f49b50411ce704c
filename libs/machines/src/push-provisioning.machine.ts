import { assign, setup } from 'xstate';
import type { CardRejection, Wallet } from '@tlo/domain';

/**
 * One card's presence in one wallet (Bankly push provisioning).
 * The issuer app asks for a payload; the card is checked, a payload sealed for the wallet; the wallet
 * later reports each token it activated or deleted. The actor ends when the last token is deleted,
 * when the wallet never answers, or when the card cannot be pushed at all.
 */
export interface PushProvisioningContext {
  proxy: string;
  wallet: Wallet;
  payloadsIssued: number;
  activeTokens: string[];
  /** Tokens the wallet reported deleted (absent from snapshots persisted before it was kept). */
  removedTokens?: string[];
  rejection: CardRejection | null;
}

export type PushProvisioningEvent =
  | { type: 'PAYLOAD_REQUESTED' }
  | { type: 'CARD_ELIGIBLE' }
  | { type: 'CARD_REJECTED'; reason: CardRejection }
  | { type: 'PAYLOAD_ISSUED' }
  | { type: 'PAYLOAD_FAILED' }
  | { type: 'TOKEN_ACTIVATED'; tokenReferenceId: string }
  | { type: 'TOKEN_DELETED'; tokenReferenceId: string }
  | { type: 'WALLET_TIMEOUT' };

export type PushProvisioningState =
  | 'idle'
  | 'checkingCard'
  | 'issuingPayload'
  | 'awaitingWallet'
  | 'active'
  | 'rejected'
  | 'abandoned'
  | 'removed'
  | 'failed';

/**
 * State groups the workflow asks for (`hasTag`), so no state name is written outside the chart:
 * `resting`: no step is mid-way, the actor may continue as new;
 * `walletPending`: a payload is out and the wallet's silence ends the actor at its deadline.
 */
export type PushProvisioningTag = 'resting' | 'walletPending';

export const pushProvisioningMachine = setup({
  types: {
    context: {} as PushProvisioningContext,
    events: {} as PushProvisioningEvent,
    input: {} as { proxy: string; wallet: Wallet },
    tags: {} as PushProvisioningTag,
  },
  guards: {
    hasActiveTokens: ({ context }) => context.activeTokens.length > 0,
    hasIssuedPayload: ({ context }) => context.payloadsIssued > 0,
    isNewToken: ({ context, event }) =>
      event.type === 'TOKEN_ACTIVATED' && !context.activeTokens.includes(event.tokenReferenceId),
    isLastActiveToken: ({ context, event }) =>
      event.type === 'TOKEN_DELETED' &&
      context.activeTokens.length === 1 &&
      context.activeTokens[0] === event.tokenReferenceId,
    isActiveToken: ({ context, event }) =>
      event.type === 'TOKEN_DELETED' && context.activeTokens.includes(event.tokenReferenceId),
  },
  actions: {
    countPayload: assign({ payloadsIssued: ({ context }) => context.payloadsIssued + 1 }),
    addToken: assign({
      activeTokens: ({ context, event }) =>
        event.type === 'TOKEN_ACTIVATED'
          ? [...context.activeTokens, event.tokenReferenceId]
          : context.activeTokens,
    }),
    removeToken: assign(({ context, event }) =>
      event.type === 'TOKEN_DELETED'
        ? {
            activeTokens: context.activeTokens.filter((id) => id !== event.tokenReferenceId),
            removedTokens: [...(context.removedTokens ?? []), event.tokenReferenceId],
          }
        : {},
    ),
    recordRejection: assign({
      rejection: ({ event }) => (event.type === 'CARD_REJECTED' ? event.reason : null),
    }),
  },
}).createMachine({
  id: 'pushProvisioning',
  initial: 'idle',
  context: ({ input }) => ({
    proxy: input.proxy,
    wallet: input.wallet,
    payloadsIssued: 0,
    activeTokens: [],
    removedTokens: [],
    rejection: null,
  }),
  states: {
    idle: {
      tags: ['resting'],
      on: { PAYLOAD_REQUESTED: 'checkingCard' },
    },
    checkingCard: {
      on: {
        CARD_ELIGIBLE: 'issuingPayload',
        CARD_REJECTED: [
          { guard: 'hasActiveTokens', target: 'active', actions: 'recordRejection' },
          { guard: 'hasIssuedPayload', target: 'awaitingWallet', actions: 'recordRejection' },
          { target: 'rejected', actions: 'recordRejection' },
        ],
      },
    },
    issuingPayload: {
      on: {
        PAYLOAD_ISSUED: [
          { guard: 'hasActiveTokens', target: 'active', actions: 'countPayload' },
          { target: 'awaitingWallet', actions: 'countPayload' },
        ],
        PAYLOAD_FAILED: [
          { guard: 'hasActiveTokens', target: 'active' },
          { guard: 'hasIssuedPayload', target: 'awaitingWallet' },
          { target: 'failed' },
        ],
      },
    },
    awaitingWallet: {
      tags: ['resting', 'walletPending'],
      on: {
        PAYLOAD_REQUESTED: 'checkingCard',
        TOKEN_ACTIVATED: { target: 'active', actions: 'addToken' },
        WALLET_TIMEOUT: 'abandoned',
      },
    },
    active: {
      tags: ['resting'],
      on: {
        PAYLOAD_REQUESTED: 'checkingCard',
        TOKEN_ACTIVATED: { guard: 'isNewToken', target: 'active', actions: 'addToken' },
        TOKEN_DELETED: [
          { guard: 'isLastActiveToken', target: 'removed', actions: 'removeToken' },
          { guard: 'isActiveToken', target: 'active', actions: 'removeToken' },
        ],
      },
    },
    rejected: { type: 'final' },
    abandoned: { type: 'final' },
    removed: { type: 'final' },
    failed: { type: 'final' },
  },
});

export type WalletTokenEvent = Extract<PushProvisioningEvent, { type: 'TOKEN_ACTIVATED' | 'TOKEN_DELETED' }>;

/**
 * Whether the wallet reports what the chart already took: the activation of a token that is active,
 * or the deletion of a token already deleted. A wallet retries its reports; such a retry is answered
 * with the current state instead of being refused, and changes nothing.
 */
export function walletEventAlreadyApplied(
  context: Pick<PushProvisioningContext, 'activeTokens' | 'removedTokens'>,
  event: WalletTokenEvent,
): boolean {
  if (event.type === 'TOKEN_ACTIVATED') return context.activeTokens.includes(event.tokenReferenceId);
  return (
    !context.activeTokens.includes(event.tokenReferenceId) &&
    (context.removedTokens ?? []).includes(event.tokenReferenceId)
  );
}
