import type { NewCard } from '@tlo/persistence';

export const TEST_PAN = '5555555555554444';

export function newCard(overrides: Partial<NewCard> = {}): NewCard {
  return {
    pan: TEST_PAN,
    expiryMonth: 12,
    expiryYear: 2030,
    holderName: 'MARIA DA SILVA',
    phoneNumber: '23415162342',
    address: {
      zipCode: '05402100',
      address: 'Rua 6 de Março',
      number: '2500',
      neighborhood: 'Alter do Chão',
      complement: '',
      city: 'Santarém',
      state: 'PA',
      country: 'Brasil',
    },
    status: 'ACTIVE',
    ...overrides,
  };
}

/** `partial` followed by its Luhn check digit: a valid test PAN with any prefix. */
export function withLuhnDigit(partial: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    const pan = `${partial}${digit}`;
    let sum = 0;
    for (let i = 0; i < pan.length; i++) {
      let d = Number(pan[pan.length - 1 - i]);
      if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
      sum += d;
    }
    if (sum % 10 === 0) return pan;
  }
  throw new Error('unreachable');
}
