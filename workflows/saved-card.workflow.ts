import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type CancelledBy,
  type TokenNotification,
  type TokenNotificationEvent,
  LIFECYCLES,
  purgeDueAt,
  savedCardStatus,
} from '@tlo/domain';
import { type SavedCardEvent, savedCardMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import {
  type SavedCardCancellation,
  type SavedCardUse,
  type SavedCardWorkflowInput,
  SavedCardFailures,
  cancelSavedCardUpdate,
  useSavedCardUpdate,
} from './saved-card.definitions';
import { deliveredUntilAnswered, storeWrites } from './shared/activity-options';
import { RunHandover } from './shared/continue-as-new';
import { nextTransitionOrDeadline } from './shared/deadline';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';
import { Outbox } from './shared/outbox';

const vault = proxyActivities<Activities>(storeWrites);
const notifier = proxyActivities<Activities>(deliveredUntilAnswered);

const definition: LifecycleDefinition<typeof savedCardMachine> = {
  name: LIFECYCLES.savedCard.name,
  machine: savedCardMachine,
  view: (context) => ({ ...context }),
  details: (state, context) =>
    [
      `**State:** ${state} · **Shop:** ${context.shopId} · **Buyer:** ${context.customerReference ?? '(no wallet)'}`,
      `**Uses:** ${context.uses} · **Last use:** ${context.lastUsedAt}`,
      context.cancelledBy ? `**Cancelled by:** ${context.cancelledBy} at ${context.cancelledAt}` : '',
      context.purgedAt ? `**Card data purged:** ${context.purgedAt}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
};

const notUsable = (state: string) =>
  ApplicationFailure.nonRetryable(`the token is ${state}`, SavedCardFailures.tokenNotUsable.type, { state });

/**
 * One saved card, an actor for as long as its data is kept: every payment restarts its
 * inactivity clock; after `purgeAfterMonths` calendar months without use the card data is purged,
 * whatever the token's state. Card expiry stops it paying. Token creation and cancellation are
 * notified to the shop, durably, without holding up the lifecycle.
 */
export async function savedCard(input: SavedCardWorkflowInput): Promise<{ state: string }> {
  const lifecycle = Lifecycle.create(
    definition,
    {
      paymentMethodToken: input.paymentMethodToken,
      shopId: input.shopId,
      customerReference: input.customerReference,
      createdAt: new Date().toISOString(),
    },
    input.resume?.chart,
  );
  const shopNotifications = new Outbox<TokenNotification>(
    (notification) => notifier.notifyShop(notification),
    input.resume?.pendingNotifications,
  );
  const handover = RunHandover.of(lifecycle, LIFECYCLES.savedCard, input);
  const cardExpiresAt = Date.parse(input.cardExpiresAt);

  setHandler(useSavedCardUpdate, pay, { validator: refusePayment });
  setHandler(cancelSavedCardUpdate, cancel, { validator: refuseCancellation });

  // Tell the shop the token exists; then pay, cancel and expire on demand until the data is purged.
  if (!input.resume) await lifecycle.exclusive(async () => notifyShop('TOKEN_CREATED'));
  shopNotifications.deliverContinuously();
  while (!lifecycle.done) {
    if (handover.due) await handover.continueAsNewWhenDue(carryOver);
    else await nextUseOrDeadline();
  }
  await condition(() => !shopNotifications.pending && allHandlersFinished());
  return { state: lifecycle.state };

  function purgeDue(): number {
    return purgeDueAt(new Date(lifecycle.context.lastUsedAt), input.purgeAfterMonths).getTime();
  }

  /** The purge, and while the card is usable its expiry: whichever comes first. */
  function nextUseOrDeadline(): Promise<void> {
    return nextTransitionOrDeadline(lifecycle, {
      deadline: Math.min(purgeDue(), lifecycle.hasTag('usable') ? cardExpiresAt : Infinity),
      atDeadline: purgeOrExpire,
      alsoWakeWhen: () => handover.due,
    });
  }

  function carryOver(): SavedCardWorkflowInput {
    return {
      ...input,
      resume: { chart: lifecycle.persist(), pendingNotifications: shopNotifications.carry() },
    };
  }

  async function purgeOrExpire(): Promise<void> {
    if (Date.now() >= purgeDue()) {
      await vault.purgeSavedCardData({ paymentMethodToken: input.paymentMethodToken });
      await lifecycle.send({ type: 'PURGED', at: new Date().toISOString() });
    } else {
      await expireIfDue();
    }
  }

  /** A usable card past its expiry month is expired first, so it can never pay late. */
  async function expireIfDue(): Promise<void> {
    if (lifecycle.hasTag('usable') && Date.now() >= cardExpiresAt)
      await lifecycle.send({ type: 'CARD_EXPIRED' });
  }

  function notifyShop(event: TokenNotificationEvent): void {
    const { cancelledBy } = lifecycle.context;
    shopNotifications.push({
      notificationId: `${workflowInfo().workflowId}:${lifecycle.seq}:${event}`,
      event,
      status: savedCardStatus(lifecycle.state),
      shopId: input.shopId,
      paymentMethodToken: input.paymentMethodToken,
      customerReference: input.customerReference,
      ...(cancelledBy ? { cancelledBy } : {}),
      occurredAt: new Date().toISOString(),
    });
  }

  function used(): SavedCardEvent {
    return { type: 'USED', at: new Date().toISOString() };
  }

  function refusePayment(_use: { orderId: string }): void {
    if (!lifecycle.accepts(used())) throw notUsable(lifecycle.state);
  }

  function pay(_use: { orderId: string }): Promise<SavedCardUse> {
    return lifecycle.exclusive(async () => {
      await expireIfDue();
      const use = used();
      if (!lifecycle.accepts(use)) throw notUsable(lifecycle.state);
      await lifecycle.send(use);
      const { uses, lastUsedAt } = lifecycle.context;
      return { uses, lastUsedAt, purgeDueAt: new Date(purgeDue()).toISOString() };
    });
  }

  /** Purged card data is gone for good: nothing is left to cancel. */
  function refuseCancellation(_cancel: { by: CancelledBy }): void {
    if (lifecycle.done) throw notUsable(lifecycle.state);
  }

  /** Logical deletion, told to the shop; a second cancellation answers the first one's outcome. */
  function cancel({ by }: { by: CancelledBy }): Promise<SavedCardCancellation> {
    return lifecycle.exclusive(async () => {
      const cancelledNow = !lifecycle.hasTag('withdrawn');
      if (cancelledNow) {
        await lifecycle.send({ type: 'CANCELLED', by, at: new Date().toISOString() });
        notifyShop('TOKEN_CANCELLED');
      }
      const { cancelledBy, cancelledAt } = lifecycle.context;
      return { state: lifecycle.state, cancelledBy: cancelledBy!, cancelledAt: cancelledAt!, cancelledNow };
    });
  }
}
