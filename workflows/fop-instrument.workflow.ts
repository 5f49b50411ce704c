import { LIFECYCLES } from '@tlo/domain';
import {
  allHandlersFinished,
  condition,
  continueAsNew,
  proxyActivities,
  setHandler,
} from '@temporalio/workflow';
import { fopInstrumentMachine } from '@tlo/machines';
import type { Activities } from '../activities';
import {
  type AssociateAnswer,
  type FopInstrumentInput,
  type RefreshAnswer,
  associateUpdate,
  refreshTokenUpdate,
} from './fop-instrument.definitions';
import { nextTransitionOrDeadline } from './shared/deadline';
import { Lifecycle, type LifecycleDefinition } from './shared/lifecycle';

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
 * extend it. Long-lived: it continues as new between steps when Temporal suggests it.
 */
export async function fopInstrument(input: FopInstrumentInput): Promise<{ state: string }> {
  const lifecycle = Lifecycle.create(
    definition,
    { associationId: input.associationId, accountId: input.accountId },
    input.resume?.chart,
  );
  const sameAssociation = (request: { accountId: string; gptHash: string }) =>
    request.accountId === input.accountId && request.gptHash === input.gptHash;
  const shouldContinueAsNew = () => lifecycle.continueAsNewDue(input.maxTransitionsPerRun ?? 500);

  // Set once the association's outcome is projected, so an answer is never ahead of the read model.
  let settled = Boolean(input.resume);

  setHandler(associateUpdate, async (request): Promise<AssociateAnswer> => {
    await condition(() => settled);
    if (!sameAssociation(request)) return { result: 'ASSOCIATION_ID_ALREADY_USED' };
    if (lifecycle.state === 'refused') return { result: 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED' };
    return {
      result: 'SUCCESS',
      accountId: input.accountId,
      tokenExpiresAt: lifecycle.context.tokenExpiresAt ?? undefined,
    };
  });

  setHandler(refreshTokenUpdate, (request) =>
    lifecycle.exclusive(async (): Promise<RefreshAnswer> => {
      if (request.gptHash !== input.gptHash) return { result: 'UNKNOWN_GOOGLE_PAYMENT_TOKEN' };
      if (request.accountId !== input.accountId) return { result: 'ACCOUNT_MISMATCH' };
      if (lifecycle.state !== 'active' || Date.now() >= Date.parse(lifecycle.context.tokenExpiresAt!)) {
        return { result: 'TOKEN_CLOSED' };
      }
      const tokenExpiresAt = new Date(Date.now() + input.tokenLifetimeMs).toISOString();
      await lifecycle.send({ type: 'REFRESHED', tokenExpiresAt });
      return { result: 'SUCCESS', tokenExpiresAt };
    }),
  );

  if (!input.resume) {
    await lifecycle.exclusive(async () => {
      const owner = await claims.claimGooglePaymentToken({
        gptHash: input.gptHash,
        associationId: input.associationId,
      });
      if (owner !== input.associationId) {
        await lifecycle.send({ type: 'REFUSED', reason: 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED' });
      } else {
        const tokenExpiresAt = new Date(Date.now() + input.tokenLifetimeMs).toISOString();
        await lifecycle.send({ type: 'ASSOCIATED', tokenExpiresAt });
      }
      settled = true;
    });
  }

  while (!lifecycle.done) {
    if (shouldContinueAsNew()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof fopInstrument>({ ...input, resume: { chart: lifecycle.persist() } });
    }
    await nextTransitionOrDeadline(lifecycle, {
      deadline: Date.parse(lifecycle.context.tokenExpiresAt!),
      atDeadline: async () => {
        if (lifecycle.state === 'active' && Date.now() >= Date.parse(lifecycle.context.tokenExpiresAt!)) {
          await lifecycle.send({ type: 'TOKEN_EXPIRED' });
        }
      },
      alsoWakeWhen: shouldContinueAsNew,
    });
  }
  await condition(allHandlersFinished);
  return { state: lifecycle.state };
}
