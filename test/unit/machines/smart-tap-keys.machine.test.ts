import { getSimplePaths } from 'xstate/graph';
import { ChartDriver, type SmartTapKeysEvent, smartTapKeysMachine } from '@tlo/machines';
import { DEFAULT_ROTATION_POLICY } from '@tlo/domain';

const start = () =>
  ChartDriver.start(smartTapKeysMachine, { issuerId: '456', policy: DEFAULT_ROTATION_POLICY });
const rotated = (version: number): SmartTapKeysEvent => ({
  type: 'KEY_ROTATED',
  version,
  at: `t${version}`,
  graceEndsAt: `g${version}`,
});

describe('Smart Tap key set chart', () => {
  it('rotates into grace, where both versions authenticate, then retires the old version', () => {
    const driver = start();
    expect(driver.send(rotated(1)).to).toBe('steady');
    expect(driver.send(rotated(2)).to).toBe('grace');
    expect(driver.context.keys.map((k) => [k.version, k.status, k.retiresAt])).toEqual([
      [1, 'RETIRING', 'g2'],
      [2, 'ACTIVE', null],
    ]);
    expect(driver.send({ type: 'GRACE_ENDED', version: 1 }).to).toBe('steady');
    expect(driver.context.keys.map((k) => k.status)).toEqual(['RETIRED', 'ACTIVE']);
  });

  it('revokes at once: a retiring version ends the grace, the active one leaves no active key', () => {
    const driver = start();
    driver.send(rotated(1));
    driver.send(rotated(2));
    expect(driver.send({ type: 'KEY_REVOKED', version: 1, at: 'r' }).to).toBe('steady');
    expect(driver.send({ type: 'KEY_REVOKED', version: 2, at: 'r' }).to).toBe('noActiveKey');
    expect(driver.can({ type: 'KEY_REVOKED', version: 2, at: 'r' })).toBe(false); // never twice
    expect(driver.can({ type: 'GRACE_ENDED', version: 1 })).toBe(false);
    expect(driver.can(rotated(2))).toBe(false); // versions only grow
    expect(driver.send(rotated(3)).to).toBe('steady');
  });

  it('changes its policy in any state', () => {
    const driver = start();
    driver.send(rotated(1));
    driver.send({ type: 'POLICY_CHANGED', policy: { periodSeconds: 3600, graceSeconds: 60 } });
    expect(driver.state).toBe('steady');
    expect(driver.context.policy).toEqual({ periodSeconds: 3600, graceSeconds: 60 });
  });

  it('names its state groups with tags: every settled state rests, one without an active key needs a key', () => {
    const driver = start();
    const tags = () => (['resting', 'needsKey'] as const).filter((tag) => driver.hasTag(tag));
    expect(tags()).toEqual(['resting', 'needsKey']);
    driver.send(rotated(1));
    expect(tags()).toEqual(['resting']);
    driver.send(rotated(2));
    expect([driver.state, tags()]).toEqual(['grace', ['resting']]);
    driver.send({ type: 'KEY_REVOKED', version: 2, at: 'r' });
    expect(tags()).toEqual(['resting', 'needsKey']);
  });

  it('says why it refuses: a revoke of a retired or unknown version, a grace not shorter than the period', () => {
    const driver = start();
    driver.send(rotated(1));
    driver.send({ type: 'KEY_REVOKED', version: 1, at: 'r' });
    expect(driver.refusal({ type: 'KEY_REVOKED', version: 1, at: 'r' })).toMatchObject({
      state: 'noActiveKey',
      event: 'KEY_REVOKED',
      reason: 'isUnretired',
    });
    expect(driver.refusal({ type: 'KEY_REVOKED', version: 9, at: 'r' })?.reason).toBe('isUnretired');
    const policy = (periodSeconds: number, graceSeconds: number): SmartTapKeysEvent => ({
      type: 'POLICY_CHANGED',
      policy: { periodSeconds, graceSeconds },
    });
    expect(driver.refusal(policy(60, 60))?.reason).toBe('isValidPolicy');
    expect(driver.refusal(policy(60, -1))?.reason).toBe('isValidPolicy');
    expect(driver.refusal(policy(60, 0))).toBeNull();
    expect(driver.refusal(policy(60, 59))).toBeNull();
  });

  it('enumerates its paths: every resting state is reachable', () => {
    const paths = getSimplePaths(smartTapKeysMachine, {
      input: { issuerId: 'i', policy: DEFAULT_ROTATION_POLICY },
      events: [
        rotated(1),
        rotated(2),
        { type: 'GRACE_ENDED', version: 1 },
        { type: 'KEY_REVOKED', version: 1, at: 'r' },
        { type: 'KEY_REVOKED', version: 2, at: 'r' },
      ],
      serializeState: (s) => JSON.stringify([s.value, s.context.keys]),
    });
    expect(new Set(paths.map((p) => String(p.state.value)))).toEqual(
      new Set(['noActiveKey', 'steady', 'grace']),
    );
  });
});
