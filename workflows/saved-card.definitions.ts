import { defineUpdate } from '@temporalio/workflow';
import type { CancelledBy, TokenNotification } from '@tlo/domain';
import type { PersistedChart, SavedCardContext } from '@tlo/machines';

/** Message definitions of a saved card's actor (customer wallet), importable by clients. */
export interface SavedCardWorkflowInput {
  paymentMethodToken: string;
  shopId: string;
  customerReference: string | null;
  /** The first instant the card no longer pays: the day after its expiry month (ISO-8601). */
  cardExpiresAt: string;
  /** Calendar months without use after which the card data is purged (default 15). */
  purgeAfterMonths: number;
  maxTransitionsPerRun?: number;
  resume?: { chart: PersistedChart<SavedCardContext>; pendingNotifications: TokenNotification[] };
}

export interface SavedCardUse {
  uses: number;
  lastUsedAt: string;
  purgeDueAt: string;
}

export interface SavedCardCancellation {
  state: string;
  cancelledBy: CancelledBy;
  cancelledAt: string;
  /** False when the token was already cancelled: the first cancellation stands. */
  cancelledNow: boolean;
}

/** A payment with the card: refused unless the token is active; restarts its inactivity clock. */
export const useSavedCardUpdate = defineUpdate<SavedCardUse, [{ orderId: string }]>('useSavedCard');
/** Logical deletion: the token never pays again but stays visible until its data is purged. */
export const cancelSavedCardUpdate = defineUpdate<SavedCardCancellation, [{ by: CancelledBy }]>(
  'cancelSavedCard',
);
