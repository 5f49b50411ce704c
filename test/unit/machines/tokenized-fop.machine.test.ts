import { getSimplePaths } from 'xstate/graph';
import {
  ChartDriver,
  type FopAuthenticationEvent,
  type FopInstrumentEvent,
  fopAuthenticationMachine,
  fopInstrumentMachine,
} from '@tlo/machines';
import { maskE164, requestTimestampInWindow } from '@tlo/domain';

const smsSession = () =>
  ChartDriver.start(fopAuthenticationMachine, { method: 'SMS_OTP', accountId: 'acct-1', maxAttempts: 3 });
const statesOf = (paths: Array<{ state: { value: unknown; status: string } }>) => ({
  reached: new Set(paths.map((path) => String(path.state.value))),
  finals: new Set(
    paths.filter((path) => path.state.status === 'done').map((path) => String(path.state.value)),
  ),
});

describe('tokenized FOP authentication chart', () => {
  it('authenticates by code, then allows exactly one use of the proof', () => {
    const driver = smsSession();
    const steps = [
      driver.send({ type: 'CODE_SENT', expiresAt: 't1' }),
      driver.send({ type: 'CODE_REJECTED' }),
      driver.send({ type: 'CODE_VERIFIED', authenticatedUntil: 't2' }),
      driver.send({ type: 'CONSUMED', purpose: 'ASSOCIATE', by: 'assoc-1' }),
    ];
    expect(steps.map((s) => s.to)).toEqual(['awaitingCode', 'awaitingCode', 'authenticated', 'consumed']);
    expect(driver.context).toMatchObject({
      wrongAttempts: 1,
      consumedFor: 'ASSOCIATE',
      consumedBy: 'assoc-1',
    });
    expect(driver.done).toBe(true);
    expect(driver.can({ type: 'CONSUMED', purpose: 'REFRESH', by: 'x' })).toBe(false);
  });

  it('locks on the last wrong code and refuses a proof that was never completed', () => {
    const driver = smsSession();
    driver.send({ type: 'CODE_SENT', expiresAt: 't1' });
    expect(driver.can({ type: 'CONSUMED', purpose: 'ASSOCIATE', by: 'a' })).toBe(false);
    const states = [1, 2, 3].map(() => driver.send({ type: 'CODE_REJECTED' }).to);
    expect(states).toEqual(['awaitingCode', 'awaitingCode', 'locked']);
    expect(driver.done).toBe(true);
  });

  it('authenticates a redirect at once; a redirect session takes no code', () => {
    const driver = ChartDriver.start(fopAuthenticationMachine, {
      method: 'REDIRECT',
      accountId: 'a',
      maxAttempts: 3,
    });
    expect(driver.send({ type: 'REDIRECT_COMPLETED', authenticatedUntil: 't' }).to).toBe('authenticated');
    expect(driver.can({ type: 'CODE_VERIFIED', authenticatedUntil: 't' })).toBe(false);
    expect(driver.send({ type: 'EXPIRED' }).to).toBe('expired');
  });

  it('names its state groups with tags, so the workflow never lists states', () => {
    const tags = ['codePending', 'codeLocked', 'proven', 'usable', 'used', 'expiredUnused'] as const;
    const tagsAfter = (events: FopAuthenticationEvent[], method: 'SMS_OTP' | 'REDIRECT' = 'SMS_OTP') => {
      const driver = ChartDriver.start(fopAuthenticationMachine, { method, accountId: 'a', maxAttempts: 2 });
      for (const event of events) driver.send(event);
      return tags.filter((tag) => driver.hasTag(tag));
    };
    const sent: FopAuthenticationEvent = { type: 'CODE_SENT', expiresAt: 't' };
    const verified: FopAuthenticationEvent = { type: 'CODE_VERIFIED', authenticatedUntil: 't' };
    const used: FopAuthenticationEvent = { type: 'CONSUMED', purpose: 'ASSOCIATE', by: 'a' };
    expect(tagsAfter([])).toEqual([]);
    expect(tagsAfter([sent])).toEqual(['codePending']);
    expect(tagsAfter([sent, { type: 'CODE_REJECTED' }, { type: 'CODE_REJECTED' }])).toEqual(['codeLocked']);
    expect(tagsAfter([sent, { type: 'EXPIRED' }])).toEqual(['expiredUnused']);
    expect(tagsAfter([sent, verified])).toEqual(['proven', 'usable']);
    expect(tagsAfter([sent, verified, used])).toEqual(['proven', 'used']);
    expect(tagsAfter([sent, verified, { type: 'EXPIRED' }])).toEqual(['expiredUnused']);
    const redirected: FopAuthenticationEvent = { type: 'REDIRECT_COMPLETED', authenticatedUntil: 't' };
    expect(tagsAfter([redirected], 'REDIRECT')).toEqual(['proven', 'usable']);
  });

  it('takes a use of the proof only while it is usable, and says why it refuses one', () => {
    const use: FopAuthenticationEvent = { type: 'CONSUMED', purpose: 'REFRESH', by: 'gpt' };
    const driver = smsSession();
    driver.send({ type: 'CODE_SENT', expiresAt: 't1' });
    expect(driver.refusal(use)).toMatchObject({ state: 'awaitingCode', reason: 'notAccepted' });
    driver.send({ type: 'CODE_VERIFIED', authenticatedUntil: 't2' });
    expect(driver.refusal(use)).toBeNull();
    driver.send(use);
    expect(driver.refusal(use)).toMatchObject({ state: 'consumed', reason: 'finished' });
  });

  it('enumerates its paths: every state reachable, every final state by a simple path', () => {
    const events: FopAuthenticationEvent[] = [
      { type: 'CODE_SENT', expiresAt: 't' },
      { type: 'CODE_REJECTED' },
      { type: 'CODE_VERIFIED', authenticatedUntil: 't' },
      { type: 'REDIRECT_COMPLETED', authenticatedUntil: 't' },
      { type: 'CONSUMED', purpose: 'ASSOCIATE', by: 'a' },
      { type: 'EXPIRED' },
    ];
    const { reached, finals } = statesOf(
      getSimplePaths(fopAuthenticationMachine, {
        input: { method: 'SMS_OTP', accountId: 'a', maxAttempts: 2 },
        events,
        serializeState: (s) => JSON.stringify([s.value, s.context.wrongAttempts]),
      }),
    );
    expect([...reached].sort()).toEqual(
      ['authenticated', 'awaitingCode', 'consumed', 'expired', 'locked', 'started'].sort(),
    );
    expect(finals).toEqual(new Set(['consumed', 'expired', 'locked']));
  });
});

describe('tokenized FOP instrument chart', () => {
  it('associates, refreshes any number of times and expires', () => {
    const driver = ChartDriver.start(fopInstrumentMachine, { associationId: 'as-1', accountId: 'acct-1' });
    driver.send({ type: 'ASSOCIATED', tokenExpiresAt: 't1' });
    driver.send({ type: 'REFRESHED', tokenExpiresAt: 't2' });
    driver.send({ type: 'REFRESHED', tokenExpiresAt: 't3' });
    expect(driver.context).toMatchObject({ tokenExpiresAt: 't3', refreshes: 2 });
    expect(driver.send({ type: 'TOKEN_EXPIRED' }).to).toBe('expired');
    expect(driver.can({ type: 'REFRESHED', tokenExpiresAt: 't4' })).toBe(false);
  });

  it('names its state groups with tags: resting once associated, tokenTaken when another holds the GPT', () => {
    const tagsAfter = (events: FopInstrumentEvent[]) => {
      const driver = ChartDriver.start(fopInstrumentMachine, { associationId: 'as-1', accountId: 'acct-1' });
      for (const event of events) driver.send(event);
      return (['resting', 'tokenTaken'] as const).filter((tag) => driver.hasTag(tag));
    };
    const associated: FopInstrumentEvent = { type: 'ASSOCIATED', tokenExpiresAt: 't1' };
    expect(tagsAfter([])).toEqual([]);
    expect(tagsAfter([associated])).toEqual(['resting']);
    expect(tagsAfter([associated, { type: 'REFRESHED', tokenExpiresAt: 't2' }])).toEqual(['resting']);
    expect(tagsAfter([associated, { type: 'TOKEN_EXPIRED' }])).toEqual([]);
    expect(tagsAfter([{ type: 'REFUSED', reason: 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED' }])).toEqual([
      'tokenTaken',
    ]);
  });

  it('refreshes and expires only an active token', () => {
    const driver = ChartDriver.start(fopInstrumentMachine, { associationId: 'as-1', accountId: 'acct-1' });
    const refreshed: FopInstrumentEvent = { type: 'REFRESHED', tokenExpiresAt: 't2' };
    expect(driver.refusal(refreshed)).toMatchObject({ state: 'associating', reason: 'notAccepted' });
    expect(driver.can({ type: 'TOKEN_EXPIRED' })).toBe(false);
    driver.send({ type: 'ASSOCIATED', tokenExpiresAt: 't1' });
    expect(driver.refusal(refreshed)).toBeNull();
    driver.send({ type: 'TOKEN_EXPIRED' });
    expect(driver.refusal(refreshed)).toMatchObject({ state: 'expired', reason: 'finished' });
  });

  it('enumerates its paths: every state reachable, every final state by a simple path', () => {
    const { reached, finals } = statesOf(
      getSimplePaths(fopInstrumentMachine, {
        input: { associationId: 'a', accountId: 'b' },
        events: [
          { type: 'ASSOCIATED', tokenExpiresAt: 't' },
          { type: 'REFUSED', reason: 'r' },
          { type: 'REFRESHED', tokenExpiresAt: 't' },
          { type: 'TOKEN_EXPIRED' },
        ],
        // The refresh counter grows without bound: states are told apart by their value only.
        serializeState: (s) => String(s.value),
      }),
    );
    expect([...reached].sort()).toEqual(['active', 'associating', 'expired', 'refused']);
    expect(finals).toEqual(new Set(['expired', 'refused']));
  });
});

describe('standard payments rules', () => {
  it('accepts request timestamps within 60 s either side, as digit strings only', () => {
    const now = 1_800_000_000_000;
    expect(requestTimestampInWindow(String(now - 60_000), now)).toBe(true);
    expect(requestTimestampInWindow(String(now + 60_000), now)).toBe(true);
    expect(requestTimestampInWindow(String(now - 60_001), now)).toBe(false);
    expect(requestTimestampInWindow(String(now + 60_001), now)).toBe(false);
    expect(requestTimestampInWindow('1.8e12', now)).toBe(false);
    expect(requestTimestampInWindow('', now)).toBe(false);
  });

  it('masks E.164 numbers to country, area and the last four digits', () => {
    expect(maskE164('+5511987654242')).toBe('+5511*****4242');
  });
});
