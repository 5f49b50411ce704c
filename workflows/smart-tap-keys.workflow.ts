import { proxyActivities, setHandler } from '@temporalio/workflow';
import { type RotationPolicy, LIFECYCLES } from '@tlo/domain';
import { type SmartTapKeysEvent, smartTapKeysMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import { storeWrites } from './shared/activity-options';
import { RunHandover } from './shared/continue-as-new';
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

const keys = proxyActivities<Activities>(storeWrites);

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

type Revocation = Extract<SmartTapKeysEvent, { type: 'KEY_REVOKED' }>;

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
  const handover = RunHandover.of(lifecycle, LIFECYCLES.smartTapKeys, input);
  const context = () => lifecycle.context;

  setHandler(rotateNowUpdate, rotateNow);
  setHandler(revokeKeyUpdate, revoke, { validator: refuseRevoke });
  setHandler(rotationPolicyUpdate, changePolicy, { validator: refusePolicy });

  // The first key, then rotations on the period and ends of grace, for as long as the issuer exists.
  if (!input.resume && input.createFirstKey !== false) await lifecycle.exclusive(rotate);
  for (;;) {
    await handover.continueAsNewWhenDue(carryOver);
    await nextTransitionOrDeadline(lifecycle, {
      deadline: nextDue(),
      atDeadline: retireAndRotateWhatIsDue,
      alsoWakeWhen: () => handover.due,
    });
  }

  function answer(): KeySetAnswer {
    return { state: lifecycle.state, keys: context().keys };
  }

  function carryOver(): SmartTapKeysInput {
    return { ...input, resume: { chart: lifecycle.persist() } };
  }

  /** Creates the next version's key pair, then makes it the active one (the previous one enters grace). */
  async function rotate(): Promise<void> {
    const version = Math.max(0, ...context().keys.map((key) => key.version)) + 1;
    await keys.createSmartTapKey({ issuerId: input.issuerId, version });
    const now = Date.now();
    await lifecycle.send({
      type: 'KEY_ROTATED',
      version,
      at: new Date(now).toISOString(),
      graceEndsAt: new Date(now + context().policy.graceSeconds * 1000).toISOString(),
    });
  }

  function nextRotationAt(): number {
    return Date.parse(context().lastRotationAt!) + context().policy.periodSeconds * 1000;
  }

  function graceDue(): Array<{ version: number; at: number }> {
    return context()
      .keys.filter((key) => key.status === 'RETIRING')
      .map((key) => ({ version: key.version, at: Date.parse(key.retiresAt!) }));
  }

  /** The next rotation or end of grace; no key yet, nothing is scheduled until the first rotation. */
  function nextDue(): number {
    if (context().lastRotationAt === null) return Infinity;
    return Math.min(nextRotationAt(), ...graceDue().map((grace) => grace.at));
  }

  async function retireAndRotateWhatIsDue(): Promise<void> {
    for (const grace of graceDue()) {
      if (Date.now() >= grace.at) await lifecycle.send({ type: 'GRACE_ENDED', version: grace.version });
    }
    if (Date.now() >= nextRotationAt()) await rotate();
  }

  function rotateNow(): Promise<KeySetAnswer> {
    return lifecycle.exclusive(async () => {
      await rotate();
      return answer();
    });
  }

  function revocation(version: number): Revocation {
    return { type: 'KEY_REVOKED', version, at: new Date().toISOString() };
  }

  /**
   * Checked by the validator and again by the handler: a concurrent revoke of the same version passes
   * the validator too, and is refused with the contract's reason (400, naming the field).
   */
  function assertRevocable(revoked: Revocation): void {
    lifecycle.assertAccepts(revoked, {
      isUnretired: () =>
        SmartTapKeysFailures.unknownKeyVersion.raise(`no unretired key version ${revoked.version}`, {
          field: 'version',
        }),
    });
  }

  function refuseRevoke({ version }: { version: number }): void {
    assertRevocable(revocation(version));
  }

  /** Retires the version at once; revoking the active one leaves the set without a key: rotate. */
  function revoke({ version }: { version: number }): Promise<KeySetAnswer> {
    return lifecycle.exclusive(async () => {
      const revoked = revocation(version);
      assertRevocable(revoked);
      await lifecycle.send(revoked);
      if (lifecycle.hasTag('needsKey')) await rotate();
      return answer();
    });
  }

  function refusePolicy(policy: RotationPolicy): void {
    lifecycle.assertAccepts(
      { type: 'POLICY_CHANGED', policy },
      {
        isValidPolicy: () =>
          SmartTapKeysFailures.invalidPolicy.raise('the grace must be shorter than the period', {
            field: 'graceSeconds',
          }),
      },
    );
  }

  function changePolicy(policy: RotationPolicy): Promise<KeySetAnswer> {
    return lifecycle.exclusive(async () => {
      await lifecycle.send({ type: 'POLICY_CHANGED', policy });
      return answer();
    });
  }
}
