import { assign, setup } from 'xstate';
import type { CancelledBy } from '@tlo/domain';

export interface SavedCardContext {
  paymentMethodToken: string;
  shopId: string;
  customerReference: string | null;
  uses: number;
  /** Creation counts as the first use: the inactivity clock starts there. */
  lastUsedAt: string;
  cancelledBy: CancelledBy | null;
  cancelledAt: string | null;
  purgedAt: string | null;
}

export type SavedCardEvent =
  | { type: 'USED'; at: string }
  | { type: 'CANCELLED'; by: CancelledBy; at: string }
  | { type: 'CARD_EXPIRED' }
  | { type: 'PURGED'; at: string };

export interface SavedCardInput {
  paymentMethodToken: string;
  shopId: string;
  customerReference: string | null;
  createdAt: string;
}

/**
 * State groups the workflow asks for (`hasTag`), so no state name is written outside the chart:
 * `resting`: the actor may continue as new; `usable`: the card pays, and its expiry month ends that;
 * `withdrawn`: cancelled, the first cancellation stands.
 */
export type SavedCardTag = 'resting' | 'usable' | 'withdrawn';

/**
 * A saved card of a customer wallet (Lyra V4). It pays while active; a cancellation is logical
 * (visible, never pays again); card expiry stops proposing it. Whatever its state, the card data is
 * purged after the inactivity period since its last use, and the purge is final.
 */
export const savedCardMachine = setup({
  types: {
    context: {} as SavedCardContext,
    events: {} as SavedCardEvent,
    input: {} as SavedCardInput,
    tags: {} as SavedCardTag,
  },
  actions: {
    recordUse: assign(({ context, event }) =>
      event.type === 'USED' ? { uses: context.uses + 1, lastUsedAt: event.at } : {},
    ),
    recordCancel: assign(({ event }) =>
      event.type === 'CANCELLED' ? { cancelledBy: event.by, cancelledAt: event.at } : {},
    ),
    recordPurge: assign(({ event }) => (event.type === 'PURGED' ? { purgedAt: event.at } : {})),
  },
}).createMachine({
  id: 'savedCard',
  initial: 'active',
  context: ({ input }) => ({
    paymentMethodToken: input.paymentMethodToken,
    shopId: input.shopId,
    customerReference: input.customerReference,
    uses: 0,
    lastUsedAt: input.createdAt,
    cancelledBy: null,
    cancelledAt: null,
    purgedAt: null,
  }),
  states: {
    active: {
      tags: ['resting', 'usable'],
      on: {
        USED: { target: 'active', actions: 'recordUse' },
        CANCELLED: { target: 'cancelled', actions: 'recordCancel' },
        CARD_EXPIRED: 'expired',
        PURGED: { target: 'purged', actions: 'recordPurge' },
      },
    },
    cancelled: {
      tags: ['resting', 'withdrawn'],
      on: { PURGED: { target: 'purged', actions: 'recordPurge' } },
    },
    expired: {
      tags: ['resting'],
      on: {
        CANCELLED: { target: 'cancelled', actions: 'recordCancel' },
        PURGED: { target: 'purged', actions: 'recordPurge' },
      },
    },
    purged: { type: 'final' },
  },
});
