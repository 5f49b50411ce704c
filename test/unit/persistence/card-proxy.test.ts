import { newProxy } from '../../../libs/persistence/src/card.repository';

describe('card proxies', () => {
  it('are 20 hex characters and never hold a run of 13 or more digits, as a card number would', () => {
    // Plain 20-hex draws hold such a run about once in 60: 50,000 draws would show hundreds.
    for (let i = 0; i < 50_000; i += 1) {
      const proxy = newProxy();
      expect(proxy).toMatch(/^[0-9a-f]{20}$/);
      expect(proxy).not.toMatch(/\d{13,}/);
    }
  });
});
