/**
 * Card brands the customer wallet knows (Lyra V4) and which of them may be saved. Brand detection is
 * by BIN prefix, most specific first. The meal-voucher (Titre-Restaurant) prefixes are those of the
 * product's simulated acquirer table: a deployment replaces `BIN_TABLE` with its acquirer's.
 */
export const TITRE_RESTAURANT_BRANDS = ['APETIZ', 'CHQ_DEJ', 'CONECS', 'EDENRED', 'SODEXO'] as const;
export const ELIGIBLE_BRANDS = [
  'AMEX',
  'CB',
  ...TITRE_RESTAURANT_BRANDS,
  'VISA',
  'VISA_ELECTRON',
  'MASTERCARD',
  'MAESTRO',
] as const;
export type EligibleBrand = (typeof ELIGIBLE_BRANDS)[number];
export type PaymentBrand = EligibleBrand | 'DINERS' | 'DISCOVER' | 'JCB' | 'UNIONPAY';

interface BinRange {
  brand: Exclude<PaymentBrand, 'CB'>;
  /** Inclusive prefix ranges of equal length, e.g. ['2221', '2720']. */
  from: string;
  to: string;
}

const range = (brand: BinRange['brand'], from: string, to = from): BinRange => ({ brand, from, to });

/** Ordered: the first (longest, most specific) matching range names the brand. */
export const BIN_TABLE: readonly BinRange[] = [
  range('APETIZ', '589018'),
  range('CHQ_DEJ', '589019'),
  range('CONECS', '589020'),
  range('EDENRED', '589021'),
  range('SODEXO', '589022'),
  range('VISA_ELECTRON', '417500'),
  range('VISA_ELECTRON', '4026'),
  range('VISA_ELECTRON', '4405'),
  range('VISA_ELECTRON', '4508'),
  range('VISA_ELECTRON', '4844'),
  range('VISA_ELECTRON', '4913'),
  range('VISA_ELECTRON', '4917'),
  range('MAESTRO', '5018'),
  range('MAESTRO', '5020'),
  range('MAESTRO', '5038'),
  range('MAESTRO', '5893'),
  range('MAESTRO', '6304'),
  range('MAESTRO', '6759'),
  range('MAESTRO', '6761', '6763'),
  range('MASTERCARD', '2221', '2720'),
  range('JCB', '3528', '3589'),
  range('DISCOVER', '6011'),
  range('DISCOVER', '644', '649'),
  range('DINERS', '300', '305'),
  range('AMEX', '34'),
  range('AMEX', '37'),
  range('DINERS', '36'),
  range('DINERS', '38'),
  range('MASTERCARD', '51', '55'),
  range('DISCOVER', '65'),
  range('UNIONPAY', '62'),
  range('VISA', '4'),
];

/** Networks a French-issued card may be co-badged with Cartes Bancaires on (the buyer picks). */
const CB_CO_BADGED: ReadonlySet<PaymentBrand> = new Set(['VISA', 'VISA_ELECTRON', 'MASTERCARD', 'MAESTRO']);

export function detectCardBrand(pan: string): Exclude<PaymentBrand, 'CB'> | null {
  for (const { brand, from, to } of BIN_TABLE) {
    const prefix = pan.slice(0, from.length);
    if (prefix.length === from.length && prefix >= from && prefix <= to) return brand;
  }
  return null;
}

export function isEligibleBrand(brand: string | null): brand is EligibleBrand {
  return (ELIGIBLE_BRANDS as readonly string[]).includes(brand ?? '');
}

export type BrandChoice =
  | { ok: true; brand: EligibleBrand }
  | { ok: false; detected: string; reason: 'NOT_ELIGIBLE' | 'NOT_ON_CARD' };

/**
 * The brand a card is saved and paid under: the network detected from the PAN, or CB when the buyer
 * asks for it on a card that network co-badges with CB. Anything else is refused, saying why.
 */
export function chooseCardBrand(pan: string, requested?: string): BrandChoice {
  const detected = detectCardBrand(pan);
  if (!isEligibleBrand(detected))
    return { ok: false, detected: detected ?? 'UNKNOWN', reason: 'NOT_ELIGIBLE' };
  if (!requested || requested === detected) return { ok: true, brand: detected };
  if (requested === 'CB' && CB_CO_BADGED.has(detected)) return { ok: true, brand: 'CB' };
  return { ok: false, detected: requested, reason: 'NOT_ON_CARD' };
}
