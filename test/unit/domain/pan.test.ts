import { isValidPan, maskPan, passesLuhn } from '@tlo/domain';
import { redact } from '@tlo/config';

describe('PAN rules', () => {
  it.each(['5555555555554444', '4111111111111111', '378282246310005', '6011111111111117'])(
    'accepts %s',
    (pan) => {
      expect(isValidPan(pan)).toBe(true);
    },
  );

  it.each([
    ['5555555555554445', 'Luhn fails'],
    ['555555555555', 'too short'],
    ['55555555555544441234', 'too long'],
    ['5555 5555 5555 4444', 'not digits only'],
  ])('refuses %s (%s)', (pan) => {
    expect(isValidPan(pan)).toBe(false);
  });

  it('checks Luhn on any digit string', () => {
    expect(passesLuhn('79927398713')).toBe(true);
    expect(passesLuhn('79927398710')).toBe(false);
    expect(passesLuhn('')).toBe(false);
  });

  it('masks all but the first six and last four', () => {
    expect(maskPan('5555555555554444')).toBe('555555******4444');
    expect(maskPan('378282246310005')).toBe('378282*****0005');
  });

  it('redacts PAN-like numbers from log lines', () => {
    expect(redact('{"pan":"5555555555554444","n":123}')).toBe('{"pan":"555555***4444","n":123}');
  });
});
