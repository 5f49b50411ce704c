import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import type { AppConfig } from '@tlo/config';
import { type CardOtpLimits, manualProvisioningWorkflowId } from '@tlo/domain';
import { ManualProvisioningService } from '../../apps/api/src/manual-provisioning/manual-provisioning.service';
import { createActivities } from '../../activities';
import { wrongCodeFor } from '../support/codes';
import { apiRejection, lastCodeOf, yellowPathRequest } from '../support/manual-provisioning-service';
import { type WorkflowWorld, startWorkflowWorld } from '../support/workflow-world';

const DAY = 24 * 60 * 60_000;
/** The wallet's token service that makes (and so owns) the requests. */
const CALLER = 'wallet-app';

/**
 * The per-card limits over their rolling window. This file has a test server of its own: skipping a
 * day on a server shared with other tests' open lifecycles fires their timers and webhook retries
 * for a whole day, which took longer than the test's timeout under load.
 */
describe('per-card code limits across requests (time-skipping test server, real activities on FerretDB)', () => {
  let world: WorkflowWorld;
  let env: WorkflowWorld['env'];
  let deps: WorkflowWorld['deps'];
  let limited: Worker;
  let limitedRun: Promise<void>;
  let limitedService: ManualProvisioningService;

  beforeAll(async () => {
    world = await startWorkflowWorld('wf_card_limits');
    ({ env, deps } = world);
    // Small limits, so that two requests of one card reach them: 3 codes sent and 3 wrong codes per day.
    const limits: CardOtpLimits = {
      sends: { max: 3, windowMs: DAY },
      wrongGuesses: { max: 3, windowMs: DAY },
    };
    const taskQueue = `manual-limits-${randomUUID()}`;
    limited = await world.createWorker(taskQueue, createActivities({ ...deps, cardOtpLimits: limits }));
    limitedRun = limited.run();
    limitedService = new ManualProvisioningService(
      env.client,
      { temporal: { taskQueue }, otpHmacKey: deps.otpHmacKey } as AppConfig,
      deps.projections,
    );
  });
  // The worker stops in afterAll, so a failed test cannot leave it polling a stopped server.
  afterAll(async () => {
    limited?.shutdown();
    await limitedRun;
    await world?.stop();
  });

  const request = () => yellowPathRequest(deps.cards);
  const lastCode = (requestId: string) => lastCodeOf(deps.otpOutbox, requestId);
  const rejection = apiRejection;

  it('caps codes sent and wrong codes per card across its requests, over a rolling window', async () => {
    const card = await request();
    const first = await limitedService.requestDecision(CALLER, card);
    const second = await limitedService.requestDecision(CALLER, card);
    try {
      await limitedService.sendOtp(CALLER, first.requestId, 'sms');
      const wrong = wrongCodeFor(await lastCode(first.requestId));
      expect(await limitedService.verifyOtp(CALLER, first.requestId, wrong)).toEqual({
        result: 'INVALID_CODE',
        attemptsLeft: 2,
      });
      expect(await limitedService.verifyOtp(CALLER, first.requestId, wrong)).toEqual({
        result: 'INVALID_CODE',
        attemptsLeft: 1,
      });

      // The second request has its own 3 attempts, but the card has 1 wrong code left.
      await limitedService.sendOtp(CALLER, second.requestId, 'sms');
      const wrongAgain = wrongCodeFor(await lastCode(second.requestId));
      expect(await limitedService.verifyOtp(CALLER, second.requestId, wrongAgain)).toEqual({
        result: 'INVALID_CODE',
        attemptsLeft: 2,
      });
      expect(await limitedService.verifyOtp(CALLER, second.requestId, wrongAgain)).toEqual({
        result: 'LOCKED',
        attemptsLeft: 0,
      });
      const locked = await deps.projections.transitionsOf(manualProvisioningWorkflowId(second.requestId));
      expect(locked.map((t) => t.event).slice(-3)).toEqual([
        'OTP_REJECTED',
        'OTP_REJECTED',
        'CARD_GUESS_LIMIT_REACHED',
      ]);

      // Codes: the card's third is sent, the fourth refused on either request though each has sends left.
      await limitedService.sendOtp(CALLER, first.requestId, 'email');
      for (const requestId of [first.requestId, second.requestId]) {
        const refused = await rejection(limitedService.sendOtp(CALLER, requestId, 'sms'));
        expect(refused).toMatchObject({ status: 429, body: { code: 'CARD_SEND_LIMIT_REACHED' } });
        const retryAfter = (refused.body as { details: { retryAfterSeconds: number } }).details
          .retryAfterSeconds;
        expect(retryAfter).toBeGreaterThan(0);
        expect(retryAfter).toBeLessThanOrEqual(DAY / 1000);
      }
      expect(await deps.otpOutbox.count(first.requestId)).toBe(2);
      expect(await deps.otpOutbox.count(second.requestId)).toBe(1);

      // A day later the window has rolled: the card may be sent a code again, and be guessed again.
      // (The first request ends first: no timer of it fires, and no activity runs, while time skips.)
      await env.client.workflow
        .getHandle(manualProvisioningWorkflowId(first.requestId))
        .terminate('test done');
      await env.sleep(DAY);
      expect((await limitedService.sendOtp(CALLER, second.requestId, 'sms')).sendsLeft).toBe(1);
      const fresh = await lastCode(second.requestId);
      expect(await limitedService.verifyOtp(CALLER, second.requestId, wrongCodeFor(fresh))).toEqual({
        result: 'INVALID_CODE',
        attemptsLeft: 2,
      });
      expect(await limitedService.verifyOtp(CALLER, second.requestId, fresh)).toMatchObject({
        result: 'VERIFIED',
      });
    } finally {
      await world.terminate([first, second].map((r) => manualProvisioningWorkflowId(r.requestId)));
    }
  });
});
