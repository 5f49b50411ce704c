import { type OutboundPolicy, checkOutboundUrl } from '@tlo/outbound';
import { ApiError } from './api-error';

/**
 * A receiver URL is judged when it is configured, by the rule delivery applies: a URL the product
 * would never send to is a 400 naming the field, not a silent failure later.
 */
export function requireDeliverableUrl(
  field: string,
  url: string | null | undefined,
  policy: OutboundPolicy,
): void {
  if (url === undefined || url === null) return;
  const verdict = checkOutboundUrl(url, policy);
  if (!verdict.ok) throw ApiError.badField(field, `${field} ${verdict.problem}`);
}
