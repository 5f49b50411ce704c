import { getSimplePaths } from 'xstate/graph';
import { ChartDriver, savedCardMachine } from '@tlo/machines';

const start = () => ChartDriver.start(savedCardMachine, { createdAt: '2026-01-01T00:00:00.000Z' });

describe('saved card chart', () => {
  it('pays while active, restarting its clock at every use', () => {
    const driver = start();
    driver.send({ type: 'USED', at: '2026-05-01T00:00:00.000Z' });
    driver.send({ type: 'USED', at: '2027-03-01T00:00:00.000Z' });
    expect(driver.context).toMatchObject({ uses: 2, lastUsedAt: '2027-03-01T00:00:00.000Z' });
  });

  it('never pays once cancelled or expired, and is purged from any state, for good', () => {
    const cancelled = start();
    cancelled.send({ type: 'CANCELLED', by: 'BUYER' });
    expect(cancelled.can({ type: 'USED', at: 'x' })).toBe(false);
    expect(cancelled.send({ type: 'PURGED' }).to).toBe('purged');
    expect(cancelled.done).toBe(true);
    const expired = start();
    expired.send({ type: 'CARD_EXPIRED' });
    expect(expired.can({ type: 'USED', at: 'x' })).toBe(false);
    expect(expired.send({ type: 'CANCELLED', by: 'MERCHANT' }).to).toBe('cancelled');
    expect(start().send({ type: 'PURGED' }).to).toBe('purged');
  });

  it('reaches every state', () => {
    const paths = getSimplePaths(savedCardMachine, {
      input: { createdAt: 't' },
      events: [
        { type: 'USED', at: 't' },
        { type: 'CANCELLED', by: 'BUYER' },
        { type: 'CARD_EXPIRED' },
        { type: 'PURGED' },
      ],
      serializeState: (s) => String(s.value),
    });
    expect(new Set(paths.map((p) => String(p.state.value)))).toEqual(
      new Set(['active', 'cancelled', 'expired', 'purged']),
    );
  });
});
