import { keyAuthenticates } from '@tlo/domain';

const NOW = Date.parse('2026-06-15T12:00:00Z');

describe('whether a Smart Tap key version still authenticates', () => {
  it('an ACTIVE version does', () => {
    expect(keyAuthenticates({ status: 'ACTIVE', retiresAt: null }, NOW)).toBe(true);
  });

  it('a RETIRING version does until its grace ends, exclusive', () => {
    const retiring = (retiresAt: string | null) => keyAuthenticates({ status: 'RETIRING', retiresAt }, NOW);
    expect(retiring('2026-06-15T12:00:00.001Z')).toBe(true);
    expect(retiring('2026-06-15T12:00:00.000Z')).toBe(false);
    expect(retiring('2026-06-01T00:00:00Z')).toBe(false);
    expect(retiring(null)).toBe(false);
  });

  it('a RETIRED version does not, even inside what was its grace', () => {
    expect(keyAuthenticates({ status: 'RETIRED', retiresAt: '2026-07-01T00:00:00Z' }, NOW)).toBe(false);
  });
});
