import { randomBytes, randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import type { AppConfig } from '@tlo/config';
import { FOP_DEFAULTS, fopAuthenticationWorkflowId, fopInstrumentWorkflowId } from '@tlo/domain';
import { googlePaymentTokenHash } from '@tlo/persistence';
import { ApiError } from '../../apps/api/src/http/api-error';
import { TokenizedFopService } from '../../apps/api/src/tokenized-fop/tokenized-fop.service';
import { associateUpdate, refreshTokenUpdate, type fopInstrument } from '@tlo/workflows';
import { type WorkflowWorld, startWorkflowWorld } from '../support/workflow-world';
import { wrongCodeFor } from '../support/codes';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe('tokenized form of payment (time-skipping test server, real activities on FerretDB)', () => {
  let world: WorkflowWorld;
  let worker: Worker;
  let running: Promise<void>;
  let fop: TokenizedFopService;
  let taskQueue: string;

  beforeAll(async () => {
    world = await startWorkflowWorld('wf_fop');
    taskQueue = `fop-${randomUUID()}`;
    worker = await world.createWorker(taskQueue);
    running = worker.run();
    const config = {
      temporal: { taskQueue },
      otpHmacKey: world.deps.otpHmacKey,
    } as AppConfig;
    fop = new TokenizedFopService(
      world.env.client,
      config,
      world.deps.fopAccounts,
      world.deps.tokenClaims,
      world.deps.projections,
    );
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await world?.stop();
  });

  const newAccount = async () => {
    const accountId = `acct-${randomUUID().slice(0, 8)}`;
    const phoneNumber = `+55119${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
    await world.deps.fopAccounts.create({
      accountId,
      phoneNumber,
      username: accountId,
      password: 'pass-word-1',
    });
    return { accountId, phoneNumber, username: accountId, password: 'pass-word-1' };
  };
  const gpt = () => randomBytes(24).toString('base64url');
  const smsCode = async (requestId: string) => {
    const message = (await world.deps.otpOutbox.latest(requestId))!;
    return { code: /^(\d{6}) /.exec(message.text)![1], message };
  };
  /** An authentication completed by SMS: the sendOtp requestId is the proof. */
  const authenticatedBySms = async (phoneNumber: string) => {
    const requestId = randomUUID();
    expect(await fop.sendOtp(requestId, phoneNumber, 'G-MATCH')).toEqual({ result: 'SUCCESS' });
    expect(await fop.verifyOtp(requestId, (await smsCode(requestId)).code)).toEqual({ result: 'SUCCESS' });
    return requestId;
  };
  const authenticatedByRedirect = async (account: { username: string; password: string }) => {
    const requestId = randomUUID();
    expect(await fop.signInByRedirect(requestId, account.username, account.password)).toBe('AUTHENTICATED');
    return requestId;
  };
  const result = (workflowId: string) => world.env.client.workflow.getHandle(workflowId).result();

  it('authenticates by SMS: the text carries the code and the matching token; the code works once', async () => {
    const account = await newAccount();
    const requestId = randomUUID();
    expect(await fop.sendOtp(requestId, account.phoneNumber, 'G-7Q2M')).toEqual({ result: 'SUCCESS' });
    const { code, message } = await smsCode(requestId);
    expect(message).toMatchObject({ channel: 'SMS', recipient: account.phoneNumber });
    expect(message.text).toContain('G-7Q2M');
    expect(await fop.verifyOtp(requestId, wrongCodeFor(code))).toEqual({ result: 'OTP_NOT_MATCHED' });
    expect(await fop.verifyOtp(requestId, code)).toEqual({ result: 'SUCCESS' });
    expect(await fop.verifyOtp(requestId, code)).toEqual({ result: 'OTP_ALREADY_USED' });
    expect(await fop.sendOtp(randomUUID(), '+15550000000', 'G-1')).toEqual({
      result: 'PHONE_NUMBER_NOT_ASSOCIATED_WITH_ACCOUNT',
    });
  });

  it('locks after 3 wrong codes and expires an unused code (a Temporal timer)', async () => {
    const account = await newAccount();
    const locked = randomUUID();
    await fop.sendOtp(locked, account.phoneNumber, 'G-1');
    const { code } = await smsCode(locked);
    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await fop.verifyOtp(locked, wrongCodeFor(code))).result);
    expect(answers).toEqual(['OTP_NOT_MATCHED', 'OTP_NOT_MATCHED', 'OTP_LIMIT_REACHED']);
    expect(await fop.verifyOtp(locked, code)).toEqual({ result: 'OTP_LIMIT_REACHED' });

    const expiring = randomUUID();
    await fop.sendOtp(expiring, account.phoneNumber, 'G-2');
    const late = (await smsCode(expiring)).code;
    expect(await result(fopAuthenticationWorkflowId(expiring))).toEqual({ state: 'expired' });
    expect(await fop.verifyOtp(expiring, late)).toEqual({ result: 'OTP_EXPIRED' });
    const session = await world.deps.projections.find<{ codeExpiresAt: string }>(
      fopAuthenticationWorkflowId(expiring),
    );
    expect(Date.parse(session!.lastTransitionAt) - Date.parse(session!.view.codeExpiresAt)).toBeLessThan(
      MINUTE,
    );
  });

  it('takes no code for a redirect session, and the proof once verified answers every later code as used', async () => {
    const account = await newAccount();
    const redirected = await authenticatedByRedirect(account);
    const error = await fop.verifyOtp(redirected, '123456').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect([(error as ApiError).getStatus(), (error as ApiError).getResponse()]).toMatchObject([
      400,
      { code: 'NOT_AN_SMS_AUTHENTICATION', field: 'sendOtpRequestId' },
    ]);
    const bySms = await authenticatedBySms(account.phoneNumber);
    const { code } = await smsCode(bySms);
    expect(await fop.verifyOtp(bySms, wrongCodeFor(code))).toEqual({ result: 'OTP_ALREADY_USED' });
    expect((await fop.associateAccount(bySms, 'a-' + randomUUID(), gpt())).result).toBe('SUCCESS');
    expect(await fop.verifyOtp(bySms, code)).toEqual({ result: 'OTP_ALREADY_USED' });
  });

  it('associates an instrument with its own GPT, and answers a repeat of the same association the same', async () => {
    const account = await newAccount();
    const auth = await authenticatedBySms(account.phoneNumber);
    const token = gpt();
    const associated = await fop.associateAccount(auth, 'assoc-' + randomUUID(), token);
    expect(associated).toEqual({
      result: 'SUCCESS',
      accountId: account.accountId,
      tokenExpirationTime: expect.stringMatching(/^\d{13}$/),
    });
    const lifetime = Number(associated.tokenExpirationTime) - (await world.env.currentTimeMs());
    expect(lifetime).toBeGreaterThan(365 * DAY);
    expect(lifetime).toBeLessThanOrEqual(FOP_DEFAULTS.tokenLifetimeMs);
  });

  it('refuses every bad association: unknown, incomplete, used or expired proof, reused association or GPT', async () => {
    const account = await newAccount();
    expect(await fop.associateAccount('never-authenticated', 'a-' + randomUUID(), gpt())).toEqual({
      result: 'UNKNOWN_AUTHENTICATION',
    });

    const pending = randomUUID();
    await fop.sendOtp(pending, account.phoneNumber, 'G-1');
    expect(await fop.associateAccount(pending, 'a-' + randomUUID(), gpt())).toEqual({
      result: 'AUTHENTICATION_NOT_COMPLETED',
    });

    const first = await authenticatedByRedirect(account);
    const associationId = 'a-' + randomUUID();
    const token = gpt();
    expect((await fop.associateAccount(first, associationId, token)).result).toBe('SUCCESS');
    // The same association again (Google retrying with a new requestId): the same answer.
    expect((await fop.associateAccount(first, associationId, token)).result).toBe('SUCCESS');
    expect(await fop.associateAccount(first, 'a-' + randomUUID(), gpt())).toEqual({
      result: 'AUTHENTICATION_ALREADY_USED',
    });
    const second = await authenticatedByRedirect(account);
    expect(await fop.associateAccount(second, associationId, gpt())).toEqual({
      result: 'ASSOCIATION_ID_ALREADY_USED',
    });
    const third = await authenticatedByRedirect(account);
    expect(await fop.associateAccount(third, 'a-' + randomUUID(), token)).toEqual({
      result: 'GOOGLE_PAYMENT_TOKEN_ALREADY_USED',
    });

    const expiring = await authenticatedByRedirect(account);
    expect(await result(fopAuthenticationWorkflowId(expiring))).toEqual({ state: 'expired' });
    expect(await fop.associateAccount(expiring, 'a-' + randomUUID(), gpt())).toEqual({
      result: 'AUTHENTICATION_EXPIRED',
    });
    expect(await fop.signInByRedirect(randomUUID(), account.username, 'not-the-password')).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(await fop.signInByRedirect(first, account.username, account.password)).toBe('ALREADY_USED');
  });

  it('gives two Google users of one integrator account two instruments, each with its own GPT', async () => {
    const account = await newAccount();
    const [sally, sam] = ['sally-' + randomUUID(), 'sam-' + randomUUID()];
    expect((await fop.associateAccount(await authenticatedByRedirect(account), sally, gpt())).result).toBe(
      'SUCCESS',
    );
    expect(
      (await fop.associateAccount(await authenticatedBySms(account.phoneNumber), sam, gpt())).result,
    ).toBe('SUCCESS');
    const instruments = await fop.instrumentsOf(account.accountId);
    expect(instruments.map((i) => [i.associationId, i.state]).sort()).toEqual(
      [
        [sally, 'active'],
        [sam, 'active'],
      ].sort(),
    );
  });

  it('refreshes a token (extending its expiry), refuses an unknown GPT, and closes an expired token', async () => {
    const account = await newAccount();
    const token = gpt();
    const associationId = 'r-' + randomUUID();
    const associated = await fop.associateAccount(
      await authenticatedByRedirect(account),
      associationId,
      token,
    );
    const refreshed = await fop.refreshToken(await authenticatedByRedirect(account), token);
    expect(refreshed).toEqual({ result: 'SUCCESS', tokenExpirationTime: expect.stringMatching(/^\d{13}$/) });
    expect(Number(refreshed.tokenExpirationTime)).toBeGreaterThanOrEqual(
      Number(associated.tokenExpirationTime),
    );
    expect(await fop.refreshToken(await authenticatedByRedirect(account), gpt())).toEqual({
      result: 'UNKNOWN_GOOGLE_PAYMENT_TOKEN',
    });
    const other = await newAccount();
    expect(await fop.refreshToken(await authenticatedByRedirect(other), token)).toEqual({
      result: 'ACCOUNT_MISMATCH',
    });

    // No refresh for the token's lifetime: the instrument's timer closes it.
    expect(await result(fopInstrumentWorkflowId(associationId))).toEqual({ state: 'expired' });
    expect(await fop.refreshToken(await authenticatedByRedirect(account), token)).toEqual({
      result: 'TOKEN_CLOSED',
    });
  });

  it('continues a long-lived instrument as new, keeping its expiry, refreshes and numbering', async () => {
    const associationId = 'can-' + randomUUID();
    const gptHash = googlePaymentTokenHash(gpt());
    const workflowId = fopInstrumentWorkflowId(associationId);
    const handle = await world.env.client.workflow.start<typeof fopInstrument>('fopInstrument', {
      workflowId,
      taskQueue,
      args: [
        { associationId, accountId: 'acct-x', gptHash, tokenLifetimeMs: 400 * DAY, maxTransitionsPerRun: 3 },
      ],
    });
    const firstRun = handle.firstExecutionRunId;
    expect(
      (await handle.executeUpdate(associateUpdate, { args: [{ accountId: 'acct-x', gptHash }] })).result,
    ).toBe('SUCCESS');
    let last = '';
    for (let i = 0; i < 3; i++) {
      const answer = await handle.executeUpdate(refreshTokenUpdate, {
        args: [{ accountId: 'acct-x', gptHash }],
      });
      expect(answer.result).toBe('SUCCESS');
      last = answer.tokenExpiresAt!;
    }
    const described = await world.env.client.workflow.getHandle(workflowId).describe();
    expect(described.runId).not.toBe(firstRun);
    const projection = await world.deps.projections.find<{ refreshes: number; tokenExpiresAt: string }>(
      workflowId,
    );
    expect(projection).toMatchObject({ state: 'active', view: { refreshes: 3, tokenExpiresAt: last } });
    const transitions = await world.deps.projections.transitionsOf(workflowId);
    expect(transitions.map((t) => t.seq)).toEqual([1, 2, 3, 4, 5]);
    await world.env.client.workflow.getHandle(workflowId).terminate('test done');
  });
});
