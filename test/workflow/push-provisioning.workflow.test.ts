import { randomUUID } from 'node:crypto';
import { Client, WorkflowUpdateFailedError } from '@temporalio/client';
import type { AppConfig } from '@tlo/config';
import { pushProvisioningWorkflowId } from '@tlo/domain';
import type { CardRepository, PartnerEventRepository, ProjectionRepository } from '@tlo/persistence';
import { runLimitInterceptor } from '../../apps/api/src/core/run-limit';
import { PushProvisioningService } from '../../apps/api/src/push-provisioning/push-provisioning.service';
import { ApiError } from '../../apps/api/src/http/api-error';
import { pushProvisioningStateQuery, walletEventUpdate } from '@tlo/workflows';
import { TEST_PAN, newCard } from '../support/cards';
import { eventually } from '../support/eventually';
import { openWalletData } from '../support/node-envelope';
import { type WorkflowWorld, startWorkflowWorld } from '../support/workflow-world';

const WALLET_TIMEOUT_MS = 24 * 3600 * 1000;

describe('push provisioning workflow (time-skipping test server, real activities on FerretDB)', () => {
  let world: WorkflowWorld;
  let env: WorkflowWorld['env'];
  let receiver: WorkflowWorld['receiver'];
  let cards: CardRepository;
  let projections: ProjectionRepository;
  let partnerEvents: PartnerEventRepository;
  let providerPrivateKey: Uint8Array;

  beforeAll(async () => {
    world = await startWorkflowWorld('wf_push');
    ({ env, receiver } = world);
    ({ cards, projections, partnerEvents } = world.deps);
    providerPrivateKey = world.googlePayProviderPrivateKey;
  });

  afterAll(async () => {
    await world?.stop();
  });

  /**
   * Runs `body` with a real worker on its own task queue; `maxTransitionsPerRun` reaches the workflow
   * as `MAX_TRANSITIONS_PER_RUN` does in the API, through the client's run-limit interceptor.
   */
  async function withWorker<T>(
    body: (service: PushProvisioningService) => Promise<T>,
    maxTransitionsPerRun?: number,
  ): Promise<T> {
    const taskQueue = `push-${randomUUID()}`;
    const worker = await world.createWorker(taskQueue);
    const config = {
      temporal: { taskQueue },
      pushProvisioning: { walletActivationTimeoutMs: WALLET_TIMEOUT_MS },
    } as AppConfig;
    const client = new Client({
      connection: env.connection,
      namespace: env.namespace,
      dataConverter: world.dataConverter,
      interceptors: { workflow: [runLimitInterceptor(maxTransitionsPerRun)] },
    });
    return worker.runUntil(body(new PushProvisioningService(client, config)));
  }

  const walletEvent = (
    proxy: string,
    eventType: 'TOKEN_ACTIVATED' | 'TOKEN_DELETED',
    tokenReferenceId: string,
  ) =>
    env.client.workflow
      .getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'))
      .executeUpdate(walletEventUpdate, { args: [{ eventType, tokenReferenceId }] });

  it('issues a GooglePay payload, follows the token to removal and tells the partner each time', async () => {
    const { proxy } = await cards.create(newCard());
    await withWorker(async (service) => {
      const payload = await service.requestPayload(proxy, 'GooglePay', 'req-1');
      expect(payload).toMatchObject({ lastFourDigits: '4444', phoneNumber: '23415162342' });
      expect(openWalletData(payload.data, Buffer.from(providerPrivateKey)).card).toMatchObject({
        accountNumber: TEST_PAN,
        expiryMonth: '12',
        expiryYear: '2030',
      });

      expect(await walletEvent(proxy, 'TOKEN_ACTIVATED', 'tok-1')).toEqual({ state: 'active' });
      expect(await walletEvent(proxy, 'TOKEN_DELETED', 'tok-1')).toEqual({ state: 'removed' });
      const handle = env.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
      expect(await handle.result()).toMatchObject({ state: 'removed', activeTokens: [], payloadsIssued: 1 });
    });

    const delivered = receiver.delivered().filter((w) => w.body.proxy === proxy);
    expect(delivered.map((w) => [w.body.name, w.body.tokenReferenceId, w.signatureValid])).toEqual([
      ['CARD_WAS_ADDED_TO_WALLET', 'tok-1', true],
      ['CARD_WAS_REMOVED_FROM_WALLET', 'tok-1', true],
    ]);
    const workflowId = pushProvisioningWorkflowId(proxy, 'GooglePay');
    expect(
      (await projections.transitionsOf(workflowId)).map((t) => `${t.seq}:${t.from}>${t.event}>${t.to}`),
    ).toEqual([
      '1:>STARTED>idle',
      '2:idle>PAYLOAD_REQUESTED>checkingCard',
      '3:checkingCard>CARD_ELIGIBLE>issuingPayload',
      '4:issuingPayload>PAYLOAD_ISSUED>awaitingWallet',
      '5:awaitingWallet>TOKEN_ACTIVATED>active',
      '6:active>TOKEN_DELETED>removed',
    ]);
    expect(await projections.find(workflowId)).toMatchObject({ state: 'removed', version: 6 });
  });

  it('abandons the provisioning when the wallet stays silent past the timeout (a Temporal timer)', async () => {
    const { proxy } = await cards.create(newCard());
    await withWorker(async (service) => {
      await service.requestPayload(proxy, 'GooglePay', 'req-1');
      const handle = env.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
      const before = await env.currentTimeMs();
      expect(await handle.result()).toMatchObject({ state: 'abandoned' });
      expect((await env.currentTimeMs()) - before).toBeGreaterThanOrEqual(WALLET_TIMEOUT_MS);
    });
  });

  it.each([
    ['an unknown card', null, 404, '002', 'Card Not Found'],
    ['a card being created', 'CREATING' as const, 409, '029', 'The card is in the process of being created'],
    ['a blocked card', 'BLOCKED' as const, 422, 'CARD_NOT_ACTIVE', 'The card is not active'],
  ])(
    'refuses %s with the contract error and ends rejected',
    async (_name, status, httpStatus, code, message) => {
      const proxy = status ? (await cards.create(newCard({ status }))).proxy : `missing${Date.now()}`;
      await withWorker(async (service) => {
        const error = await service.requestPayload(proxy, 'GooglePay', 'req-1').catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ApiError);
        expect((error as ApiError).getStatus()).toBe(httpStatus);
        expect((error as ApiError).getResponse()).toEqual({ code, message });
        const handle = env.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
        expect(await handle.result()).toMatchObject({ state: 'rejected' });
      });
    },
  );

  it('rejects an event the chart refuses and changes nothing', async () => {
    const { proxy } = await cards.create(newCard());
    await withWorker(async (service) => {
      await service.requestPayload(proxy, 'GooglePay', 'req-1');
      const handle = env.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
      const before = await handle.query(pushProvisioningStateQuery);
      const error = await walletEvent(proxy, 'TOKEN_DELETED', 'tok-never-activated').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
      expect((error as WorkflowUpdateFailedError).cause).toMatchObject({ type: 'IllegalTransition' });
      expect(await handle.query(pushProvisioningStateQuery)).toEqual(before);
      expect(before).toMatchObject({ state: 'awaitingWallet', seq: 4 });
      expect(await projections.find(handle.workflowId)).toMatchObject({
        version: 4,
        state: 'awaitingWallet',
      });
      await handle.terminate('test done');
    });
  });

  it("carries the chart's reason into a refusal: the guard that refused, or an event the state does not take", async () => {
    const { proxy } = await cards.create(newCard());
    await withWorker(async (service) => {
      await service.requestPayload(proxy, 'GooglePay', 'req-1');
      const handle = env.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
      const refusal = async (eventType: 'TOKEN_ACTIVATED' | 'TOKEN_DELETED', token: string) => {
        const error = await walletEvent(proxy, eventType, token).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(WorkflowUpdateFailedError);
        return (error as WorkflowUpdateFailedError).cause;
      };
      expect(await refusal('TOKEN_DELETED', 'tok-1')).toMatchObject({
        type: 'IllegalTransition',
        details: [
          {
            state: 'awaitingWallet',
            event: 'TOKEN_DELETED',
            reason: 'notAccepted',
            accepted: ['PAYLOAD_REQUESTED', 'TOKEN_ACTIVATED', 'WALLET_TIMEOUT'],
          },
        ],
      });
      await walletEvent(proxy, 'TOKEN_ACTIVATED', 'tok-1');
      expect(await refusal('TOKEN_DELETED', 'tok-unknown')).toMatchObject({
        type: 'IllegalTransition',
        details: [{ state: 'active', event: 'TOKEN_DELETED', reason: 'isLastActiveToken' }],
      });
      await handle.terminate('test done');
    });
  });

  it('serialises concurrent payload requests: transitions never interleave', async () => {
    const { proxy } = await cards.create(newCard());
    await withWorker(async (service) => {
      const payloads = await Promise.all([
        service.requestPayload(proxy, 'GooglePay', 'a'),
        service.requestPayload(proxy, 'GooglePay', 'b'),
        service.requestPayload(proxy, 'GooglePay', 'c'),
      ]);
      expect(new Set(payloads.map((p) => p.data)).size).toBe(3);
      const handle = env.client.workflow.getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'));
      expect(await handle.query(pushProvisioningStateQuery)).toMatchObject({
        payloadsIssued: 3,
        state: 'awaitingWallet',
      });
      const events = (await projections.transitionsOf(handle.workflowId)).map((t) => t.event);
      expect(events).toEqual([
        'STARTED',
        ...Array(3).fill(['PAYLOAD_REQUESTED', 'CARD_ELIGIBLE', 'PAYLOAD_ISSUED']).flat(),
      ]);
      await handle.terminate('test done');
    });
  });

  it('retries the partner webhook with backoff until it answers 2xx', async () => {
    const { proxy } = await cards.create(newCard());
    await withWorker(async (service) => {
      await service.requestPayload(proxy, 'GooglePay', 'req-1');
      receiver.failFirst = 2;
      await walletEvent(proxy, 'TOKEN_ACTIVATED', 'tok-9');
      await receiver.waitFor((delivered) => delivered.some((w) => w.body.proxy === proxy));
      const attempts = receiver.received.filter((w) => w.body.proxy === proxy);
      expect(attempts.map((w) => w.status)).toEqual([500, 500, 200]);
      expect(new Set(attempts.map((w) => w.body.eventId)).size).toBe(1);
      await eventually(async () => {
        const [record] = await partnerEvents.listForProxy(proxy);
        expect(record).toMatchObject({ name: 'CARD_WAS_ADDED_TO_WALLET', attempts: 3, lastStatus: 200 });
      });
      await env.client.workflow
        .getHandle(pushProvisioningWorkflowId(proxy, 'GooglePay'))
        .terminate('test done');
    });
  });

  it('starts a new run for the same card and wallet after the previous one ended, continuing the numbering', async () => {
    const { proxy } = await cards.create(newCard());
    const workflowId = pushProvisioningWorkflowId(proxy, 'GooglePay');
    await withWorker(async (service) => {
      await service.requestPayload(proxy, 'GooglePay', 'first');
      await walletEvent(proxy, 'TOKEN_ACTIVATED', 'tok-1');
      await walletEvent(proxy, 'TOKEN_DELETED', 'tok-1');
      await env.client.workflow.getHandle(workflowId).result();
      await service.requestPayload(proxy, 'GooglePay', 'second');
      expect(await env.client.workflow.getHandle(workflowId).query(pushProvisioningStateQuery)).toMatchObject(
        {
          state: 'awaitingWallet',
          seq: 10,
        },
      );
      await env.client.workflow.getHandle(workflowId).terminate('test done');
    });
    const transitions = await projections.transitionsOf(workflowId);
    expect(transitions.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(transitions[6]).toMatchObject({ event: 'STARTED', to: 'idle' });
    expect(await projections.find(workflowId)).toMatchObject({ version: 10, state: 'awaitingWallet' });
  });

  it('continues as new when a run is long, carrying the chart, tokens and numbering', async () => {
    const { proxy } = await cards.create(newCard());
    const workflowId = pushProvisioningWorkflowId(proxy, 'GooglePay');
    await withWorker(async (service) => {
      await service.requestPayload(proxy, 'GooglePay', 'req-1');
      const firstRunId = (await env.client.workflow.getHandle(workflowId).describe()).runId;
      await walletEvent(proxy, 'TOKEN_ACTIVATED', 'tok-1'); // 4th transition of the run: continue as new
      await eventually(async () => {
        expect((await env.client.workflow.getHandle(workflowId).describe()).runId).not.toBe(firstRunId);
      });
      const resumed = env.client.workflow.getHandle(workflowId);
      expect(await resumed.query(pushProvisioningStateQuery)).toMatchObject({
        state: 'active',
        activeTokens: ['tok-1'],
        seq: 5,
      });
      expect(await walletEvent(proxy, 'TOKEN_DELETED', 'tok-1')).toEqual({ state: 'removed' });
      expect(await resumed.result()).toMatchObject({ state: 'removed', seq: 6 });
    }, 4);
    expect((await projections.transitionsOf(workflowId)).map((t) => t.seq)).toEqual([1, 2, 3, 4, 5, 6]);
    await receiver.waitFor((d) => d.filter((w) => w.body.proxy === proxy).length === 2);
  });

  it('keeps the wallet deadline across continue-as-new (the timer is not reset)', async () => {
    const { proxy } = await cards.create(newCard());
    const workflowId = pushProvisioningWorkflowId(proxy, 'GooglePay');
    await withWorker(async (service) => {
      await service.requestPayload(proxy, 'GooglePay', 'req-1'); // 3 transitions: continue as new in awaitingWallet
      const handle = env.client.workflow.getHandle(workflowId);
      const timerMs = await eventually(async () => {
        const history = await handle.fetchHistory(); // the latest run
        expect(
          history.events![0].workflowExecutionStartedEventAttributes!.continuedExecutionRunId,
        ).toBeTruthy();
        const timer = history.events!.find(
          (e) => e.timerStartedEventAttributes,
        )!.timerStartedEventAttributes!;
        return (
          Number(timer.startToFireTimeout!.seconds) * 1000 +
          Math.round((timer.startToFireTimeout!.nanos ?? 0) / 1e6)
        );
      });
      const view = await handle.query(pushProvisioningStateQuery);
      expect(view).toMatchObject({ state: 'awaitingWallet', seq: 4, payloadsIssued: 1 });
      const issuedAt = Date.parse(
        (await projections.transitionsOf(workflowId)).find((t) => t.event === 'PAYLOAD_ISSUED')!.at,
      );
      // The deadline was carried over, not restarted: the new run only waits for what is left of it.
      expect(Math.abs(Date.parse(view.walletDeadline!) - (issuedAt + WALLET_TIMEOUT_MS))).toBeLessThan(1000);
      expect(timerMs).toBeLessThanOrEqual(WALLET_TIMEOUT_MS);
      expect(timerMs).toBeGreaterThan(WALLET_TIMEOUT_MS - 60_000);
      await handle.terminate('test done');
    }, 3);
  });
});
