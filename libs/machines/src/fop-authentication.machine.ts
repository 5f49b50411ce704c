import { assign, setup } from 'xstate';
import type { AuthenticationMethod } from '@tlo/domain';

export interface FopAuthenticationContext {
  method: AuthenticationMethod;
  accountId: string;
  wrongAttempts: number;
  maxAttempts: number;
  codeExpiresAt: string | null;
  authenticatedUntil: string | null;
  /** What the proof was used for, and by which association or token: one use only. */
  consumedFor: 'ASSOCIATE' | 'REFRESH' | null;
  consumedBy: string | null;
}

export type FopAuthenticationEvent =
  | { type: 'CODE_SENT'; expiresAt: string }
  | { type: 'CODE_REJECTED' }
  | { type: 'CODE_VERIFIED'; authenticatedUntil: string }
  | { type: 'REDIRECT_COMPLETED'; authenticatedUntil: string }
  | { type: 'CONSUMED'; purpose: 'ASSOCIATE' | 'REFRESH'; by: string }
  | { type: 'EXPIRED' };

/**
 * State groups the workflow asks for (`hasTag`), so no state name is written outside the chart:
 * `codePending`: an SMS code awaits the user and runs its expiry clock;
 * `codeLocked`: too many wrong codes, the session is over;
 * `proven`: the user proved who they are, so a code typed again is already used;
 * `usable`: the proof may be used once, until it expires; `used`: it was;
 * `expiredUnused`: the code or the proof expired before it was used.
 */
export type FopAuthenticationTag =
  'codePending' | 'codeLocked' | 'proven' | 'usable' | 'used' | 'expiredUnused';

/**
 * One authentication session of the tokenized form of payment: the user proves who they
 * are by an SMS code or by signing in on the integrator's page; the proof may then be used once, to
 * associate an instrument or refresh its token, before it expires.
 */
export const fopAuthenticationMachine = setup({
  types: {
    context: {} as FopAuthenticationContext,
    events: {} as FopAuthenticationEvent,
    input: {} as { method: AuthenticationMethod; accountId: string; maxAttempts: number },
    tags: {} as FopAuthenticationTag,
  },
  guards: {
    isLastAttempt: ({ context }) => context.wrongAttempts + 1 >= context.maxAttempts,
  },
  actions: {
    recordCode: assign(({ event }) => (event.type === 'CODE_SENT' ? { codeExpiresAt: event.expiresAt } : {})),
    countWrongAttempt: assign({ wrongAttempts: ({ context }) => context.wrongAttempts + 1 }),
    authenticate: assign(({ event }) =>
      event.type === 'CODE_VERIFIED' || event.type === 'REDIRECT_COMPLETED'
        ? { authenticatedUntil: event.authenticatedUntil, codeExpiresAt: null }
        : {},
    ),
    consume: assign(({ event }) =>
      event.type === 'CONSUMED' ? { consumedFor: event.purpose, consumedBy: event.by } : {},
    ),
  },
}).createMachine({
  id: 'fopAuthentication',
  initial: 'started',
  context: ({ input }) => ({
    method: input.method,
    accountId: input.accountId,
    wrongAttempts: 0,
    maxAttempts: input.maxAttempts,
    codeExpiresAt: null,
    authenticatedUntil: null,
    consumedFor: null,
    consumedBy: null,
  }),
  states: {
    started: {
      on: {
        CODE_SENT: { target: 'awaitingCode', actions: 'recordCode' },
        REDIRECT_COMPLETED: { target: 'authenticated', actions: 'authenticate' },
      },
    },
    awaitingCode: {
      tags: ['codePending'],
      on: {
        CODE_VERIFIED: { target: 'authenticated', actions: 'authenticate' },
        CODE_REJECTED: [
          { guard: 'isLastAttempt', target: 'locked', actions: 'countWrongAttempt' },
          { target: 'awaitingCode', actions: 'countWrongAttempt' },
        ],
        EXPIRED: 'expired',
      },
    },
    authenticated: {
      tags: ['proven', 'usable'],
      on: {
        CONSUMED: { target: 'consumed', actions: 'consume' },
        EXPIRED: 'expired',
      },
    },
    consumed: { type: 'final', tags: ['proven', 'used'] },
    locked: { type: 'final', tags: ['codeLocked'] },
    expired: { type: 'final', tags: ['expiredUnused'] },
  },
});
