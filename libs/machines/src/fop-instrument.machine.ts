import { assign, setup } from 'xstate';

export interface FopInstrumentContext {
  associationId: string;
  accountId: string;
  tokenExpiresAt: string | null;
  refreshes: number;
  refusal: string | null;
}

export type FopInstrumentEvent =
  | { type: 'ASSOCIATED'; tokenExpiresAt: string }
  | { type: 'REFUSED'; reason: string }
  | { type: 'REFRESHED'; tokenExpiresAt: string }
  | { type: 'TOKEN_EXPIRED' };

/**
 * State groups the workflow asks for (`hasTag`), so no state name is written outside the chart:
 * `resting`: the association is settled and no step is mid-way, the actor may continue as new;
 * `tokenTaken`: the Google Payment Token already belongs to another association.
 */
export type FopInstrumentTag = 'resting' | 'tokenTaken';

/**
 * One instrument: a Google user's association with an integrator account, represented
 * by its own Google Payment Token. The token lives until its expiry; each refresh extends it.
 */
export const fopInstrumentMachine = setup({
  types: {
    context: {} as FopInstrumentContext,
    events: {} as FopInstrumentEvent,
    input: {} as { associationId: string; accountId: string },
    tags: {} as FopInstrumentTag,
  },
  actions: {
    setExpiry: assign(({ event }) =>
      event.type === 'ASSOCIATED' || event.type === 'REFRESHED'
        ? { tokenExpiresAt: event.tokenExpiresAt }
        : {},
    ),
    countRefresh: assign({ refreshes: ({ context }) => context.refreshes + 1 }),
    recordRefusal: assign(({ event }) => (event.type === 'REFUSED' ? { refusal: event.reason } : {})),
  },
}).createMachine({
  id: 'fopInstrument',
  initial: 'associating',
  context: ({ input }) => ({
    associationId: input.associationId,
    accountId: input.accountId,
    tokenExpiresAt: null,
    refreshes: 0,
    refusal: null,
  }),
  states: {
    associating: {
      on: {
        ASSOCIATED: { target: 'active', actions: 'setExpiry' },
        REFUSED: { target: 'refused', actions: 'recordRefusal' },
      },
    },
    active: {
      tags: ['resting'],
      on: {
        REFRESHED: { target: 'active', actions: ['setExpiry', 'countRefresh'] },
        TOKEN_EXPIRED: 'expired',
      },
    },
    refused: { type: 'final', tags: ['tokenTaken'] },
    expired: { type: 'final' },
  },
});
