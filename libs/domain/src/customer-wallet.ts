import { LIFECYCLES } from './lifecycles';
/**
 * Customer wallet (Lyra V4): saved cards (tokens) whose card data is purged after a period without
 * use, 15 calendar months by default (PCI DSS), whatever else happened to them.
 */

export const DEFAULT_PURGE_AFTER_MONTHS = 15;

/**
 * `months` calendar months after `at` (UTC), keeping the time of day; a day that does not exist in
 * the target month becomes that month's last day (31 Jan + 1 month = 28 or 29 Feb).
 */
export function addCalendarMonths(at: Date, months: number): Date {
  const target = new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(at.getUTCDate(), lastDay));
  target.setUTCHours(at.getUTCHours(), at.getUTCMinutes(), at.getUTCSeconds(), at.getUTCMilliseconds());
  return target;
}

/** When an unused token's card data is purged: `purgeAfterMonths` calendar months after its last use. */
export function purgeDueAt(lastUsedAt: Date, purgeAfterMonths = DEFAULT_PURGE_AFTER_MONTHS): Date {
  return addCalendarMonths(lastUsedAt, purgeAfterMonths);
}

/** A card is expired after the last day of its expiry month (UTC). */
export function cardExpiredAt(expiryMonth: number, expiryYear: number): Date {
  return new Date(Date.UTC(expiryYear, expiryMonth, 1));
}

/** Whether the card can no longer pay at `now`: after the last day of its expiry month. */
export function isCardExpired(expiryMonth: number, expiryYear: number, now: Date): boolean {
  return now.getTime() >= cardExpiredAt(expiryMonth, expiryYear).getTime();
}

/** Who may delete a saved card from the buyer's side, per shop (the back office setting). */
export const BUYER_DELETIONS = ['AUTOMATIC', 'MANUAL'] as const;
export type BuyerDeletion = (typeof BUYER_DELETIONS)[number];
export const CANCELLERS = ['BUYER', 'MERCHANT'] as const;
export type CancelledBy = (typeof CANCELLERS)[number];

export interface ShopSettings {
  shopId: string;
  /** The offer's "payment by token" option: without it no token is created or used. */
  tokenPaymentOption: boolean;
  buyerDeletion: BuyerDeletion;
  /** Where token notifications (IPN) go, signed with the shop's secret; null sends none. */
  notificationUrl: string | null;
}

export interface BillingDetails {
  firstName?: string;
  lastName?: string;
  phoneNumber?: string;
  address?: string;
  zipCode?: string;
  city?: string;
  country?: string;
}

/** The buyer data saved with a token: copied into the payments it makes unless a payment sends its own. */
export interface BuyerData {
  email: string | null;
  billingDetails: BillingDetails | null;
}

/**
 * The buyer data a payment with a saved card carries (Lyra V4): what the request sends, field group
 * by field group, else what was saved with the card. The token itself is never updated by a payment.
 */
export function buyerDataForPayment(saved: BuyerData, requested: Partial<BuyerData>): BuyerData {
  return {
    email: requested.email ?? saved.email,
    billingDetails: requested.billingDetails ?? saved.billingDetails,
  };
}

export type SavedCardStatus = 'ACTIVE' | 'CANCELLED' | 'EXPIRED' | 'PURGED';

/** The contract's token status for a saved-card chart state. */
export function savedCardStatus(state: string): SavedCardStatus {
  return state.toUpperCase() as SavedCardStatus;
}

/** One actor per saved card: the payment method token is the business key. */
export const savedCardWorkflowId = LIFECYCLES.savedCard.workflowId;

/** Token notifications (IPN) sent to the shop, signed and retried until it answers 2xx. */
export type TokenNotificationEvent = 'TOKEN_CREATED' | 'TOKEN_CANCELLED';
export interface TokenNotification {
  notificationId: string;
  event: TokenNotificationEvent;
  /** The token's status when the event happened. */
  status: SavedCardStatus;
  shopId: string;
  paymentMethodToken: string;
  customerReference: string | null;
  cancelledBy?: CancelledBy;
  occurredAt: string;
}
