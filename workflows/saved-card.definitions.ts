import { defineUpdate } from '@temporalio/workflow';
import { type CancelledBy, type SavedCardStatus, type TokenNotification, savedCardStatus } from '@tlo/domain';
import type { PersistedChart, SavedCardContext } from '@tlo/machines';
import { namedFailure } from './shared/failures';

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

/** The contract's message for a token that can no longer pay, by its status (error code `TOKEN_<status>`). */
export const TOKEN_NOT_USABLE_MESSAGES = {
  CANCELLED: 'the token was cancelled: it can no longer pay',
  EXPIRED: 'the card of this token has expired',
  PURGED: 'the card data of this token was purged after 15 months without use',
} as const satisfies Partial<Record<SavedCardStatus, string>>;

/** What a saved card's actor refuses, with the API's answer beside each. */
export const SavedCardFailures = {
  /** The token's state does not allow the call; the details carry the state, answered as its status. */
  tokenNotUsable: namedFailure<{ state: string }>('TokenNotUsable', ({ state }) => {
    const status = savedCardStatus(state);
    return {
      status: 409,
      code: `TOKEN_${status}`,
      field: 'paymentMethodToken',
      message: (TOKEN_NOT_USABLE_MESSAGES as Partial<Record<SavedCardStatus, string>>)[status],
    };
  }),
} as const;
