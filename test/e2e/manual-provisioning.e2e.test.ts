import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { manualProvisioningWorkflowId } from '@tlo/domain';
import { OtpOutboxRepository } from '@tlo/persistence';
import { EncryptionCodec } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { newCard } from '../support/cards';
import { decodedHistoryJson, rawHistoryJson } from '../support/histories';
import { dumpDatabase } from '../support/mongo';
import { eventually } from '../support/eventually';
import { Stack } from '../support/stack';
import { WebhookReceiver } from '../support/webhook-receiver';
import { wrongCodeFor, standaloneCode } from '../support/codes';

const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';
const ISSUER_OTP_SECRET = 'issuer-otp-webhook-secret';

interface Decision {
  requestId: string;
  decision: 'GREEN' | 'YELLOW' | 'RED';
  methods?: Array<{ id: string; channel: string; target: string }>;
}
interface Projection {
  state: string;
  decision: string;
  sends: number;
  wrongAttempts: number;
  codeExpiresAt: string | null;
  yellowPathExpiresAt: string | null;
  activatedBy: string | null;
  support: { agentId: string; reason: string } | null;
  transitions: Array<{ seq: number; event: string; to: string }>;
}

/** Manual provisioning end to end: HTTP → API process → Temporal dev server → worker process → FerretDB. */
describe('manual provisioning end to end', () => {
  let stack: Stack;
  let partner: WebhookReceiver;
  let issuer: WebhookReceiver;
  let outbox: OtpOutboxRepository;
  let wallet: string;
  let admin: string;
  let support: string;
  const workflowIds: string[] = [];
  const codesSeen: string[] = [];

  beforeAll(async () => {
    partner = await new WebhookReceiver('e2e-partner-secret').start();
    issuer = await new WebhookReceiver(ISSUER_OTP_SECRET).start();
    stack = await Stack.start({ partnerWebhookUrl: partner.url });
    outbox = new OtpOutboxRepository(stack.mongo, new FieldCipher(KeyRing.parse(stack.fieldEncryptionKeys)));
    wallet = stack.token('wallet.events');
    admin = stack.token('cards.write', 'programs.write');
    support = stack.token('support.write');
  });
  afterAll(async () => {
    await stack?.stop();
    await partner?.stop();
    await issuer?.stop();
  });

  const createCard = async (overrides: Record<string, unknown> = {}) => {
    const created = await stack.request<{ proxy: string }>('POST', '/cards', {
      token: admin,
      body: { ...newCard({ email: 'maria@example.com' }), ...overrides },
    });
    expect(created.status).toBe(201);
    return created.body.proxy;
  };
  const decide = async (proxy: string, walletRiskScore: number, extra: Record<string, unknown> = {}) => {
    const response = await stack.request<Decision>('POST', '/tokenization-requests', {
      token: wallet,
      body: { proxy, wallet: 'GooglePay', deviceId: 'pixel-9', walletRiskScore, ...extra },
    });
    expect(response.status).toBe(201);
    workflowIds.push(manualProvisioningWorkflowId(response.body.requestId));
    return response.body;
  };
  const sendOtp = (requestId: string, methodId: string) =>
    stack.request<{ sendsLeft: number; expiresAt: string; target: string }>(
      'POST',
      `/tokenization-requests/${requestId}/otp`,
      { token: wallet, body: { methodId } },
    );
  const verify = (requestId: string, code: string) =>
    stack.request<{ result: string; attemptsLeft: number }>(
      'POST',
      `/tokenization-requests/${requestId}/otp/verify`,
      { token: wallet, body: { code } },
    );
  const projection = async (requestId: string) => {
    const response = await stack.request<Projection>('GET', `/tokenization-requests/${requestId}`, {
      token: wallet,
    });
    expect(response.status).toBe(200);
    return response.body;
  };

  async function record(name: string, requestId: string): Promise<void> {
    const workflowId = manualProvisioningWorkflowId(requestId);
    await stack.client.workflow.getHandle(workflowId).result();
    if (!RECORD) return;
    mkdirSync(HISTORIES_DIR, { recursive: true });
    writeFileSync(join(HISTORIES_DIR, `${name}.json`), await rawHistoryJson(stack.client, workflowId));
  }

  it('YELLOW by a WEBHOOK program: the signed code reaches the issuer (retried until 2xx), VERIFIED activates', async () => {
    const program = await stack.request('PUT', '/card-programs/issuer-webhook', {
      token: admin,
      body: { otpDelivery: 'WEBHOOK', webhookUrl: issuer.url, webhookSecret: ISSUER_OTP_SECRET },
    });
    expect(program.status).toBe(200);
    expect(program.body).toMatchObject({ programId: 'issuer-webhook', otpDelivery: 'WEBHOOK', maxSends: 3 });
    expect(program.text).not.toContain(ISSUER_OTP_SECRET);

    const proxy = await createCard({ programId: 'issuer-webhook' });
    const decision = await decide(proxy, 50);
    expect(decision).toEqual({
      requestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      decision: 'YELLOW',
      methods: [
        { id: 'sms', channel: 'SMS', target: '*******2342' },
        { id: 'email', channel: 'EMAIL', target: 'm***@example.com' },
      ],
    });
    const { requestId } = decision;

    issuer.failFirst = 1;
    const sent = await sendOtp(requestId, 'email');
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ sendsLeft: 2, target: 'm***@example.com' });
    const attempts = issuer.received.filter((w) => w.body.requestId === requestId);
    expect(attempts.map((w) => w.status)).toEqual([500, 200]);
    const delivered = attempts[1];
    expect(delivered.signatureValid).toBe(true);
    expect(delivered.body).toEqual({
      requestId,
      code: expect.stringMatching(/^\d{6}$/),
      recipient: 'maria@example.com',
      channel: 'EMAIL',
    });
    const code = delivered.body.code as string;
    codesSeen.push(code, attempts[0].body.code as string);

    expect((await verify(requestId, wrongCodeFor(code))).body).toEqual({
      result: 'INVALID_CODE',
      attemptsLeft: 2,
    });
    expect((await verify(requestId, code)).body).toEqual({ result: 'VERIFIED', attemptsLeft: 2 });
    await record('manual-provisioning-webhook-verified', requestId);

    const view = await projection(requestId);
    expect(view).toMatchObject({
      state: 'active',
      decision: 'YELLOW',
      sends: 1,
      wrongAttempts: 1,
      activatedBy: 'OTP',
    });
    expect(view.transitions.map((t) => t.event)).toEqual([
      'STARTED',
      'DECIDED',
      'OTP_SENT',
      'OTP_REJECTED',
      'OTP_VERIFIED',
    ]);
    const added = await partner.waitFor((d) => d.some((w) => w.body.tokenReferenceId === requestId));
    expect(added.filter((w) => w.body.tokenReferenceId === requestId)).toMatchObject([
      { body: { name: 'CARD_WAS_ADDED_TO_WALLET', proxy, wallet: 'GooglePay' }, signatureValid: true },
    ]);
  });

  it('YELLOW by the DIRECT channel: 3 wrong codes lock it, then support activates', async () => {
    const proxy = await createCard();
    const { requestId, decision } = await decide(proxy, 10, { deviceNewToAccount: true });
    expect(decision).toBe('YELLOW');
    expect((await sendOtp(requestId, 'sms')).status).toBe(200);
    const message = (await outbox.latest(requestId))!;
    expect(message).toMatchObject({ channel: 'SMS', recipient: '23415162342' });
    const code = /\b(\d{6})\b/.exec(message.text)![1];
    codesSeen.push(code);

    const answers = [];
    for (let i = 0; i < 3; i++) answers.push((await verify(requestId, wrongCodeFor(code))).body);
    expect(answers).toEqual([
      { result: 'INVALID_CODE', attemptsLeft: 2 },
      { result: 'INVALID_CODE', attemptsLeft: 1 },
      { result: 'LOCKED', attemptsLeft: 0 },
    ]);
    expect((await verify(requestId, code)).body).toEqual({ result: 'LOCKED', attemptsLeft: 0 });

    const path = `/tokenization-requests/${requestId}/support-activation`;
    const body = { agentId: 'agent-7', reason: 'Cardholder identified by phone' };
    expect((await stack.request('POST', path, { token: wallet, body })).status).toBe(403);
    const activated = await stack.request('POST', path, { token: support, body });
    expect(activated.status).toBe(200);
    expect(activated.body).toEqual({ state: 'active' });
    await record('manual-provisioning-locked-support-activated', requestId);

    expect(await projection(requestId)).toMatchObject({
      state: 'active',
      activatedBy: 'SUPPORT',
      support: body,
      wrongAttempts: 3,
    });
    expect(stack.allLogs()).toContain('one-time code sent');
  });

  it('GREEN activates at once, RED declines, and neither offers a code', async () => {
    const proxy = await createCard();
    const green = await decide(proxy, 5);
    expect(green).toEqual({ requestId: green.requestId, decision: 'GREEN' });
    const red = await decide(proxy, 95);
    expect(red).toEqual({ requestId: red.requestId, decision: 'RED' });
    const unknownCard = await decide('nosuchcard', 5);
    expect(unknownCard.decision).toBe('RED');
    await record('manual-provisioning-green', green.requestId);
    await stack.client.workflow.getHandle(manualProvisioningWorkflowId(red.requestId)).result();

    expect(await projection(green.requestId)).toMatchObject({ state: 'active', activatedBy: 'RULES' });
    expect(await projection(red.requestId)).toMatchObject({ state: 'declined', decision: 'RED' });
    const refused = await sendOtp(red.requestId, 'sms');
    expect(refused).toMatchObject({
      status: 409,
      body: { code: 'REQUEST_ENDED', details: { state: 'declined' } },
    });
  });

  it('answers bad input with a 4xx naming the field, and unknown requests with 404', async () => {
    const proxy = await createCard();
    const bad = async (path: string, body: unknown, field: string, token = wallet) => {
      const response = await stack.request<{ field?: string; message?: string }>('POST', path, {
        token,
        body,
      });
      expect({ path, status: response.status, text: response.text }).toMatchObject({
        status: 400,
        text: expect.stringContaining(field),
      });
    };
    const valid = { proxy, wallet: 'ApplePay', deviceId: 'iphone-1', walletRiskScore: 40 };
    await bad('/tokenization-requests', { ...valid, walletRiskScore: 101 }, 'walletRiskScore');
    await bad('/tokenization-requests', { ...valid, wallet: 'SamsungPay' }, 'wallet');
    await bad('/tokenization-requests', { ...valid, deviceNewToAccount: 'yes' }, 'deviceNewToAccount');
    const { requestId } = await decide(proxy, 40);
    await bad(`/tokenization-requests/${requestId}/otp`, { methodId: 'pigeon' }, 'methodId');
    await bad(`/tokenization-requests/${requestId}/otp/verify`, { code: '12ab56' }, 'code');
    await bad('/tokenization-requests/not-a-uuid/otp', { methodId: 'sms' }, 'requestId');
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await sendOtp(unknown, 'sms')).status).toBe(404);
    expect((await stack.request('GET', `/tokenization-requests/${unknown}`, { token: wallet })).status).toBe(
      404,
    );
    const program = await stack.request('PUT', '/card-programs/no-url', {
      token: admin,
      body: { otpDelivery: 'WEBHOOK' },
    });
    expect(program.status).toBe(400);
    expect(program.text).toContain('webhookUrl');
    await stack.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).terminate('test done');
  });

  it('refuses a webhookUrl the outbound policy would never deliver to, naming webhookUrl', async () => {
    for (const webhookUrl of [
      'http://169.254.169.254/latest/meta-data/iam/security-credentials/',
      'http://0xa9fea9fe/latest/meta-data/',
      'http://[fd00:ec2::254]/latest/meta-data/',
      'http://10.0.0.1/otp',
      'http://172.16.0.10/otp',
      'http://100.64.0.1/otp',
      'http://0.0.0.0/otp',
      'http://[::ffff:169.254.169.254]/otp',
      'http://issuer.example@10.0.0.1/otp',
      'file:///etc/passwd',
    ]) {
      const response = await stack.request<{ field?: string }>('PUT', '/card-programs/issuer-ssrf', {
        token: admin,
        body: { otpDelivery: 'WEBHOOK', webhookUrl, webhookSecret: ISSUER_OTP_SECRET },
      });
      expect({ webhookUrl, status: response.status, field: response.body.field }).toEqual({
        webhookUrl,
        status: 400,
        field: 'webhookUrl',
      });
    }
  });

  it('refuses when sending a webhookUrl stored before URLs were checked: no code leaves, the request stays usable', async () => {
    const programId = 'issuer-legacy-url';
    const putProgram = () =>
      stack.request('PUT', `/card-programs/${programId}`, {
        token: admin,
        body: { otpDelivery: 'WEBHOOK', webhookUrl: issuer.url, webhookSecret: ISSUER_OTP_SECRET },
      });
    expect((await putProgram()).status).toBe(200);
    await stack.mongo
      .collection('card_programs')
      .updateOne({ programId }, { $set: { webhookUrl: 'http://169.254.169.254/latest/meta-data/' } });
    const proxy = await createCard({ programId });
    const { requestId } = await decide(proxy, 50);

    const refused = await sendOtp(requestId, 'sms');
    expect(refused.status).toBe(502);
    expect((await projection(requestId)).state).toBe('awaitingMethod');
    expect(issuer.received.filter((w) => w.body.requestId === requestId)).toEqual([]);
    // The worker logs the failed attempt once it has reported it.
    await eventually(async () => {
      const refusals = stack
        .printedLines('worker')
        .filter((line) => line.includes('refused by the outbound policy'));
      expect(refusals.join('\n')).toContain('cloud metadata address (169.254.169.254)');
    });

    // Corrected, the same request gets its code.
    expect((await putProgram()).status).toBe(200);
    expect((await sendOtp(requestId, 'sms')).status).toBe(200);
    expect(issuer.received.filter((w) => w.body.requestId === requestId)).toHaveLength(1);
    await stack.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).terminate('test done');
  });

  it('never lets a one-time code appear in clear in history, search attributes, logs or MongoDB', async () => {
    expect(codesSeen.length).toBeGreaterThanOrEqual(3);
    const codec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));
    for (const workflowId of workflowIds.slice(0, 2)) {
      const raw = await rawHistoryJson(stack.client, workflowId);
      const decoded = await decodedHistoryJson(stack.client, workflowId, codec);
      expect(decoded).toContain('codeHmac');
      const described = JSON.stringify((await stack.client.workflow.getHandle(workflowId).describe()).raw);
      for (const code of codesSeen) {
        for (const text of [raw, decoded, described]) expect(text).not.toMatch(standaloneCode(code));
      }
    }
    const logs = stack.allLogs();
    const database = await dumpDatabase(stack.mongo);
    expect(database).toContain('*******2342'); // the outbox keeps only the masked recipient in clear
    for (const code of codesSeen) {
      expect(logs).not.toMatch(standaloneCode(code));
      expect(database).not.toMatch(standaloneCode(code));
    }
  });

  it("answers another caller's request as unknown: 404 on read, send and verify, also once it ended", async () => {
    const proxy = await createCard();
    const { requestId } = await decide(proxy, 10, { deviceNewToAccount: true });
    const intruder = stack.tokenAs('another-wallet', 'wallet.events');
    const asIntruder = (method: string, path: string, body?: unknown) =>
      stack.request(method, `/tokenization-requests/${requestId}${path}`, { token: intruder, body });
    const unknown = await stack.request(
      'GET',
      '/tokenization-requests/00000000-0000-4000-8000-000000000000',
      {
        token: intruder,
      },
    );
    for (const response of [
      await asIntruder('GET', ''),
      await asIntruder('POST', '/otp', { methodId: 'sms' }),
      await asIntruder('POST', '/otp/verify', { code: '123456' }),
    ]) {
      expect({ status: response.status, body: response.body }).toEqual({ status: 404, body: unknown.body });
    }
    expect(await outbox.count(requestId)).toBe(0);

    // Its caller still drives it, and sees nothing of the intruder's attempts.
    expect((await sendOtp(requestId, 'sms')).status).toBe(200);
    const view = await projection(requestId);
    expect(view).toMatchObject({ state: 'awaitingCode', sends: 1, wrongAttempts: 0 });
    expect(view).not.toHaveProperty('owner');
    await stack.client.workflow.getHandle(manualProvisioningWorkflowId(requestId)).terminate('test done');

    const declined = await decide(proxy, 95);
    await stack.client.workflow.getHandle(manualProvisioningWorkflowId(declined.requestId)).result();
    const path = `/tokenization-requests/${declined.requestId}/otp`;
    expect(await stack.request('POST', path, { token: intruder, body: { methodId: 'sms' } })).toMatchObject({
      status: 404,
      body: { code: 'REQUEST_NOT_FOUND' },
    });
    expect((await sendOtp(declined.requestId, 'sms')).body).toMatchObject({ code: 'REQUEST_ENDED' });
  });
});
