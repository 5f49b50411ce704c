import { assign, setup } from 'xstate';
import type { KeyStatus, RotationPolicy } from '@tlo/domain';

export interface SmartTapKeyVersion {
  version: number;
  status: KeyStatus;
  activatedAt: string;
  /** When a RETIRING key stops authenticating, or when a key was retired. */
  retiresAt: string | null;
}

export interface SmartTapKeysContext {
  issuerId: string;
  keys: SmartTapKeyVersion[];
  policy: RotationPolicy;
  lastRotationAt: string | null;
}

export type SmartTapKeysEvent =
  | { type: 'KEY_ROTATED'; version: number; at: string; graceEndsAt: string }
  | { type: 'GRACE_ENDED'; version: number }
  | { type: 'KEY_REVOKED'; version: number; at: string }
  | { type: 'POLICY_CHANGED'; policy: RotationPolicy };

/**
 * State groups the workflow asks for (`hasTag`), so no state name is written outside the chart:
 * `resting`: the key set is settled (every state but the transient `settling`), it may continue as new;
 * `needsKey`: no version is active, a rotation must create one.
 */
export type SmartTapKeysTag = 'resting' | 'needsKey';

const withStatus = (keys: SmartTapKeyVersion[], version: number, status: KeyStatus, retiresAt?: string) =>
  keys.map((key) =>
    key.version === version ? { ...key, status, retiresAt: retiresAt ?? key.retiresAt } : key,
  );

/**
 * The authentication keys of one Smart Tap issuer. A rotation publishes a new ACTIVE
 * version and puts the previous one in grace (RETIRING, still authenticating) until the grace ends;
 * a revoke retires a version at once. The state says which it is: no active key, steady, or grace.
 */
export const smartTapKeysMachine = setup({
  types: {
    context: {} as SmartTapKeysContext,
    events: {} as SmartTapKeysEvent,
    input: {} as { issuerId: string; policy: RotationPolicy },
    tags: {} as SmartTapKeysTag,
  },
  // A refusal names the guard that refused: `isUnretired` is an unknown or retired version,
  // `isValidPolicy` a grace that is not shorter than the period.
  guards: {
    isNewVersion: ({ context, event }) =>
      event.type === 'KEY_ROTATED' && context.keys.every((key) => key.version < event.version),
    isRetiring: ({ context, event }) =>
      event.type === 'GRACE_ENDED' &&
      context.keys.some((k) => k.version === event.version && k.status === 'RETIRING'),
    isUnretired: ({ context, event }) =>
      event.type === 'KEY_REVOKED' &&
      context.keys.some((k) => k.version === event.version && k.status !== 'RETIRED'),
    isValidPolicy: ({ event }) =>
      event.type === 'POLICY_CHANGED' &&
      event.policy.graceSeconds >= 0 &&
      event.policy.periodSeconds > event.policy.graceSeconds,
    hasNoActiveKey: ({ context }) => !context.keys.some((key) => key.status === 'ACTIVE'),
    isInGrace: ({ context }) => context.keys.some((key) => key.status === 'RETIRING'),
  },
  actions: {
    rotate: assign(({ context, event }) => {
      if (event.type !== 'KEY_ROTATED') return {};
      const keys = context.keys.map((key) =>
        key.status === 'ACTIVE' ? { ...key, status: 'RETIRING' as const, retiresAt: event.graceEndsAt } : key,
      );
      keys.push({ version: event.version, status: 'ACTIVE', activatedAt: event.at, retiresAt: null });
      return { keys, lastRotationAt: event.at };
    }),
    endGrace: assign(({ context, event }) =>
      event.type === 'GRACE_ENDED' ? { keys: withStatus(context.keys, event.version, 'RETIRED') } : {},
    ),
    revoke: assign(({ context, event }) =>
      event.type === 'KEY_REVOKED'
        ? { keys: withStatus(context.keys, event.version, 'RETIRED', event.at) }
        : {},
    ),
    setPolicy: assign(({ event }) => (event.type === 'POLICY_CHANGED' ? { policy: event.policy } : {})),
  },
}).createMachine({
  id: 'smartTapKeys',
  initial: 'noActiveKey',
  context: ({ input }) => ({
    issuerId: input.issuerId,
    keys: [],
    policy: input.policy,
    lastRotationAt: null,
  }),
  on: {
    KEY_ROTATED: { guard: 'isNewVersion', target: '.settling', actions: 'rotate' },
    GRACE_ENDED: { guard: 'isRetiring', target: '.settling', actions: 'endGrace' },
    KEY_REVOKED: { guard: 'isUnretired', target: '.settling', actions: 'revoke' },
    POLICY_CHANGED: { guard: 'isValidPolicy', target: '.settling', actions: 'setPolicy' },
  },
  states: {
    settling: {
      always: [
        { guard: 'hasNoActiveKey', target: 'noActiveKey' },
        { guard: 'isInGrace', target: 'grace' },
        { target: 'steady' },
      ],
    },
    noActiveKey: { tags: ['resting', 'needsKey'] },
    steady: { tags: ['resting'] },
    grace: { tags: ['resting'] },
  },
});
