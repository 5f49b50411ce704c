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
