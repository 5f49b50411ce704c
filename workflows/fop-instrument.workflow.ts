import { allHandlersFinished, condition, proxyActivities, setHandler } from '@temporalio/workflow';
import { LIFECYCLES } from '@tlo/domain';
import { fopInstrumentMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import {
  type AssociateAnswer,
  type FopInstrumentInput,
  type RefreshAnswer,
  associateUpdate,
  refreshTokenUpdate,
} from './fop-instrument.definitions';
import { RunHandover } from './shared/continue-as-new';
import { nextTransitionOrDeadline } from './shared/deadline';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';

// Google waits for the association's answer: claim the token with quick retries.
const claims = proxyActivities<Activities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds' },
});

const definition: LifecycleDefinition<typeof fopInstrumentMachine> = {
  name: LIFECYCLES.fopInstrument.name,
  machine: fopInstrumentMachine,
  view: (context) => ({ ...context }),
  details: (state, context) =>
    [
      `**State:** ${state}`,
      `**Account:** ${context.accountId} · **Association:** ${context.associationId}`,
      context.tokenExpiresAt
        ? `**Token expires:** ${context.tokenExpiresAt} · **Refreshes:** ${context.refreshes}`
        : '',
      context.refusal ? `**Refused:** ${context.refusal}` : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
};

/**
 * One instrument of the tokenized form of payment: the association of a Google user
 * with an integrator account, holding its own Google Payment Token until the token expires; refreshes
 * extend it. Long-lived: it continues as new between steps to bound its history.
 */
export async function fopInstrument(input: FopInstrumentInput): Promise<{ state: string }> {
  const lifecycle = Lifecycle.create(
    definition,
    { associationId: input.associationId, accountId: input.accountId },
    input.resume?.chart,
  );
  const handover = RunHandover.of(lifecycle, LIFECYCLES.fopInstrument, input);
  // Set once the association's outcome is projected, so an answer is never ahead of the read model.
  let settled = Boolean(input.resume);

  setHandler(associateUpdate, associationOnceSettled);
  setHandler(refreshTokenUpdate, refresh);

  // Claim the token for this association; then refreshes as they come, until the token expires.
  if (!input.resume) await lifecycle.exclusive(associate);
  while (!lifecycle.done) {
    await handover.continueAsNewWhenDue(carryOver);
    await nextTransitionOrDeadline(lifecycle, {
      deadline: tokenExpiresAt(),
      atDeadline: expireIfDue,
      alsoWakeWhen: () => handover.due,
    });
  }
  await condition(allHandlersFinished);
  return { state: lifecycle.state };

  async function associate(): Promise<void> {
    const owner = await claims.claimGooglePaymentToken({
      gptHash: input.gptHash,
      associationId: input.associationId,
    });
    if (owner !== input.associationId) {
      await lifecycle.send({ type: 'REFUSED', reason: 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED' });
    } else {
      await lifecycle.send({ type: 'ASSOCIATED', tokenExpiresAt: newTokenExpiry() });
    }
    settled = true;
  }

  function carryOver(): FopInstrumentInput {
    return { ...input, resume: { chart: lifecycle.persist() } };
  }

  function tokenExpiresAt(): number {
    return Date.parse(lifecycle.context.tokenExpiresAt!);
  }

  function newTokenExpiry(): string {
    return new Date(Date.now() + input.tokenLifetimeMs).toISOString();
  }

  async function expireIfDue(): Promise<void> {
    const expired = { type: 'TOKEN_EXPIRED' } as const;
    if (lifecycle.accepts(expired) && Date.now() >= tokenExpiresAt()) await lifecycle.send(expired);
  }

  function sameAssociation(request: { accountId: string; gptHash: string }): boolean {
    return request.accountId === input.accountId && request.gptHash === input.gptHash;
  }

  async function associationOnceSettled(request: {
    accountId: string;
    gptHash: string;
  }): Promise<AssociateAnswer> {
    await condition(() => settled);
    if (!sameAssociation(request)) return { result: 'ASSOCIATION_ID_ALREADY_USED' };
    if (lifecycle.hasTag('tokenTaken')) return { result: 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED' };
    return {
      result: 'SUCCESS',
      accountId: input.accountId,
      tokenExpiresAt: lifecycle.context.tokenExpiresAt ?? undefined,
    };
  }

  /** Extends a live token; a token the chart no longer refreshes, or past its expiry, is closed. */
  function refresh(request: { accountId: string; gptHash: string }): Promise<RefreshAnswer> {
    return lifecycle.exclusive(async (): Promise<RefreshAnswer> => {
      if (request.gptHash !== input.gptHash) return { result: 'UNKNOWN_GOOGLE_PAYMENT_TOKEN' };
      if (request.accountId !== input.accountId) return { result: 'ACCOUNT_MISMATCH' };
      const refreshed = { type: 'REFRESHED', tokenExpiresAt: newTokenExpiry() } as const;
      if (!lifecycle.accepts(refreshed) || Date.now() >= tokenExpiresAt()) return { result: 'TOKEN_CLOSED' };
      await lifecycle.send(refreshed);
      return { result: 'SUCCESS', tokenExpiresAt: refreshed.tokenExpiresAt };
    });
  }
}
