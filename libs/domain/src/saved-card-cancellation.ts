import type { BuyerDeletion, CancelledBy } from './customer-wallet';

/** What the answer to a cancellation warns of when the card pays subscriptions. */
export interface SubscriptionWarning {
  code: 'TOKEN_USED_BY_SUBSCRIPTION';
  message: string;
  subscriptionIds: string[];
}

export type CancellationRefusal = 'BUYER_DELETION_NOT_ALLOWED' | 'TOKEN_PURGED';

export type CancellationOutcome =
  /** Nothing changes, and the answer is this error. */
  | { kind: 'REFUSED'; reason: CancellationRefusal }
  /** Nothing changes: the buyer is told why the card was kept. */
  | { kind: 'KEPT'; warning: SubscriptionWarning }
  /** The token is cancelled, with a warning when it paid subscriptions. */
  | { kind: 'CANCEL'; warning?: SubscriptionWarning };

/**
 * The cancellation policy of a saved card (Lyra V4 customer wallet). A buyer may delete a card only
 * where the shop lets buyers delete (`buyerDeletion` AUTOMATIC), and never one paying a subscription:
 * it is kept and the buyer told to ask the merchant. A merchant may always cancel; the answer then
 * warns that the subscriptions' next payments will be refused. A purged token cannot be cancelled.
 */
export function cancellationOutcome(request: {
  by: CancelledBy;
  buyerDeletion: BuyerDeletion;
  purged: boolean;
  activeSubscriptionIds: string[];
}): CancellationOutcome {
  const { by, activeSubscriptionIds } = request;
  if (by === 'BUYER' && request.buyerDeletion === 'MANUAL')
    return { kind: 'REFUSED', reason: 'BUYER_DELETION_NOT_ALLOWED' };
  if (request.purged) return { kind: 'REFUSED', reason: 'TOKEN_PURGED' };
  if (activeSubscriptionIds.length === 0) return { kind: 'CANCEL' };
  if (by === 'BUYER') {
    return {
      kind: 'KEPT',
      warning: {
        code: 'TOKEN_USED_BY_SUBSCRIPTION',
        message: 'This card pays a subscription: it was not deleted. Contact the merchant to change it.',
        subscriptionIds: activeSubscriptionIds,
      },
    };
  }
  return {
    kind: 'CANCEL',
    warning: {
      code: 'TOKEN_USED_BY_SUBSCRIPTION',
      message: 'This card paid a subscription: its next payments will be refused.',
      subscriptionIds: activeSubscriptionIds,
    },
  };
}
