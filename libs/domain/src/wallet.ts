export const WALLETS = ['ApplePay', 'GooglePay'] as const;
export type Wallet = (typeof WALLETS)[number];

export const CARD_BRANDS = ['Mastercard'] as const;
export type CardBrand = (typeof CARD_BRANDS)[number];

/** The wallet's report of what happened to a provisioned token. */
export const WALLET_EVENT_TYPES = ['TOKEN_ACTIVATED', 'TOKEN_DELETED'] as const;
export type WalletEventType = (typeof WALLET_EVENT_TYPES)[number];

/** Partner events (Bankly contract). */
export const PARTNER_EVENT_NAMES = ['CARD_WAS_ADDED_TO_WALLET', 'CARD_WAS_REMOVED_FROM_WALLET'] as const;
export type PartnerEventName = (typeof PARTNER_EVENT_NAMES)[number];
