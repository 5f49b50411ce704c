import { ACCEPTED_BRANDS_LABEL, acceptCard } from '@tlo/domain';
import { withLuhnDigit } from '../../support/cards';

const NOW = new Date('2026-06-15T12:00:00Z');
const VISA = withLuhnDigit('497010112233445');
/** The same number with its check digit off by one. */
const NOT_LUHN = VISA.slice(0, -1) + ((Number(VISA.slice(-1)) + 1) % 10);
const card = (overrides: Partial<Parameters<typeof acceptCard>[0]> = {}) => ({
  pan: VISA,
  expiryMonth: 12,
  expiryYear: 2027,
  ...overrides,
});

describe('card acceptance of the payment form', () => {
  it('accepts a valid card of an eligible brand under the brand its number names', () => {
    expect(acceptCard(card(), NOW)).toEqual({ ok: true, brand: 'VISA' });
  });

  it('lets the buyer pick CB on a card co-badged with it', () => {
    expect(acceptCard(card({ brand: 'CB' }), NOW)).toEqual({ ok: true, brand: 'CB' });
  });

  it('refuses a number failing Luhn, naming the PAN, before anything else', () => {
    expect(acceptCard(card({ pan: NOT_LUHN, expiryYear: 2020 }), NOW)).toEqual({
      ok: false,
      reason: 'INVALID_PAN',
      at: 'pan',
    });
  });

  it('refuses a brand the card does not carry, naming the brand', () => {
    expect(acceptCard(card({ brand: 'AMEX' }), NOW)).toEqual({
      ok: false,
      reason: 'BRAND_NOT_ELIGIBLE',
      at: 'brand',
      detail: 'this card cannot be paid as AMEX',
    });
  });

  it('refuses an ineligible network, naming the PAN and listing what is accepted', () => {
    expect(acceptCard(card({ pan: '3530111333300000' }), NOW)).toEqual({
      ok: false,
      reason: 'BRAND_NOT_ELIGIBLE',
      at: 'pan',
      detail:
        'JCB cards are not accepted; accepted: AMEX, CB, Titre-Restaurant, VISA, VISA ELECTRON, MASTERCARD, MAESTRO',
    });
    expect(ACCEPTED_BRANDS_LABEL).toBe(
      'AMEX, CB, Titre-Restaurant, VISA, VISA ELECTRON, MASTERCARD, MAESTRO',
    );
  });

  it('refuses a card past its expiry month, naming the expiry year; the expiry month itself still pays', () => {
    expect(acceptCard(card({ expiryMonth: 5, expiryYear: 2026 }), NOW)).toEqual({
      ok: false,
      reason: 'CARD_EXPIRED',
      at: 'expiryYear',
    });
    expect(acceptCard(card({ expiryMonth: 6, expiryYear: 2026 }), NOW)).toEqual({ ok: true, brand: 'VISA' });
  });
});
