import { getSimplePaths } from 'xstate/graph';
import { ChartDriver, type ManualProvisioningEvent, manualProvisioningMachine } from '@tlo/machines';
import { constantTimeEqualStrings, decideTokenization, maskEmail, maskPhone } from '@tlo/domain';

const limits = { maxSends: 3, maxAttempts: 3 };
const run = (events: ManualProvisioningEvent[]) => {
  const driver = ChartDriver.start(manualProvisioningMachine, limits);
  return { driver, states: events.map((event) => driver.send(event).to) };
};
const yellow: ManualProvisioningEvent = { type: 'DECIDED', decision: 'YELLOW', reason: 'NEW_DEVICE' };

describe('manual provisioning chart', () => {
  it('activates GREEN at once and declines RED', () => {
    expect(run([{ type: 'DECIDED', decision: 'GREEN', reason: 'LOW_RISK' }]).driver.context).toMatchObject({
      activatedBy: 'RULES',
    });
    expect(run([{ type: 'DECIDED', decision: 'RED', reason: 'RISK_TOO_HIGH' }]).states).toEqual(['declined']);
  });

  it('locks after maxAttempts wrong codes, and a resend restores the attempts', () => {
    const { driver, states } = run([
      yellow,
      { type: 'OTP_SENT', expiresAt: 'x' },
      { type: 'OTP_REJECTED' },
      { type: 'OTP_REJECTED' },
      { type: 'OTP_REJECTED' },
    ]);
    expect(states).toEqual(['awaitingMethod', 'awaitingCode', 'awaitingCode', 'awaitingCode', 'locked']);
    expect(driver.send({ type: 'OTP_SENT', expiresAt: 'x' }).to).toBe('awaitingCode');
    expect(driver.context).toMatchObject({ sends: 2, wrongAttempts: 0 });
  });

  it("locks a request when the card's wrong codes went past the card's limit, and only while a code is out", () => {
    const { driver } = run([yellow, { type: 'OTP_SENT', expiresAt: 'x' }, { type: 'OTP_REJECTED' }]);
    expect(driver.send({ type: 'CARD_GUESS_LIMIT_REACHED' }).to).toBe('locked');
    expect(driver.can({ type: 'CARD_GUESS_LIMIT_REACHED' })).toBe(false);
    expect(run([yellow]).driver.can({ type: 'CARD_GUESS_LIMIT_REACHED' })).toBe(false);
  });

  it('refuses a send beyond maxSends and anything but the yellow exits after the last one', () => {
    const { driver } = run([
      yellow,
      { type: 'OTP_SENT', expiresAt: 'x' },
      { type: 'OTP_SENT', expiresAt: 'x' },
      { type: 'OTP_SENT', expiresAt: 'x' },
    ]);
    expect(driver.can({ type: 'OTP_SENT', expiresAt: 'x' })).toBe(false);
    expect(driver.can({ type: 'SUPPORT_ACTIVATED', agentId: 'a', reason: 'r' })).toBe(true);
    expect(driver.context.codeExpiresAt).toBe('x');
    expect(driver.send({ type: 'OTP_EXPIRED' }).to).toBe('codeExpired');
    expect(driver.acceptedEventTypes()).toEqual(['OTP_SENT', 'SUPPORT_ACTIVATED', 'YELLOW_PATH_EXPIRED']);
    expect(driver.can({ type: 'OTP_SENT', expiresAt: 'x' })).toBe(false);
  });

  it('refuses verification events when no code is outstanding', () => {
    const { driver } = run([yellow]);
    expect(driver.can({ type: 'OTP_VERIFIED' })).toBe(false);
    expect(driver.can({ type: 'OTP_REJECTED' })).toBe(false);
    const locked = run([yellow, { type: 'OTP_SENT', expiresAt: 'x' }, { type: 'OTP_EXPIRED' }]).driver;
    expect(locked.can({ type: 'OTP_VERIFIED' })).toBe(false);
  });

  it('names its state groups with tags, so workflows never list states', () => {
    const sent: ManualProvisioningEvent = { type: 'OTP_SENT', expiresAt: 'x' };
    const tagsOf = (events: ManualProvisioningEvent[]) => {
      const { driver } = run(events);
      const tags = ['yellow', 'codeSent', 'codePending', 'codeStale', 'codeLocked', 'provisioned'] as const;
      return tags.filter((tag) => driver.hasTag(tag));
    };
    expect(tagsOf([])).toEqual([]);
    expect(tagsOf([yellow])).toEqual(['yellow']);
    expect(tagsOf([yellow, sent])).toEqual(['yellow', 'codeSent', 'codePending']);
    expect(tagsOf([yellow, sent, { type: 'OTP_EXPIRED' }])).toEqual(['yellow', 'codeSent', 'codeStale']);
    expect(tagsOf([yellow, sent, { type: 'CARD_GUESS_LIMIT_REACHED' }])).toEqual([
      'yellow',
      'codeSent',
      'codeLocked',
    ]);
    expect(tagsOf([yellow, sent, { type: 'OTP_VERIFIED' }])).toEqual(['provisioned']);
    expect(tagsOf([yellow, { type: 'YELLOW_PATH_EXPIRED' }])).toEqual([]);
    expect(tagsOf([{ type: 'DECIDED', decision: 'GREEN', reason: 'LOW_RISK' }])).toEqual(['provisioned']);
  });

  it('says why it refuses a send: the send limit (guard canSend), or a state that sends no code', () => {
    const sent: ManualProvisioningEvent = { type: 'OTP_SENT', expiresAt: 'x' };
    const { driver } = run([yellow, sent, sent, sent]);
    expect(driver.refusal(sent)).toEqual({
      state: 'awaitingCode',
      event: 'OTP_SENT',
      reason: 'canSend',
      accepted: driver.acceptedEventTypes(),
    });
    driver.send({ type: 'OTP_EXPIRED' });
    expect(driver.refusal(sent)?.reason).toBe('canSend');
    expect(run([yellow, sent]).driver.refusal(sent)).toBeNull();
    expect(run([]).driver.refusal(sent)).toMatchObject({ state: 'deciding', reason: 'notAccepted' });
    expect(run([yellow]).driver.refusal({ type: 'OTP_VERIFIED' })?.reason).toBe('notAccepted');
    const declined = run([{ type: 'DECIDED', decision: 'RED', reason: 'RISK_TOO_HIGH' }]).driver;
    expect(declined.refusal(sent)?.reason).toBe('finished');
  });

  it('enumerates its paths: every state is reachable, every final state by a simple path', () => {
    const paths = getSimplePaths(manualProvisioningMachine, {
      input: { maxSends: 2, maxAttempts: 2 },
      events: [
        { type: 'DECIDED', decision: 'GREEN', reason: 'r' },
        { type: 'DECIDED', decision: 'YELLOW', reason: 'r' },
        { type: 'DECIDED', decision: 'RED', reason: 'r' },
        { type: 'OTP_SENT', expiresAt: 'x' },
        { type: 'OTP_REJECTED' },
        { type: 'OTP_VERIFIED' },
        { type: 'OTP_EXPIRED' },
        { type: 'SUPPORT_ACTIVATED', agentId: 'a', reason: 'r' },
        { type: 'YELLOW_PATH_EXPIRED' },
      ],
      serializeState: (snapshot) =>
        JSON.stringify([snapshot.value, snapshot.context.sends, snapshot.context.wrongAttempts]),
    });
    const reached = new Set(paths.map((path) => String(path.state.value)));
    expect([...reached].sort()).toEqual(
      [
        'active',
        'awaitingCode',
        'awaitingMethod',
        'codeExpired',
        'deciding',
        'declined',
        'expired',
        'locked',
      ].sort(),
    );
    const finals = paths
      .filter((path) => path.state.status === 'done')
      .map((path) => String(path.state.value));
    expect(new Set(finals)).toEqual(new Set(['active', 'declined', 'expired']));
  });
});

describe('tokenization decision rules (documented defaults)', () => {
  const active = { status: 'ACTIVE' as const };
  it.each([
    [null, 10, false, 'RED', 'CARD_NOT_FOUND'],
    [{ status: 'BLOCKED' as const }, 10, false, 'RED', 'CARD_BLOCKED'],
    [active, 80, false, 'RED', 'RISK_TOO_HIGH'],
    [active, 79, false, 'YELLOW', 'RISK_ELEVATED'],
    [active, 30, false, 'YELLOW', 'RISK_ELEVATED'],
    [active, 29, true, 'YELLOW', 'NEW_DEVICE'],
    [active, 29, false, 'GREEN', 'LOW_RISK'],
  ])('card %p, risk %p, new device %p → %s (%s)', (card, risk, deviceNew, decision, reason) => {
    expect(decideTokenization(card, { walletRiskScore: risk, deviceNewToAccount: deviceNew })).toEqual({
      decision,
      reason,
    });
  });

  it('applies configured thresholds', () => {
    const rules = { redRiskAtLeast: 95, yellowRiskAtLeast: 90, yellowWhenDeviceNew: false };
    expect(
      decideTokenization(active, { walletRiskScore: 85, deviceNewToAccount: true }, rules).decision,
    ).toBe('GREEN');
  });

  it('masks verification targets and compares codes in constant time', () => {
    expect(maskPhone('+5511987654321')).toBe('+*********4321');
    expect(maskEmail('maria@example.com')).toBe('m***@example.com');
    expect(constantTimeEqualStrings('abc', 'abc')).toBe(true);
    expect(constantTimeEqualStrings('abc', 'abd')).toBe(false);
    expect(constantTimeEqualStrings('abc', 'abcd')).toBe(false);
  });
});
