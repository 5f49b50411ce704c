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
 * A saved card of a customer wallet (Lyra V4). It pays while active; a cancellation is logical
 * (visible, never pays again); card expiry stops proposing it. Whatever its state, the card data is
 * purged after the inactivity period since its last use, and the purge is final.
 */
export const savedCardMachine = setup({
  types: {
    context: {} as SavedCardContext,
    events: {} as SavedCardEvent,
    input: {} as SavedCardInput,
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
      on: {
        USED: { target: 'active', actions: 'recordUse' },
        CANCELLED: { target: 'cancelled', actions: 'recordCancel' },
        CARD_EXPIRED: 'expired',
        PURGED: { target: 'purged', actions: 'recordPurge' },
      },
    },
    cancelled: { on: { PURGED: { target: 'purged', actions: 'recordPurge' } } },
    expired: {
      on: {
        CANCELLED: { target: 'cancelled', actions: 'recordCancel' },
        PURGED: { target: 'purged', actions: 'recordPurge' },
      },
    },
    purged: { type: 'final' },
  },
});
