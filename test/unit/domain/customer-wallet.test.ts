import { addCalendarMonths, cardExpiredAt, purgeDueAt } from '@tlo/domain';

const iso = (date: Date) => date.toISOString();

describe('customer wallet calendar rules', () => {
  it.each([
    ['2026-01-15T10:20:30.000Z', 15, '2027-04-15T10:20:30.000Z'],
    ['2026-01-31T00:00:00.000Z', 1, '2026-02-28T00:00:00.000Z'],
    ['2027-01-31T00:00:00.000Z', 13, '2028-02-29T00:00:00.000Z'],
    ['2026-11-30T23:59:59.999Z', 15, '2028-02-29T23:59:59.999Z'],
    ['2026-12-31T12:00:00.000Z', 12, '2027-12-31T12:00:00.000Z'],
  ])('%s + %i calendar months = %s', (from, months, expected) => {
    expect(iso(addCalendarMonths(new Date(from), months))).toBe(expected);
  });

  it('purges 15 calendar months after the last use by default; a use at month 14 moves it to month 29', () => {
    const created = new Date('2026-03-10T08:00:00.000Z');
    expect(iso(purgeDueAt(created))).toBe('2027-06-10T08:00:00.000Z');
    const usedAtMonth14 = addCalendarMonths(created, 14);
    expect(iso(purgeDueAt(usedAtMonth14))).toBe(iso(addCalendarMonths(created, 29)));
    expect(iso(purgeDueAt(created, 3))).toBe('2026-06-10T08:00:00.000Z');
  });

  it('expires a card after the last day of its expiry month', () => {
    expect(iso(cardExpiredAt(12, 2030))).toBe('2031-01-01T00:00:00.000Z');
    expect(iso(cardExpiredAt(2, 2028))).toBe('2028-03-01T00:00:00.000Z');
  });
});
