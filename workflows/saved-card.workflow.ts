import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type TokenNotification,
  type TokenNotificationEvent,
  LIFECYCLES,
  purgeDueAt,
  savedCardStatus,
} from '@tlo/domain';
import { savedCardMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import {
  type SavedCardCancellation,
  type SavedCardUse,
  type SavedCardWorkflowInput,
  cancelSavedCardUpdate,
  useSavedCardUpdate,
} from './saved-card.definitions';
import { nextTransitionOrDeadline } from './shared/deadline';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';

const vault = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute' },
});
// The shop's endpoint may be down for long: keep trying, at most every 10 minutes.
const notifier = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumInterval: '10 minutes' },
});

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

const refuse = (state: string) =>
  ApplicationFailure.nonRetryable(`the token is ${state}`, 'TokenNotUsable', { state });

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
  const context = () => lifecycle.context;
  const cardExpiresAt = Date.parse(input.cardExpiresAt);
  const purgeDue = () => purgeDueAt(new Date(context().lastUsedAt), input.purgeAfterMonths).getTime();
  const shouldContinueAsNew = () => lifecycle.continueAsNewDue(input.maxTransitionsPerRun ?? 500);

  const outbox: TokenNotification[] = [...(input.resume?.pendingNotifications ?? [])];
  const enqueue = (event: TokenNotificationEvent) =>
    outbox.push({
      notificationId: `${workflowInfo().workflowId}:${lifecycle.seq}:${event}`,
      event,
      status: savedCardStatus(lifecycle.state),
      shopId: input.shopId,
      paymentMethodToken: input.paymentMethodToken,
      customerReference: input.customerReference,
      ...(context().cancelledBy ? { cancelledBy: context().cancelledBy! } : {}),
      occurredAt: new Date().toISOString(),
    });
  const deliverNotifications = async () => {
    for (;;) {
      await condition(() => outbox.length > 0);
      await notifier.notifyShop(outbox[0]);
      outbox.shift();
    }
  };

  /** An active card past its expiry month is expired first, so it can never pay late. */
  const expireIfDue = async () => {
    if (lifecycle.state === 'active' && Date.now() >= cardExpiresAt)
      await lifecycle.send({ type: 'CARD_EXPIRED' });
  };

  setHandler(
    useSavedCardUpdate,
    () =>
      lifecycle.exclusive(async (): Promise<SavedCardUse> => {
        await expireIfDue();
        if (!lifecycle.accepts({ type: 'USED', at: '' })) throw refuse(lifecycle.state);
        await lifecycle.send({ type: 'USED', at: new Date().toISOString() });
        return {
          uses: context().uses,
          lastUsedAt: context().lastUsedAt,
          purgeDueAt: new Date(purgeDue()).toISOString(),
        };
      }),
    {
      validator: (_use) => {
        if (lifecycle.state !== 'active') throw refuse(lifecycle.state);
      },
    },
  );

  setHandler(
    cancelSavedCardUpdate,
    ({ by }) =>
      lifecycle.exclusive(async (): Promise<SavedCardCancellation> => {
        const cancelledNow = lifecycle.state !== 'cancelled';
        if (cancelledNow) {
          await lifecycle.send({ type: 'CANCELLED', by, at: new Date().toISOString() });
          enqueue('TOKEN_CANCELLED');
        }
        return {
          state: lifecycle.state,
          cancelledBy: context().cancelledBy!,
          cancelledAt: context().cancelledAt!,
          cancelledNow,
        };
      }),
    {
      validator: (_cancel) => {
        if (lifecycle.state === 'purged') throw refuse(lifecycle.state);
      },
    },
  );

  if (!input.resume) {
    await lifecycle.exclusive(async () => enqueue('TOKEN_CREATED'));
  }
  void deliverNotifications();

  while (!lifecycle.done) {
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof savedCard>({
        ...input,
        resume: { chart: lifecycle.persist(), pendingNotifications: outbox },
      });
    }
    const due = Math.min(purgeDue(), lifecycle.state === 'active' ? cardExpiresAt : Infinity);
    await nextTransitionOrDeadline(lifecycle, {
      deadline: due,
      atDeadline: async () => {
        if (Date.now() >= purgeDue()) {
          await vault.purgeSavedCardData({ paymentMethodToken: input.paymentMethodToken });
          await lifecycle.send({ type: 'PURGED', at: new Date().toISOString() });
        } else {
          await expireIfDue();
        }
      },
      alsoWakeWhen: shouldContinueAsNew,
    });
  }
  await condition(() => outbox.length === 0 && allHandlersFinished());
  return { state: lifecycle.state };
}
