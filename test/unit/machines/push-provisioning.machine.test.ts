import { getShortestPaths } from 'xstate/graph';
import {
  ChartDriver,
  IllegalTransitionError,
  type PushProvisioningEvent,
  pushProvisioningMachine,
  walletEventAlreadyApplied,
} from '@tlo/machines';

const input = { proxy: 'p1', wallet: 'ApplePay' as const };
const start = () => ChartDriver.start(pushProvisioningMachine, input);

function run(events: PushProvisioningEvent[]) {
  const driver = start();
  const states = events.map((event) => driver.send(event).to);
  return { driver, states };
}

const issued: PushProvisioningEvent[] = [
  { type: 'PAYLOAD_REQUESTED' },
  { type: 'CARD_ELIGIBLE' },
  { type: 'PAYLOAD_ISSUED' },
];

describe('push provisioning chart', () => {
  it('walks the happy path to removal, numbering every step', () => {
    const { driver, states } = run([
      ...issued,
      { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' },
      { type: 'TOKEN_DELETED', tokenReferenceId: 't1' },
    ]);
    expect(states).toEqual(['checkingCard', 'issuingPayload', 'awaitingWallet', 'active', 'removed']);
    expect(driver.seq).toBe(5);
    expect(driver.done).toBe(true);
    expect(driver.context.payloadsIssued).toBe(1);
  });

  it.each([['CARD_NOT_FOUND' as const], ['CARD_BEING_CREATED' as const], ['CARD_NOT_ACTIVE' as const]])(
    'ends rejected when the card is refused (%s)',
    (reason) => {
      const { driver, states } = run([{ type: 'PAYLOAD_REQUESTED' }, { type: 'CARD_REJECTED', reason }]);
      expect(states).toEqual(['checkingCard', 'rejected']);
      expect(driver.context.rejection).toBe(reason);
      expect(driver.done).toBe(true);
    },
  );

  it('abandons when the wallet never answers', () => {
    expect(run([...issued, { type: 'WALLET_TIMEOUT' }]).states.at(-1)).toBe('abandoned');
  });

  it('keeps the card active while another device still holds a token', () => {
    const { driver, states } = run([
      ...issued,
      { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' },
      ...issued,
      { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't2' },
      { type: 'TOKEN_DELETED', tokenReferenceId: 't1' },
    ]);
    expect(states.slice(-3)).toEqual(['active', 'active', 'active']);
    expect(driver.context.activeTokens).toEqual(['t2']);
    expect(driver.context.payloadsIssued).toBe(2);
  });

  it('returns to the previous resting state when a re-issue fails or is refused', () => {
    expect(
      run([
        ...issued,
        { type: 'PAYLOAD_REQUESTED' },
        { type: 'CARD_ELIGIBLE' },
        { type: 'PAYLOAD_FAILED' },
      ]).states.at(-1),
    ).toBe('awaitingWallet');
    expect(
      run([{ type: 'PAYLOAD_REQUESTED' }, { type: 'CARD_ELIGIBLE' }, { type: 'PAYLOAD_FAILED' }]).states.at(
        -1,
      ),
    ).toBe('failed');
  });

  it('refuses illegal events and changes nothing', () => {
    const driver = start();
    expect(driver.can({ type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' })).toBe(false);
    expect(() => driver.send({ type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' })).toThrow(
      IllegalTransitionError,
    );
    expect(driver.state).toBe('idle');
    expect(driver.seq).toBe(0);

    const active = run([...issued, { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' }]).driver;
    const before = JSON.stringify(active.persist());
    expect(() => active.send({ type: 'TOKEN_DELETED', tokenReferenceId: 'unknown' })).toThrow(
      'event TOKEN_DELETED is not allowed in state active',
    );
    expect(() => active.send({ type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' })).toThrow(
      IllegalTransitionError,
    );
    expect(JSON.stringify(active.persist())).toBe(before);
  });

  it('accepts nothing once finished', () => {
    const { driver } = run([...issued, { type: 'WALLET_TIMEOUT' }]);
    expect(driver.acceptedEventTypes()).toEqual([]);
    expect(driver.can({ type: 'PAYLOAD_REQUESTED' })).toBe(false);
  });

  it('lists the events each state accepts', () => {
    expect(start().acceptedEventTypes()).toEqual(['PAYLOAD_REQUESTED']);
    expect(run(issued).driver.acceptedEventTypes()).toEqual([
      'PAYLOAD_REQUESTED',
      'TOKEN_ACTIVATED',
      'WALLET_TIMEOUT',
    ]);
  });

  it('survives persist → resume (continue-as-new) with the same state, context and numbering', () => {
    const { driver } = run([...issued, { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' }]);
    const resumed = ChartDriver.resume(pushProvisioningMachine, JSON.parse(JSON.stringify(driver.persist())));
    expect(resumed.state).toBe('active');
    expect(resumed.seq).toBe(4);
    expect(resumed.context).toEqual(driver.context);
    expect(resumed.send({ type: 'TOKEN_DELETED', tokenReferenceId: 't1' })).toEqual({
      seq: 5,
      from: 'active',
      event: 'TOKEN_DELETED',
      to: 'removed',
    });
  });

  it('renumbers only a fresh chart', () => {
    const driver = start();
    driver.renumber(42);
    expect(driver.send({ type: 'PAYLOAD_REQUESTED' }).seq).toBe(43);
    expect(() => driver.renumber(1)).toThrow('only a fresh chart');
  });

  it('reaches every state from the start (graph walk)', () => {
    const paths = getShortestPaths(pushProvisioningMachine, {
      input,
      // Counters make the raw state space infinite: walk the states the guards can tell apart.
      serializeState: (snapshot) =>
        JSON.stringify([
          snapshot.value,
          snapshot.context.activeTokens.length > 0,
          snapshot.context.payloadsIssued > 0,
        ]),
      events: [
        { type: 'PAYLOAD_REQUESTED' },
        { type: 'CARD_ELIGIBLE' },
        { type: 'CARD_REJECTED', reason: 'CARD_NOT_FOUND' },
        { type: 'PAYLOAD_ISSUED' },
        { type: 'PAYLOAD_FAILED' },
        { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' },
        { type: 'TOKEN_DELETED', tokenReferenceId: 't1' },
        { type: 'WALLET_TIMEOUT' },
      ],
    });
    const reached = new Set(paths.map((path) => String(path.state.value)));
    expect([...reached].sort()).toEqual(
      [
        'abandoned',
        'active',
        'awaitingWallet',
        'checkingCard',
        'failed',
        'idle',
        'issuingPayload',
        'rejected',
        'removed',
      ].sort(),
    );
  });

  it("knows a wallet's retry of a report it already took: the chart refuses it, and it changed nothing", () => {
    const activated = { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' } as const;
    const deleted = { type: 'TOKEN_DELETED', tokenReferenceId: 't1' } as const;
    const { driver } = run([...issued, activated]);
    expect(driver.can(activated)).toBe(false);
    expect(walletEventAlreadyApplied(driver.context, activated)).toBe(true);
    expect(walletEventAlreadyApplied(driver.context, { ...activated, tokenReferenceId: 't2' })).toBe(false);
    expect(walletEventAlreadyApplied(driver.context, deleted)).toBe(false);
    driver.send(deleted);
    expect(driver.context.removedTokens).toEqual(['t1']);
    expect(walletEventAlreadyApplied(driver.context, deleted)).toBe(true);
    expect(walletEventAlreadyApplied(driver.context, activated)).toBe(false);
    // A deletion never reported before is no retry: it stays refused.
    expect(walletEventAlreadyApplied(driver.context, { ...deleted, tokenReferenceId: 'never' })).toBe(false);
    // Snapshots persisted before deleted tokens were kept have none.
    expect(walletEventAlreadyApplied({ activeTokens: [] }, deleted)).toBe(false);
  });

  it('names its state groups with tags: resting between steps, walletPending while a payload is out', () => {
    const tagsAlong = (events: PushProvisioningEvent[]) => {
      const driver = start();
      const tags = (d: typeof driver) => ({
        resting: d.hasTag('resting'),
        walletPending: d.hasTag('walletPending'),
      });
      return [tags(driver), ...events.map((event) => (driver.send(event), tags(driver)))];
    };
    expect(tagsAlong([...issued, { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' }])).toEqual([
      { resting: true, walletPending: false }, // idle
      { resting: false, walletPending: false }, // checkingCard
      { resting: false, walletPending: false }, // issuingPayload
      { resting: true, walletPending: true }, // awaitingWallet
      { resting: true, walletPending: false }, // active
    ]);
    const abandoned = run([...issued, { type: 'WALLET_TIMEOUT' }]).driver;
    expect([abandoned.hasTag('resting'), abandoned.hasTag('walletPending')]).toEqual([false, false]);
  });

  it('says why it refuses: the guard that refused, an event the state does not take, or the end', () => {
    const active = run([...issued, { type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' }]).driver;
    expect(active.refusal({ type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' })).toEqual({
      state: 'active',
      event: 'TOKEN_ACTIVATED',
      reason: 'isNewToken',
      accepted: ['PAYLOAD_REQUESTED', 'TOKEN_ACTIVATED', 'TOKEN_DELETED'],
    });
    expect(active.refusal({ type: 'TOKEN_DELETED', tokenReferenceId: 'unknown' })?.reason).toBe(
      'isLastActiveToken',
    );
    expect(active.refusal({ type: 'TOKEN_DELETED', tokenReferenceId: 't1' })).toBeNull();
    expect(start().refusal({ type: 'WALLET_TIMEOUT' })).toMatchObject({
      reason: 'notAccepted',
      state: 'idle',
    });
    const finished = run([...issued, { type: 'WALLET_TIMEOUT' }]).driver;
    expect(finished.refusal({ type: 'PAYLOAD_REQUESTED' })).toMatchObject({
      reason: 'finished',
      accepted: [],
    });
    expect(() => active.send({ type: 'TOKEN_ACTIVATED', tokenReferenceId: 't1' })).toThrow(
      expect.objectContaining({ reason: 'isNewToken' }),
    );
  });
});
