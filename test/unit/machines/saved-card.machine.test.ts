import { getSimplePaths } from 'xstate/graph';
import { ChartDriver, savedCardMachine } from '@tlo/machines';

const CREATED = '2026-01-01T00:00:00.000Z';
const start = () =>
  ChartDriver.start(savedCardMachine, {
    paymentMethodToken: 'tok',
    shopId: 'shop',
    customerReference: 'cust-001',
    createdAt: CREATED,
  });

describe('saved card chart', () => {
  it('starts its inactivity clock at creation and restarts it at every use', () => {
    const driver = start();
    expect(driver.context).toMatchObject({ uses: 0, lastUsedAt: CREATED, customerReference: 'cust-001' });
    driver.send({ type: 'USED', at: '2026-05-01T00:00:00.000Z' });
    driver.send({ type: 'USED', at: '2027-03-01T00:00:00.000Z' });
    expect(driver.context).toMatchObject({ uses: 2, lastUsedAt: '2027-03-01T00:00:00.000Z' });
  });

  it('never pays once cancelled or expired, and is purged from any state, for good', () => {
    const cancelled = start();
    cancelled.send({ type: 'CANCELLED', by: 'BUYER', at: 'c' });
    expect(cancelled.context).toMatchObject({ cancelledBy: 'BUYER', cancelledAt: 'c' });
    expect(cancelled.can({ type: 'USED', at: 'x' })).toBe(false);
    expect(cancelled.can({ type: 'CANCELLED', by: 'MERCHANT', at: 'x' })).toBe(false);
    expect(cancelled.send({ type: 'PURGED', at: 'p' }).to).toBe('purged');
    expect(cancelled.context.purgedAt).toBe('p');
    expect(cancelled.done).toBe(true);
    expect(cancelled.acceptedEventTypes()).toEqual([]);
    const expired = start();
    expired.send({ type: 'CARD_EXPIRED' });
    expect(expired.can({ type: 'USED', at: 'x' })).toBe(false);
    expect(expired.send({ type: 'CANCELLED', by: 'MERCHANT', at: 'c' }).to).toBe('cancelled');
    expect(start().send({ type: 'PURGED', at: 'p' }).to).toBe('purged');
  });

  it('names its state groups with tags: resting until purged, usable while active, withdrawn once cancelled', () => {
    const tags = (driver: ReturnType<typeof start>) =>
      (['resting', 'usable', 'withdrawn'] as const).filter((tag) => driver.hasTag(tag));
    const card = start();
    expect(tags(card)).toEqual(['resting', 'usable']);
    card.send({ type: 'CARD_EXPIRED' });
    expect(tags(card)).toEqual(['resting']);
    card.send({ type: 'CANCELLED', by: 'BUYER', at: 'c' });
    expect(tags(card)).toEqual(['resting', 'withdrawn']);
    card.send({ type: 'PURGED', at: 'p' });
    expect(tags(card)).toEqual([]);
  });

  it('says why it refuses a payment: the state takes no payment, or the data is purged', () => {
    const cancelled = start();
    cancelled.send({ type: 'CANCELLED', by: 'MERCHANT', at: 'c' });
    expect(cancelled.refusal({ type: 'USED', at: 'x' })).toEqual({
      state: 'cancelled',
      event: 'USED',
      reason: 'notAccepted',
      accepted: ['PURGED'],
    });
    cancelled.send({ type: 'PURGED', at: 'p' });
    expect(cancelled.refusal({ type: 'USED', at: 'x' })).toMatchObject({ reason: 'finished' });
    expect(start().refusal({ type: 'USED', at: 'x' })).toBeNull();
  });

  it('reaches every state', () => {
    const paths = getSimplePaths(savedCardMachine, {
      input: { paymentMethodToken: 't', shopId: 's', customerReference: null, createdAt: 't' },
      events: [
        { type: 'USED', at: 't' },
        { type: 'CANCELLED', by: 'BUYER', at: 't' },
        { type: 'CARD_EXPIRED' },
        { type: 'PURGED', at: 't' },
      ],
      serializeState: (s) => String(s.value),
    });
    expect(new Set(paths.map((p) => String(p.state.value)))).toEqual(
      new Set(['active', 'cancelled', 'expired', 'purged']),
    );
  });
});
