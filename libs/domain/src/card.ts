/** The issuer's system of record for a card (simulated registry). */
export const CARD_STATUSES = ['ACTIVE', 'CREATING', 'BLOCKED'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

export interface CardAddress {
  zipCode: string;
  address: string;
  number: string;
  neighborhood: string;
  complement: string;
  city: string;
  state: string;
  country: string;
}

/** What any caller may see of a card: never the PAN. */
export interface MaskedCard {
  proxy: string;
  status: CardStatus;
  maskedPan: string;
  lastFourDigits: string;
  expiryMonth: number;
  expiryYear: number;
  holderName: string;
  phoneNumber: string;
  maskedEmail: string | null;
  programId: string;
  address: CardAddress;
}
