import { LIFECYCLES } from '@tlo/domain';
import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import type { PartnerEvent, PayloadOutcome, PushProvisioningInput, WalletEvent } from '@tlo/domain';
import {
  type PersistedChart,
  type PushProvisioningContext,
  type PushProvisioningEvent,
  type WalletTokenEvent,
  pushProvisioningMachine,
  walletEventAlreadyApplied,
} from '@tlo/machines';
import type { Activities } from '../activities';
import {
  type PushProvisioningView,
  pushProvisioningStateQuery,
  requestPayloadUpdate,
  walletEventUpdate,
} from './push-provisioning.definitions';
import { LifecycleFailures } from './shared/failures';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';

export interface PushProvisioningWorkflowInput extends PushProvisioningInput {
  walletActivationTimeoutMs: number;
  /** Continue as new after this many transitions in one run (bounds history). Default 500. */
  maxTransitionsPerRun?: number;
  /** Set only by continue-as-new. */
  resume?: {
    chart: PersistedChart<PushProvisioningContext>;
    walletDeadline: number | null;
    pendingPartnerEvents: PartnerEvent[];
  };
}

const cardChecks = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  scheduleToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '5 seconds' },
});
const partnerWebhooks = proxyActivities<Activities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', backoffCoefficient: 2, maximumInterval: '10 minutes' },
});

const definition: LifecycleDefinition<typeof pushProvisioningMachine> = {
  name: LIFECYCLES.pushProvisioning.name,
  machine: pushProvisioningMachine,
  view: (context) => ({
    proxy: context.proxy,
    wallet: context.wallet,
    payloadsIssued: context.payloadsIssued,
    activeTokens: context.activeTokens,
    removedTokens: context.removedTokens ?? [],
    rejection: context.rejection,
  }),
  details: (state, context) =>
    [
      `**State:** ${state}`,
      `**Card:** ${context.proxy} → ${context.wallet}`,
      `**Payloads issued:** ${context.payloadsIssued} · **Active tokens:** ${context.activeTokens.length}`,
      context.rejection ? `**Rejected:** ${context.rejection}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
};

/** States in which no handler is mid-way and the actor may safely continue as new. */
const RESTING_STATES = new Set(['idle', 'awaitingWallet', 'active']);

/**
 * Push provisioning: one card in one wallet. The issuer app's request arrives as an
 * update (answered synchronously with the sealed payload); the wallet's reports arrive as updates; the
 * wallet's silence ends the actor after `walletActivationTimeoutMs`; partner webhooks are delivered
 * until they land.
 */
export async function pushProvisioning(input: PushProvisioningWorkflowInput): Promise<PushProvisioningView> {
  const { proxy, wallet } = input;
  const lifecycle = Lifecycle.create(definition, { proxy, wallet }, input.resume?.chart);
  const partnerOutbox: PartnerEvent[] = [...(input.resume?.pendingPartnerEvents ?? [])];
  let walletDeadline: number | null = input.resume?.walletDeadline ?? null;

  const view = (): PushProvisioningView => ({
    state: lifecycle.state,
    seq: lifecycle.seq,
    proxy,
    wallet,
    payloadsIssued: lifecycle.context.payloadsIssued,
    activeTokens: lifecycle.context.activeTokens,
    rejection: lifecycle.context.rejection,
    walletDeadline: walletDeadline === null ? null : new Date(walletDeadline).toISOString(),
    acceptedEvents: lifecycle.acceptedEventTypes(),
  });

  const send = (event: PushProvisioningEvent) => lifecycle.send(event);

  const maxTransitionsPerRun = input.maxTransitionsPerRun ?? 500;
  const shouldContinueAsNew = () => lifecycle.continueAsNewDue(maxTransitionsPerRun);

  setHandler(pushProvisioningStateQuery, view);

  setHandler(
    requestPayloadUpdate,
    (request) =>
      lifecycle.exclusive(async (): Promise<PayloadOutcome> => {
        if (!lifecycle.can({ type: 'PAYLOAD_REQUESTED' })) return { ok: false, reason: 'ALREADY_FINISHED' };
        await send({ type: 'PAYLOAD_REQUESTED' });
        const eligibility = await cardChecks.checkCardForProvisioning({ proxy, wallet });
        if (!eligibility.eligible) {
          await send({ type: 'CARD_REJECTED', reason: eligibility.reason });
          return { ok: false, reason: eligibility.reason };
        }
        await send({ type: 'CARD_ELIGIBLE' });
        try {
          const payload = await cardChecks.issueWalletPayload({ proxy, wallet }, request);
          // Set before the transition, so the main loop never sees awaitingWallet without its deadline.
          walletDeadline = Date.now() + input.walletActivationTimeoutMs;
          await send({ type: 'PAYLOAD_ISSUED' });
          return { ok: true, payload };
        } catch (error) {
          await send({ type: 'PAYLOAD_FAILED' });
          throw ApplicationFailure.fromError(error, { nonRetryable: true });
        }
      }),
    {
      validator: (_request) => {
        if (lifecycle.done) throw LifecycleFailures.finished.raise('provisioning already finished');
      },
    },
  );

  const tokenEvent = (walletEvent: WalletEvent): WalletTokenEvent => ({
    type: walletEvent.eventType,
    tokenReferenceId: walletEvent.tokenReferenceId,
  });
  // A wallet's retry of a report already taken is answered with the current state. Checked again in
  // the handler: a concurrent duplicate passes the validator before the first one is applied.
  const alreadyApplied = (event: WalletTokenEvent) => walletEventAlreadyApplied(lifecycle.context, event);

  setHandler(
    walletEventUpdate,
    (walletEvent) =>
      lifecycle.exclusive(async () => {
        const event = tokenEvent(walletEvent);
        if (alreadyApplied(event)) return { state: lifecycle.state };
        const step = await send(event);
        partnerOutbox.push({
          eventId: `${workflowInfo().workflowId}:${step.seq}`,
          name:
            event.type === 'TOKEN_ACTIVATED' ? 'CARD_WAS_ADDED_TO_WALLET' : 'CARD_WAS_REMOVED_FROM_WALLET',
          proxy,
          wallet,
          tokenReferenceId: event.tokenReferenceId,
          occurredAt: new Date().toISOString(),
        });
        return { state: lifecycle.state };
      }),
    {
      validator: (walletEvent) => {
        const event = tokenEvent(walletEvent);
        if (!alreadyApplied(event)) lifecycle.assertAccepts(event);
      },
    },
  );

  while (!lifecycle.done) {
    if (partnerOutbox.length > 0) {
      await partnerWebhooks.emitPartnerEvent(partnerOutbox[0]);
      partnerOutbox.shift();
      continue;
    }
    if (shouldContinueAsNew()) {
      // Continue as new only between steps: no handler mid-way, the chart in a resting state.
      await condition(() => lifecycle.done || (allHandlersFinished() && RESTING_STATES.has(lifecycle.state)));
      if (lifecycle.done) continue;
      await continueAsNew<typeof pushProvisioning>({
        ...input,
        resume: { chart: lifecycle.persist(), walletDeadline, pendingPartnerEvents: partnerOutbox },
      });
    }
    const seenSeq = lifecycle.seq;
    const seenDeadline = walletDeadline;
    const wakeUp = () =>
      lifecycle.seq !== seenSeq ||
      walletDeadline !== seenDeadline ||
      partnerOutbox.length > 0 ||
      shouldContinueAsNew();
    if (lifecycle.state === 'awaitingWallet' && walletDeadline !== null) {
      const woken = await condition(wakeUp, Math.max(1, walletDeadline - Date.now()));
      if (!woken) {
        await lifecycle.exclusive(async () => {
          if (
            lifecycle.state === 'awaitingWallet' &&
            walletDeadline !== null &&
            Date.now() >= walletDeadline
          ) {
            await send({ type: 'WALLET_TIMEOUT' });
          }
        });
      }
    } else {
      await condition(wakeUp);
    }
  }

  // Handlers still running may queue the last partner event: let them finish, then deliver.
  await condition(allHandlersFinished);
  while (partnerOutbox.length > 0) {
    await partnerWebhooks.emitPartnerEvent(partnerOutbox[0]);
    partnerOutbox.shift();
  }
  return view();
}
