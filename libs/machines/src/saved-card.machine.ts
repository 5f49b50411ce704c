import { assign, setup } from 'xstate';

export interface SavedCardContext {
  uses: number;
  lastUsedAt: string;
  cancelledBy: 'BUYER' | 'MERCHANT' | null;
}

export type SavedCardEvent =
  | { type: 'USED'; at: string }
  | { type: 'CANCELLED'; by: 'BUYER' | 'MERCHANT' }
  | { type: 'CARD_EXPIRED' }
  | { type: 'PURGED' };

/**
 * A saved card of a customer wallet (seed 003). It pays while active; a cancellation is logical
 * (visible, never pays again); card expiry stops proposing it. Whatever its state, the card data is
 * purged after the inactivity period since its last use, and the purge is final.
 * Groundwork for the customer-wallet lifecycle: the workflow, API and tests come with that issue.
 */
export const savedCardMachine = setup({
  types: {
    context: {} as SavedCardContext,
    events: {} as SavedCardEvent,
    input: {} as { createdAt: string },
  },
  actions: {
    recordUse: assign(({ context, event }) =>
      event.type === 'USED' ? { uses: context.uses + 1, lastUsedAt: event.at } : {},
    ),
    recordCancel: assign(({ event }) => (event.type === 'CANCELLED' ? { cancelledBy: event.by } : {})),
  },
}).createMachine({
  id: 'savedCard',
  initial: 'active',
  context: ({ input }) => ({ uses: 0, lastUsedAt: input.createdAt, cancelledBy: null }),
  states: {
    active: {
      on: {
        USED: { target: 'active', actions: 'recordUse' },
        CANCELLED: { target: 'cancelled', actions: 'recordCancel' },
        CARD_EXPIRED: 'expired',
        PURGED: 'purged',
      },
    },
    cancelled: { on: { PURGED: 'purged' } },
    expired: { on: { CANCELLED: { target: 'cancelled', actions: 'recordCancel' }, PURGED: 'purged' } },
    purged: { type: 'final' },
  },
});
