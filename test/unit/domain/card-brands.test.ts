import {
  ELIGIBLE_BRANDS,
  buyerDataForPayment,
  chooseCardBrand,
  detectCardBrand,
  isValidPan,
} from '@tlo/domain';
import { withLuhnDigit } from '../../support/cards';

describe('card brands of the customer wallet', () => {
  it.each([
    ['4111111111111111', 'VISA'],
    ['4917300800000000', 'VISA_ELECTRON'],
    ['5555555555554444', 'MASTERCARD'],
    ['2223003122003222', 'MASTERCARD'],
    ['6759649826438453', 'MAESTRO'],
    ['378282246310005', 'AMEX'],
    ['36227206271667', 'DINERS'],
    ['6011111111111117', 'DISCOVER'],
    ['3530111333300000', 'JCB'],
    [withLuhnDigit('589021000000001'), 'EDENRED'],
    [withLuhnDigit('589019000000001'), 'CHQ_DEJ'],
    ['9999999999999995', null],
  ])('%s is %s', (pan, brand) => {
    expect(detectCardBrand(pan)).toBe(brand);
  });

  it('accepts the seed’s brands only, saying why not otherwise', () => {
    expect(ELIGIBLE_BRANDS).toEqual(
      expect.arrayContaining(['AMEX', 'CB', 'VISA', 'VISA_ELECTRON', 'MASTERCARD', 'MAESTRO', 'EDENRED']),
    );
    expect(chooseCardBrand('4111111111111111')).toEqual({ ok: true, brand: 'VISA' });
    expect(chooseCardBrand('6011111111111117')).toEqual({
      ok: false,
      detected: 'DISCOVER',
      reason: 'NOT_ELIGIBLE',
    });
    expect(chooseCardBrand('36227206271667')).toMatchObject({ ok: false, detected: 'DINERS' });
    expect(chooseCardBrand('9999999999999995')).toMatchObject({ ok: false, detected: 'UNKNOWN' });
    expect(isValidPan(withLuhnDigit('589021000000001'))).toBe(true);
  });

  it('lets the buyer pay a co-badged VISA or Mastercard as CB, never an AMEX', () => {
    expect(chooseCardBrand('4111111111111111', 'CB')).toEqual({ ok: true, brand: 'CB' });
    expect(chooseCardBrand('5555555555554444', 'CB')).toEqual({ ok: true, brand: 'CB' });
    expect(chooseCardBrand('378282246310005', 'CB')).toEqual({
      ok: false,
      detected: 'CB',
      reason: 'NOT_ON_CARD',
    });
    expect(chooseCardBrand('4111111111111111', 'MASTERCARD')).toMatchObject({
      ok: false,
      reason: 'NOT_ON_CARD',
    });
  });

  it('copies the billing data saved with the card unless the payment sends its own', () => {
    const saved = { email: 'a@example.com', billingDetails: { city: 'Lyon' } };
    expect(buyerDataForPayment(saved, {})).toEqual(saved);
    expect(buyerDataForPayment(saved, { billingDetails: { city: 'Paris' } })).toEqual({
      email: 'a@example.com',
      billingDetails: { city: 'Paris' },
    });
    expect(saved.billingDetails.city).toBe('Lyon');
  });
});
