/**
 * Customer wallet (seed 003): saved cards (tokens) whose card data is purged after a period without
 * use, 15 calendar months by default (PCI DSS). Groundwork for the saved-card lifecycle.
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
