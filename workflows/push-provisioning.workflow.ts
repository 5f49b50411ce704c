import {
  ApplicationFailure,
  allHandlersFinished,
  condition,
  patched,
  proxyActivities,
  setHandler,
  workflowInfo,
} from '@temporalio/workflow';
import {
  type PartnerEvent,
  type PayloadOutcome,
  type PayloadRequest,
  type PushProvisioningInput,
  type WalletEvent,
  LIFECYCLES,
} from '@tlo/domain';
import {
  type PersistedChart,
  type PushProvisioningContext,
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
import { deliveredUntilAnswered } from './shared/activity-options';
import { RunHandover } from './shared/continue-as-new';
import { nextTransitionOrDeadline } from './shared/deadline';
import { LifecycleFailures } from './shared/failures';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';
import { Outbox } from './shared/outbox';

export interface PushProvisioningWorkflowInput extends PushProvisioningInput {
  walletActivationTimeoutMs: number;
  /** Continue as new after this many transitions in one run (bounds history); the registry's by default. */
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
const partnerWebhooks = proxyActivities<Activities>(deliveredUntilAnswered);
/** Histories recorded before it read the card twice: once to check it, once to seal its PAN. */
const ONE_CARD_READ = 'push-provisioning-one-card-read';

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

const tokenEvent = (walletEvent: WalletEvent): WalletTokenEvent => ({
  type: walletEvent.eventType,
  tokenReferenceId: walletEvent.tokenReferenceId,
});

/**
 * Push provisioning: one card in one wallet. The issuer app's request arrives as an
 * update (answered synchronously with the sealed payload); the wallet's reports arrive as updates; the
 * wallet's silence ends the actor after `walletActivationTimeoutMs`; partner webhooks are delivered
 * until they land.
 */
export async function pushProvisioning(input: PushProvisioningWorkflowInput): Promise<PushProvisioningView> {
  const { proxy, wallet } = input;
  const lifecycle = Lifecycle.create(definition, { proxy, wallet }, input.resume?.chart);
  const partnerEvents = new Outbox<PartnerEvent>(
    (event) => partnerWebhooks.emitPartnerEvent(event),
    input.resume?.pendingPartnerEvents,
  );
  const handover = RunHandover.of(lifecycle, LIFECYCLES.pushProvisioning, input);
  let walletDeadline: number | null = input.resume?.walletDeadline ?? null;

  setHandler(pushProvisioningStateQuery, view);
  setHandler(requestPayloadUpdate, issuePayload, { validator: refuseOnceFinished });
  setHandler(walletEventUpdate, takeWalletReport, { validator: refuseWalletReport });

  // Payloads on request and the wallet's reports as they come, each told to the partner, until the
  // last token is removed or the wallet stays silent past its deadline.
  while (!lifecycle.done) {
    if (partnerEvents.pending) await partnerEvents.deliverNext();
    else if (handover.due) await handover.continueAsNewWhenDue(carryOver);
    else await nextReportOrWalletSilence();
  }
  // Handlers still running may queue the last partner event: let them finish, then deliver.
  await condition(allHandlersFinished);
  await partnerEvents.drain();
  return view();

  function view(): PushProvisioningView {
    return {
      state: lifecycle.state,
      seq: lifecycle.seq,
      proxy,
      wallet,
      payloadsIssued: lifecycle.context.payloadsIssued,
      activeTokens: lifecycle.context.activeTokens,
      rejection: lifecycle.context.rejection,
      walletDeadline: walletDeadline === null ? null : new Date(walletDeadline).toISOString(),
      acceptedEvents: lifecycle.acceptedEventTypes(),
    };
  }

  function carryOver(): PushProvisioningWorkflowInput {
    return {
      ...input,
      resume: { chart: lifecycle.persist(), walletDeadline, pendingPartnerEvents: partnerEvents.carry() },
    };
  }

  function nextReportOrWalletSilence(): Promise<void> {
    const seenDeadline = walletDeadline;
    return nextTransitionOrDeadline(lifecycle, {
      deadline: lifecycle.hasTag('walletPending') && walletDeadline !== null ? walletDeadline : Infinity,
      atDeadline: abandonIfWalletSilent,
      alsoWakeWhen: () => walletDeadline !== seenDeadline || partnerEvents.pending || handover.due,
    });
  }

  async function abandonIfWalletSilent(): Promise<void> {
    if (lifecycle.hasTag('walletPending') && walletDeadline !== null && Date.now() >= walletDeadline) {
      await lifecycle.send({ type: 'WALLET_TIMEOUT' });
    }
  }

  function refuseOnceFinished(_request: PayloadRequest): void {
    if (lifecycle.done) throw LifecycleFailures.finished.raise('provisioning already finished');
  }

  /** Checks the card, then seals a payload for the wallet; answered synchronously to the issuer app. */
  function issuePayload(request: PayloadRequest): Promise<PayloadOutcome> {
    return lifecycle.exclusive(async (): Promise<PayloadOutcome> => {
      if (!lifecycle.accepts({ type: 'PAYLOAD_REQUESTED' })) return { ok: false, reason: 'ALREADY_FINISHED' };
      await lifecycle.send({ type: 'PAYLOAD_REQUESTED' });
      if (patched(ONE_CARD_READ)) return issueOnOneCardRead(request);
      const eligibility = await cardChecks.checkCardForProvisioning({ proxy, wallet });
      if (!eligibility.eligible) {
        await lifecycle.send({ type: 'CARD_REJECTED', reason: eligibility.reason });
        return { ok: false, reason: eligibility.reason };
      }
      await lifecycle.send({ type: 'CARD_ELIGIBLE' });
      try {
        const payload = await cardChecks.issueWalletPayload({ proxy, wallet }, request);
        // Set before the transition, so the main loop never sees a pending wallet without its deadline.
        walletDeadline = Date.now() + input.walletActivationTimeoutMs;
        await lifecycle.send({ type: 'PAYLOAD_ISSUED' });
        return { ok: true, payload };
      } catch (error) {
        await lifecycle.send({ type: 'PAYLOAD_FAILED' });
        throw ApplicationFailure.fromError(error, { nonRetryable: true });
      }
    });
  }

  /** The same transitions as above, the card read once: eligibility and sealing in one activity. */
  async function issueOnOneCardRead(request: PayloadRequest): Promise<PayloadOutcome> {
    const checked = await cardChecks.issueWalletPayloadIfEligible({ proxy, wallet }, request);
    if (!checked.eligible) {
      await lifecycle.send({ type: 'CARD_REJECTED', reason: checked.reason });
      return { ok: false, reason: checked.reason };
    }
    await lifecycle.send({ type: 'CARD_ELIGIBLE' });
    if (!checked.issued.ok) {
      await lifecycle.send({ type: 'PAYLOAD_FAILED' });
      throw ApplicationFailure.nonRetryable(checked.issued.message, checked.issued.type);
    }
    walletDeadline = Date.now() + input.walletActivationTimeoutMs;
    await lifecycle.send({ type: 'PAYLOAD_ISSUED' });
    return { ok: true, payload: checked.issued.payload };
  }

  /**
   * A wallet's retry of a report already taken is answered with the current state. Checked again in
   * the handler: a concurrent duplicate passes the validator before the first one is applied.
   */
  function alreadyApplied(event: WalletTokenEvent): boolean {
    return walletEventAlreadyApplied(lifecycle.context, event);
  }

  function refuseWalletReport(walletEvent: WalletEvent): void {
    const event = tokenEvent(walletEvent);
    if (!alreadyApplied(event)) lifecycle.assertAccepts(event);
  }

  /** Takes a token's activation or deletion, and queues the partner's event for it. */
  function takeWalletReport(walletEvent: WalletEvent): Promise<{ state: string }> {
    return lifecycle.exclusive(async () => {
      const event = tokenEvent(walletEvent);
      if (alreadyApplied(event)) return { state: lifecycle.state };
      const step = await lifecycle.send(event);
      partnerEvents.push({
        eventId: `${workflowInfo().workflowId}:${step.seq}`,
        name: event.type === 'TOKEN_ACTIVATED' ? 'CARD_WAS_ADDED_TO_WALLET' : 'CARD_WAS_REMOVED_FROM_WALLET',
        proxy,
        wallet,
        tokenReferenceId: event.tokenReferenceId,
        occurredAt: new Date().toISOString(),
      });
      return { state: lifecycle.state };
    });
  }
}
