import { passesLuhn } from '@tlo/domain';
import type { NewCard } from '@tlo/persistence';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const demoCards = require('../../scripts/demo/cards') as {
  ISSUER_CARD_PAN: string;
  issuerCard(): Omit<NewCard, 'status'>;
};

/** The README's walkthrough card (scripts/demo/cards.js): the one the demo registers too. */
export const TEST_PAN: string = demoCards.ISSUER_CARD_PAN;

export function newCard(overrides: Partial<NewCard> = {}): NewCard {
  return { ...demoCards.issuerCard(), status: 'ACTIVE', ...overrides };
}

/** `partial` followed by its Luhn check digit: a valid test PAN with any prefix. */
export function withLuhnDigit(partial: string): string {
  for (let digit = 0; digit <= 9; digit++) {
    if (passesLuhn(`${partial}${digit}`)) return `${partial}${digit}`;
  }
  throw new Error('unreachable');
}
