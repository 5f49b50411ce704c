import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import type { AppConfig } from '@tlo/config';
import { KeyRing } from '@tlo/crypto';
import { manualProvisioningWorkflowId } from '@tlo/domain';
import { EncryptionCodec } from '@tlo/temporal';
import { ApiError } from '../../apps/api/src/http/api-error';
import {
  type NewTokenizationRequest,
  ManualProvisioningService,
} from '../../apps/api/src/manual-provisioning/manual-provisioning.service';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { newCard } from '../support/cards';
import { eventually } from '../support/eventually';
import { decodedHistoryJson, rawHistoryJson } from '../support/histories';
import { dumpDatabase } from '../support/mongo';
import { type WorkflowWorld, startWorkflowWorld } from '../support/workflow-world';
import { wrongCodeFor } from '../support/codes';
import { apiRejection, lastCodeOf, yellowPathRequest } from '../support/manual-provisioning-service';

const MINUTE = 60_000;
/** The wallet's token service that makes (and so owns) the requests. */
const CALLER = 'wallet-app';
const DAY = 24 * 60 * MINUTE;

describe('manual provisioning, yellow path (time-skipping test server, real activities on FerretDB)', () => {
  let world: WorkflowWorld;
  let env: WorkflowWorld['env'];
  let deps: WorkflowWorld['deps'];
  let receiver: WorkflowWorld['receiver'];
  let worker: Worker;
  let running: Promise<void>;
  let service: ManualProvisioningService;

  beforeAll(async () => {
    world = await startWorkflowWorld('wf_manual');
    ({ env, deps, receiver } = world);
    // One worker for the file: yellow paths left open by a test keep firing timers while later tests
    // skip time, and their activities need a live worker or the server stops skipping.
    const taskQueue = `manual-${randomUUID()}`;
    worker = await world.createWorker(taskQueue);
    running = worker.run();
    const config = {
      temporal: { taskQueue },
      otpHmacKey: deps.otpHmacKey,
    } as AppConfig;
    service = new ManualProvisioningService(env.client, config, deps.projections);
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await world?.stop();
  });

  const request = (overrides: Partial<NewTokenizationRequest> = {}) =>
    yellowPathRequest(deps.cards, overrides);
  const lastCode = (requestId: string) => lastCodeOf(deps.otpOutbox, requestId);
  const result = (requestId: string) =>
    env.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).result();
  const rejection = apiRejection;
  const partnerEventsFor = (requestId: string) =>
    receiver.delivered().filter((w) => w.body.tokenReferenceId === requestId);

  it('GREEN activates at once and tells the partner', async () => {
    const answer = await service.requestDecision(CALLER, await request({ walletRiskScore: 10 }));
    expect(answer).toEqual({ requestId: answer.requestId, decision: 'GREEN' });
    expect(await result(answer.requestId)).toEqual({ state: 'active' });
    await eventually(async () => expect(partnerEventsFor(answer.requestId)).toHaveLength(1));
    expect(partnerEventsFor(answer.requestId)[0]).toMatchObject({
      signatureValid: true,
      body: { name: 'CARD_WAS_ADDED_TO_WALLET' },
    });
  });

  it('RED declines (risk, or a card that is missing or not ACTIVE)', async () => {
    const risky = await service.requestDecision(CALLER, await request({ walletRiskScore: 85 }));
    expect(risky.decision).toBe('RED');
    expect(await result(risky.requestId)).toEqual({ state: 'declined' });
    const missing = await service.requestDecision(CALLER, { ...(await request()), proxy: 'nosuchcard' });
    expect(missing.decision).toBe('RED');
    const blocked = (await deps.cards.create(newCard({ status: 'BLOCKED' }))).proxy;
    expect((await service.requestDecision(CALLER, { ...(await request()), proxy: blocked })).decision).toBe(
      'RED',
    );
    expect(partnerEventsFor(risky.requestId)).toHaveLength(0);
  });

  it('YELLOW → code by SMS → VERIFIED activates, and the code appears nowhere in clear', async () => {
    const answer = await service.requestDecision(
      CALLER,
      await request({ walletRiskScore: 10, deviceNewToAccount: true }),
    );
    expect(answer).toMatchObject({
      decision: 'YELLOW',
      methods: [
        { id: 'sms', channel: 'SMS', target: '*******2342' },
        { id: 'email', channel: 'EMAIL', target: 'm***@example.com' },
      ],
    });
    const sent = await service.sendOtp(CALLER, answer.requestId, 'sms');
    expect(sent).toMatchObject({ methodId: 'sms', channel: 'SMS', sendsLeft: 2 });
    const message = (await deps.otpOutbox.latest(answer.requestId))!;
    expect(message).toMatchObject({ channel: 'SMS', recipient: '23415162342' });
    const code = await lastCode(answer.requestId);
    expect(await service.verifyOtp(CALLER, answer.requestId, code)).toEqual({
      result: 'VERIFIED',
      attemptsLeft: 3,
    });
    expect(await result(answer.requestId)).toEqual({ state: 'active' });
    await eventually(async () => expect(partnerEventsFor(answer.requestId)).toHaveLength(1));

    const workflowId = manualProvisioningWorkflowId(answer.requestId);
    const codec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));
    for (const history of [
      await rawHistoryJson(env.client, workflowId),
      await decodedHistoryJson(env.client, workflowId, codec),
    ]) {
      expect(history).not.toContain(`"${code}"`);
      expect(history).not.toContain(`is ${code}`);
    }
    const database = await dumpDatabase(world.mongo);
    expect(database).not.toContain(code);
    expect(database).toContain('*******2342');
  });

  it('locks after 3 wrong codes; even the right code is then LOCKED', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    await service.sendOtp(CALLER, requestId, 'email');
    const code = await lastCode(requestId);
    const wrong = wrongCodeFor(code);
    expect(await service.verifyOtp(CALLER, requestId, wrong)).toEqual({
      result: 'INVALID_CODE',
      attemptsLeft: 2,
    });
    expect(await service.verifyOtp(CALLER, requestId, wrong)).toEqual({
      result: 'INVALID_CODE',
      attemptsLeft: 1,
    });
    expect(await service.verifyOtp(CALLER, requestId, wrong)).toEqual({ result: 'LOCKED', attemptsLeft: 0 });
    expect(await service.verifyOtp(CALLER, requestId, code)).toEqual({ result: 'LOCKED', attemptsLeft: 0 });
    const projection = await deps.projections.find(manualProvisioningWorkflowId(requestId));
    expect(projection).toMatchObject({ state: 'locked', view: { wrongAttempts: 3, sends: 1 } });
    await env.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).terminate('test done');
  });

  it('expiry → EXPIRED even for the right code → resend → VERIFIED', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    await service.sendOtp(CALLER, requestId, 'sms');
    const expired = await lastCode(requestId);
    await env.sleep(11 * MINUTE);
    expect(await service.verifyOtp(CALLER, requestId, expired)).toMatchObject({ result: 'EXPIRED' });
    const resent = await service.sendOtp(CALLER, requestId, 'sms');
    expect(resent.sendsLeft).toBe(1);
    const fresh = await lastCode(requestId);
    expect(await service.verifyOtp(CALLER, requestId, fresh)).toEqual({
      result: 'VERIFIED',
      attemptsLeft: 3,
    });
    expect(await result(requestId)).toEqual({ state: 'active' });
    const events = (await deps.projections.transitionsOf(manualProvisioningWorkflowId(requestId))).map(
      (t) => t.event,
    );
    expect(events).toEqual(['STARTED', 'DECIDED', 'OTP_SENT', 'OTP_EXPIRED', 'OTP_SENT', 'OTP_VERIFIED']);
  });

  it('a resend voids the previous code', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    await service.sendOtp(CALLER, requestId, 'sms');
    const first = await lastCode(requestId);
    await service.sendOtp(CALLER, requestId, 'email');
    const second = await lastCode(requestId);
    if (first !== second) {
      expect(await service.verifyOtp(CALLER, requestId, first)).toEqual({
        result: 'INVALID_CODE',
        attemptsLeft: 2,
      });
    }
    expect(await service.verifyOtp(CALLER, requestId, second)).toMatchObject({ result: 'VERIFIED' });
  });

  it('refuses a send beyond the limit with 409 SEND_LIMIT_REACHED', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    for (const left of [2, 1, 0])
      expect((await service.sendOtp(CALLER, requestId, 'sms')).sendsLeft).toBe(left);
    expect(await rejection(service.sendOtp(CALLER, requestId, 'sms'))).toMatchObject({
      status: 409,
      body: { code: 'SEND_LIMIT_REACHED' },
    });
    expect(await deps.otpOutbox.count(requestId)).toBe(3);
    await env.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).terminate('test done');
  });

  it("ends a pending yellow path by itself: 30 days by default, the program's time when configured", async () => {
    const byDefault = await service.requestDecision(CALLER, await request());
    const projection = await deps.projections.find<{ yellowPathExpiresAt: string }>(
      manualProvisioningWorkflowId(byDefault.requestId),
    );
    const decidedAt = Date.parse(projection!.lastTransitionAt);
    expect(Date.parse(projection!.view.yellowPathExpiresAt) - decidedAt).toBe(30 * DAY);
    expect(await result(byDefault.requestId)).toEqual({ state: 'expired' });
    const ended = await deps.projections.find(manualProvisioningWorkflowId(byDefault.requestId));
    expect(ended).toMatchObject({ state: 'expired' });
    expect(Date.parse(ended!.lastTransitionAt) - decidedAt).toBeGreaterThanOrEqual(30 * DAY);
    expect(Date.parse(ended!.lastTransitionAt) - decidedAt).toBeLessThan(30 * DAY + MINUTE);

    await deps.programs.put('one-hour', { yellowPathTtlSeconds: 3600 });
    const card = await deps.cards.create(newCard({ programId: 'one-hour' }));
    const { requestId } = await service.requestDecision(CALLER, { ...(await request()), proxy: card.proxy });
    await service.sendOtp(CALLER, requestId, 'sms');
    // Awaiting the result lets the server skip time: the code's 10-minute timer fires, then the yellow path's.
    expect(await result(requestId)).toEqual({ state: 'expired' });
    expect(await deps.projections.find(manualProvisioningWorkflowId(requestId))).toMatchObject({
      state: 'expired',
    });
    const transitions = await deps.projections.transitionsOf(manualProvisioningWorkflowId(requestId));
    expect(transitions.map((t) => t.event)).toEqual([
      'STARTED',
      'DECIDED',
      'OTP_SENT',
      'OTP_EXPIRED',
      'YELLOW_PATH_EXPIRED',
    ]);
    const elapsed = Date.parse(transitions[4].at) - Date.parse(transitions[1].at);
    expect(elapsed).toBeGreaterThanOrEqual(60 * MINUTE);
    expect(elapsed).toBeLessThan(61 * MINUTE);
  });

  it('support activates a locked yellow path', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    await service.sendOtp(CALLER, requestId, 'sms');
    const wrong = wrongCodeFor(await lastCode(requestId));
    for (let i = 0; i < 3; i++) await service.verifyOtp(CALLER, requestId, wrong);
    expect(await service.activateBySupport(requestId, 'agent-7', 'Cardholder called the bank')).toEqual({
      state: 'active',
    });
    expect(await result(requestId)).toEqual({ state: 'active' });
    expect(await deps.projections.find(manualProvisioningWorkflowId(requestId))).toMatchObject({
      view: { activatedBy: 'SUPPORT', support: { agentId: 'agent-7' } },
    });
    await eventually(async () => expect(partnerEventsFor(requestId)).toHaveLength(1));
  });

  it('rejects illegal events and unknown methods, changing nothing', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    expect(await rejection(service.verifyOtp(CALLER, requestId, '123456'))).toMatchObject({
      status: 409,
      body: { code: 'ILLEGAL_TRANSITION', details: { state: 'awaitingMethod' } },
    });
    expect(await rejection(service.sendOtp(CALLER, requestId, 'fax'))).toMatchObject({
      status: 400,
      body: { field: 'methodId' },
    });
    expect(await deps.projections.find(manualProvisioningWorkflowId(requestId))).toMatchObject({
      state: 'awaitingMethod',
      version: 2,
    });
    const declined = await service.requestDecision(CALLER, await request({ walletRiskScore: 99 }));
    await result(declined.requestId);
    const afterEnd = await rejection(service.activateBySupport(declined.requestId, 'agent-1', 'too late'));
    expect(afterEnd.status).toBeGreaterThanOrEqual(400);
    expect(afterEnd.status).toBeLessThan(500);
    await env.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).terminate('test done');
  });

  it('serialises concurrent verifications: one right code cannot succeed twice', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    await service.sendOtp(CALLER, requestId, 'sms');
    const code = await lastCode(requestId);
    const outcomes = await Promise.allSettled(
      [1, 2, 3].map(() => service.verifyOtp(CALLER, requestId, code)),
    );
    const verified = outcomes.filter((o) => o.status === 'fulfilled' && o.value.result === 'VERIFIED');
    expect(verified).toHaveLength(1);
    for (const outcome of outcomes.filter((o) => o.status === 'rejected')) {
      expect((outcome as PromiseRejectedResult).reason.getStatus()).toBe(409);
    }
    const events = (await deps.projections.transitionsOf(manualProvisioningWorkflowId(requestId))).map(
      (t) => t.event,
    );
    expect(events.filter((e) => e === 'OTP_VERIFIED')).toHaveLength(1);
  });

  it('answers every one of concurrent sends past the limit with SEND_LIMIT_REACHED, never another code', async () => {
    const { requestId } = await service.requestDecision(CALLER, await request());
    const outcomes = await Promise.allSettled(
      Array.from({ length: 11 }, () => service.sendOtp(CALLER, requestId, 'sms')),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(3);
    const refused = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as ApiError] : []));
    expect(
      refused.map((error) => [error.getStatus(), (error.getResponse() as { code: string }).code]),
    ).toEqual(Array.from({ length: 8 }, () => [409, 'SEND_LIMIT_REACHED']));
    expect(await deps.otpOutbox.count(requestId)).toBe(3);
    await env.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).terminate('test done');
  });
});
