import { LIFECYCLES } from '@tlo/domain';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { smartTapKeysMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import { nextTransitionOrDeadline } from './shared/deadline';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';
import {
  type KeySetAnswer,
  type SmartTapKeysInput,
  SmartTapKeysFailures,
  revokeKeyUpdate,
  rotateNowUpdate,
  rotationPolicyUpdate,
} from './smart-tap-keys.definitions';

const keys = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});

const definition: LifecycleDefinition<typeof smartTapKeysMachine> = {
  name: LIFECYCLES.smartTapKeys.name,
  machine: smartTapKeysMachine,
  view: (context) => ({ ...context }),
  details: (state, context) =>
    [
      `**State:** ${state} · **Issuer:** ${context.issuerId}`,
      `**Keys:** ${context.keys
        .filter((key) => key.status !== 'RETIRED')
        .map((key) => `v${key.version} ${key.status}`)
        .join(', ')}`,
      `**Rotation:** every ${context.policy.periodSeconds} s, grace ${context.policy.graceSeconds} s`,
    ].join('\n\n'),
};

/**
 * The Smart Tap key set of one issuer, an actor as long-lived as the issuer: rotates
 * on its period or on demand, keeps the previous version authenticating through the grace, retires
 * versions at the end of grace or at once on revoke, and continues as new to bound its history.
 */
export async function smartTapKeys(input: SmartTapKeysInput): Promise<{ state: string }> {
  const lifecycle = Lifecycle.create(
    definition,
    { issuerId: input.issuerId, policy: input.policy },
    input.resume?.chart,
  );
  const context = () => lifecycle.context;
  const answer = (): KeySetAnswer => ({ state: lifecycle.state, keys: context().keys });
  const shouldContinueAsNew = () => lifecycle.continueAsNewDue(input.maxTransitionsPerRun ?? 200);

  const rotate = async () => {
    const version = Math.max(0, ...context().keys.map((key) => key.version)) + 1;
    await keys.createSmartTapKey({ issuerId: input.issuerId, version });
    const now = Date.now();
    await lifecycle.send({
      type: 'KEY_ROTATED',
      version,
      at: new Date(now).toISOString(),
      graceEndsAt: new Date(now + context().policy.graceSeconds * 1000).toISOString(),
    });
  };
  const nextRotationAt = () => Date.parse(context().lastRotationAt!) + context().policy.periodSeconds * 1000;
  const graceDue = () =>
    context()
      .keys.filter((key) => key.status === 'RETIRING')
      .map((key) => ({ version: key.version, at: Date.parse(key.retiresAt!) }));

  setHandler(rotateNowUpdate, () =>
    lifecycle.exclusive(async () => {
      await rotate();
      return answer();
    }),
  );

  setHandler(
    revokeKeyUpdate,
    ({ version }) =>
      lifecycle.exclusive(async () => {
        await lifecycle.send({ type: 'KEY_REVOKED', version, at: new Date().toISOString() });
        if (lifecycle.state === 'noActiveKey') await rotate();
        return answer();
      }),
    {
      validator: ({ version }) => {
        if (!context().keys.some((key) => key.version === version && key.status !== 'RETIRED')) {
          throw SmartTapKeysFailures.unknownKeyVersion.raise(`no unretired key version ${version}`, {
            field: 'version',
          });
        }
      },
    },
  );

  setHandler(
    rotationPolicyUpdate,
    (policy) =>
      lifecycle.exclusive(async () => {
        await lifecycle.send({ type: 'POLICY_CHANGED', policy });
        return answer();
      }),
    {
      validator: (policy) => {
        if (!(policy.periodSeconds > policy.graceSeconds && policy.graceSeconds >= 0)) {
          throw ApplicationFailure.nonRetryable(
            'the grace must be shorter than the period',
            SmartTapKeysFailures.invalidPolicy.type,
            {
              field: 'graceSeconds',
            },
          );
        }
      },
    },
  );

  if (!input.resume && input.createFirstKey !== false) await lifecycle.exclusive(rotate);

  for (;;) {
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof smartTapKeys>({ ...input, resume: { chart: lifecycle.persist() } });
    }
    // No key yet: nothing is scheduled until the first rotation.
    const due =
      context().lastRotationAt === null
        ? Infinity
        : Math.min(nextRotationAt(), ...graceDue().map((g) => g.at));
    await nextTransitionOrDeadline(lifecycle, {
      deadline: due,
      atDeadline: async () => {
        for (const grace of graceDue()) {
          if (Date.now() >= grace.at) await lifecycle.send({ type: 'GRACE_ENDED', version: grace.version });
        }
        if (Date.now() >= nextRotationAt()) await rotate();
      },
      alsoWakeWhen: shouldContinueAsNew,
    });
  }
}
