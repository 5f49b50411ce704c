import { ELIGIBLE_BRANDS, type EligibleBrand, TITRE_RESTAURANT_BRANDS, chooseCardBrand } from './card-brands';
import { isCardExpired } from './customer-wallet';
import { isValidPan } from './pan';

/** The card a buyer types into the payment form. */
export interface SubmittedCard {
  pan: string;
  /** The brand the buyer picked, e.g. CB on a co-badged card. */
  brand?: string;
  expiryMonth: number;
  expiryYear: number;
}

export type CardRefusal =
  | { reason: 'INVALID_PAN'; at: 'pan' }
  | { reason: 'BRAND_NOT_ELIGIBLE'; at: 'pan' | 'brand'; detail: string }
  | { reason: 'CARD_EXPIRED'; at: 'expiryYear' };

export type CardAcceptance = { ok: true; brand: EligibleBrand } | ({ ok: false } & CardRefusal);

const TITRE_RESTAURANT: ReadonlySet<string> = new Set(TITRE_RESTAURANT_BRANDS);

/** The eligible brands as a buyer reads them: the meal-voucher networks as one, words spaced. */
export const ACCEPTED_BRANDS_LABEL = [
  ...new Set(
    ELIGIBLE_BRANDS.map((brand) =>
      TITRE_RESTAURANT.has(brand) ? 'Titre-Restaurant' : brand.replace(/_/g, ' '),
    ),
  ),
].join(', ');

/**
 * Whether the form accepts a card, checked in order: the number passes Luhn, it is of an eligible
 * brand the card carries (the buyer may pick CB on a co-badged card), and it has not expired at `now`.
 * A refusal names the part of the card at fault.
 */
export function acceptCard(card: SubmittedCard, now: Date): CardAcceptance {
  if (!isValidPan(card.pan)) return { ok: false, reason: 'INVALID_PAN', at: 'pan' };
  const choice = chooseCardBrand(card.pan, card.brand);
  if (!choice.ok) {
    return choice.reason === 'NOT_ON_CARD'
      ? {
          ok: false,
          reason: 'BRAND_NOT_ELIGIBLE',
          at: 'brand',
          detail: `this card cannot be paid as ${choice.detected}`,
        }
      : {
          ok: false,
          reason: 'BRAND_NOT_ELIGIBLE',
          at: 'pan',
          detail: `${choice.detected} cards are not accepted; accepted: ${ACCEPTED_BRANDS_LABEL}`,
        };
  }
  if (isCardExpired(card.expiryMonth, card.expiryYear, now))
    return { ok: false, reason: 'CARD_EXPIRED', at: 'expiryYear' };
  return { ok: true, brand: choice.brand };
}
