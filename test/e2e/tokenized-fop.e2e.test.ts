import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { type IncomingHttpHeaders, type Server, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { FieldCipher, KeyRing } from '@tlo/crypto';
import { fopAuthenticationWorkflowId, fopInstrumentWorkflowId } from '@tlo/domain';
import { OtpOutboxRepository } from '@tlo/persistence';
import { EncryptionCodec } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { decodedHistoryJson, rawHistoryJson } from '../support/histories';
import { dumpDatabase } from '../support/mongo';
import { type HttpResponse, Stack } from '../support/stack';
import { wrongCodeFor, standaloneCode } from '../support/codes';
import { launchBrowser } from '../support/browser';

const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';

type Answer = HttpResponse<Record<string, unknown> & { result?: string; code?: string; field?: string }>;

/** Google's side of the tokenized form of payment, over HTTP to the API and worker processes. */
describe('tokenized form of payment end to end', () => {
  let stack: Stack;
  let outbox: OtpOutboxRepository;
  let google: string;
  let admin: string;
  let googleReturn: Server;
  let returnUrl: string;
  const returned: string[] = [];
  const codesSeen: string[] = [];
  const tokensSeen: string[] = [];
  const workflowIds: string[] = [];

  beforeAll(async () => {
    stack = await Stack.start();
    outbox = new OtpOutboxRepository(stack.mongo, new FieldCipher(KeyRing.parse(stack.fieldEncryptionKeys)));
    google = stack.token('standard-payments');
    admin = stack.token('fop.admin');
    // Google's page the user comes back to after signing in at the integrator.
    googleReturn = createServer((request, response) => {
      returned.push(request.url ?? '');
      response.writeHead(200, { 'content-type': 'text/html' }).end('<h1>Back at Google</h1>');
    });
    await new Promise<void>((resolve) => googleReturn.listen(0, '127.0.0.1', resolve));
    returnUrl = `http://127.0.0.1:${(googleReturn.address() as AddressInfo).port}/payments/return?flow=associate`;
  });
  afterAll(async () => {
    await stack?.stop();
    await new Promise((resolve) => googleReturn?.close(resolve));
  });

  const header = (requestId: string = randomUUID(), requestTimestamp = String(Date.now())) => ({
    requestId,
    requestTimestamp,
    protocolVersion: { major: 1, minor: 0, revision: 0 },
  });
  const call = (method: string, body: Record<string, unknown>): Promise<Answer> =>
    stack.request('POST', `/standard-payments/v1/${method}`, { token: google, body });
  const createAccount = async () => {
    const account = {
      accountId: `acct-${randomUUID().slice(0, 8)}`,
      phoneNumber: `+55119${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`,
      username: `user-${randomUUID().slice(0, 8)}`,
      password: 'correct horse battery',
    };
    const created = await stack.request('POST', '/fop/accounts', { token: admin, body: account });
    expect(created.status).toBe(201);
    expect(created.text).not.toContain(account.password);
    return account;
  };
  const smsCode = async (requestId: string) => {
    const text = (await outbox.latest(requestId))!.text;
    const code = /^(\d{6}) /.exec(text)![1];
    codesSeen.push(code);
    return { code, text };
  };
  const smsAuthentication = async (phoneNumber: string) => {
    const sendOtp = header();
    const sent = await call('sendOtp', {
      requestHeader: sendOtp,
      accountPhoneNumber: phoneNumber,
      smsMatchingToken: 'G-42',
    });
    expect(sent.body).toMatchObject({ result: 'SUCCESS' });
    const { code } = await smsCode(sendOtp.requestId);
    const verified = await call('verifyOtp', {
      requestHeader: header(),
      sendOtpRequestId: sendOtp.requestId,
      otp: code,
    });
    expect(verified.body).toMatchObject({ result: 'SUCCESS' });
    workflowIds.push(fopAuthenticationWorkflowId(sendOtp.requestId));
    return sendOtp.requestId;
  };
  /**
   * The sign-in form's POST as a browser sends it (urlencoded; a redirect is not followed), from a
   * loopback address of its own (`from`), so each test's per-address count is its own.
   */
  const postSignIn = (fields: Record<string, string>, from = '127.0.0.1') =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; text: string }>((resolve, reject) => {
      const body = new URLSearchParams(fields).toString();
      const api = new URL(stack.apiUrl);
      const request = httpRequest(
        {
          host: api.hostname,
          port: api.port,
          path: '/standard-payments/auth',
          method: 'POST',
          localAddress: from,
          headers: {
            'content-type': 'application/x-www-form-urlencoded',
            'content-length': Buffer.byteLength(body),
          },
        },
        (response) => {
          let text = '';
          response.setEncoding('utf8');
          response.on('data', (chunk: string) => (text += chunk));
          response.on('end', () =>
            resolve({ status: response.statusCode!, headers: response.headers, text }),
          );
        },
      );
      request.on('error', reject);
      request.end(body);
    });
  const gpt = () => {
    const token = randomBytes(32).toString('base64url');
    tokensSeen.push(token);
    return token;
  };
  async function record(name: string, workflowId: string, finished: boolean): Promise<void> {
    if (finished) await stack.client.workflow.getHandle(workflowId).result();
    if (!RECORD) return;
    mkdirSync(HISTORIES_DIR, { recursive: true });
    writeFileSync(join(HISTORIES_DIR, `${name}.json`), await rawHistoryJson(stack.client, workflowId));
  }

  it('answers echo, replays a repeat byte for byte, refuses a reused requestId (412) and a stale timestamp (400)', async () => {
    const requestHeader = header();
    const first = await call('echo', { requestHeader, clientMessage: 'ping' });
    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      responseHeader: { responseTimestamp: expect.stringMatching(/^\d{13}$/) },
      clientMessage: 'ping',
      serverMessage: expect.stringContaining('ping'),
    });
    await new Promise((resolve) => setTimeout(resolve, 20));
    const repeat = await call('echo', { requestHeader, clientMessage: 'ping' });
    expect(repeat.status).toBe(200);
    expect(repeat.text).toBe(first.text);

    const changed = await call('echo', { requestHeader, clientMessage: 'pong' });
    expect(changed.status).toBe(412);
    expect(changed.body).toMatchObject({ code: 'IDEMPOTENCY_VIOLATION' });

    const staleHeader = header(randomUUID(), String(Date.now() - 61_000));
    const stale = await call('echo', { requestHeader: staleHeader, clientMessage: 'late' });
    expect(stale.status).toBe(400);
    expect(stale.body).toMatchObject({
      code: 'REQUEST_TIMESTAMP_OUT_OF_RANGE',
      field: 'requestHeader.requestTimestamp',
    });
    const future = await call('echo', {
      requestHeader: header(randomUUID(), String(Date.now() + 61_000)),
      clientMessage: 'x',
    });
    expect(future.status).toBe(400);

    // Concurrent duplicates: one evaluates, the others wait for its stored answer.
    const duplicateHeader = header(`dup-${requestHeader.requestId}`);
    const duplicates = await Promise.all(
      Array.from({ length: 5 }, () =>
        call('echo', { requestHeader: duplicateHeader, clientMessage: 'same' }),
      ),
    );
    expect(new Set(duplicates.map((d) => d.text)).size).toBe(1);
    expect(duplicates.map((d) => d.status)).toEqual([200, 200, 200, 200, 200]);
  });

  it('authenticates by SMS: wrong code, right code, reused code; associates and lists the instrument', async () => {
    const account = await createAccount();
    const sendOtp = header();
    const sent = await call('sendOtp', {
      requestHeader: sendOtp,
      accountPhoneNumber: account.phoneNumber,
      smsMatchingToken: 'G-7Q2M',
    });
    expect(sent.body).toMatchObject({ result: 'SUCCESS' });
    const { code, text } = await smsCode(sendOtp.requestId);
    expect(text).toContain('G-7Q2M');
    const verify = (otp: string) =>
      call('verifyOtp', { requestHeader: header(), sendOtpRequestId: sendOtp.requestId, otp });
    expect((await verify(wrongCodeFor(code))).body).toMatchObject({ result: 'OTP_NOT_MATCHED' });
    expect((await verify(code)).body).toMatchObject({ result: 'SUCCESS' });
    expect((await verify(code)).body).toMatchObject({ result: 'OTP_ALREADY_USED' });

    const associationId = `assoc-${randomUUID()}`;
    const associated = await call('associateAccount', {
      requestHeader: header(),
      authenticationRequestId: sendOtp.requestId,
      associationId,
      googlePaymentToken: gpt(),
    });
    expect(associated.status).toBe(200);
    expect(associated.body).toEqual({
      responseHeader: { responseTimestamp: expect.stringMatching(/^\d{13}$/) },
      accountId: account.accountId,
      tokenExpirationTime: expect.stringMatching(/^\d{13}$/),
      result: 'SUCCESS',
    });
    expect(Number(associated.body.tokenExpirationTime) - Date.now()).toBeGreaterThan(365 * 24 * 3600_000);
    workflowIds.push(fopAuthenticationWorkflowId(sendOtp.requestId), fopInstrumentWorkflowId(associationId));
    await record('fop-authentication-sms-associated', fopAuthenticationWorkflowId(sendOtp.requestId), true);

    const listed = await stack.request<{ instruments: Array<{ associationId: string; state: string }> }>(
      'GET',
      `/fop/instruments?accountId=${account.accountId}`,
      { token: admin },
    );
    expect(listed.body.instruments).toMatchObject([{ associationId, state: 'active' }]);
  });

  it('signs in through the integrator page in a real browser, then two Google users share one account', async () => {
    const account = await createAccount();
    const requestId = `redirect-${randomUUID()}`;
    const browser = await launchBrowser();
    try {
      const page = await browser.newPage();
      const url = `${stack.apiUrl}/standard-payments/auth?requestId=${requestId}&returnUrl=${encodeURIComponent(returnUrl)}`;
      await page.goto(url);
      await page.fill('input[name=username]', account.username);
      await page.fill('input[name=password]', 'not the password');
      await page.click('button[type=submit]');
      await expect(page.getByRole('alert').textContent()).resolves.toContain('not right');
      await page.fill('input[name=username]', account.username);
      await page.fill('input[name=password]', account.password);
      await page.click('button[type=submit]');
      await page.waitForURL(/\/payments\/return/);
      const back = new URL(page.url());
      expect(back.searchParams.get('requestId')).toBe(requestId);
      expect(back.searchParams.get('flow')).toBe('associate');
      expect(await page.textContent('h1')).toBe('Back at Google');
    } finally {
      await browser.close();
    }
    expect(returned.some((r) => r.includes(requestId))).toBe(true);

    const sally = `sally-${randomUUID()}`;
    const sam = `sam-${randomUUID()}`;
    const bySally = await call('associateAccount', {
      requestHeader: header(),
      authenticationRequestId: requestId,
      associationId: sally,
      googlePaymentToken: gpt(),
    });
    expect(bySally.body).toMatchObject({ result: 'SUCCESS', accountId: account.accountId });
    const bySam = await call('associateAccount', {
      requestHeader: header(),
      authenticationRequestId: await smsAuthentication(account.phoneNumber),
      associationId: sam,
      googlePaymentToken: gpt(),
    });
    expect(bySam.body).toMatchObject({ result: 'SUCCESS', accountId: account.accountId });
    const reused = await call('associateAccount', {
      requestHeader: header(),
      authenticationRequestId: requestId,
      associationId: `other-${randomUUID()}`,
      googlePaymentToken: gpt(),
    });
    expect(reused.body).toMatchObject({ result: 'AUTHENTICATION_ALREADY_USED' });
    const listed = await stack.request<{ instruments: Array<{ associationId: string; state: string }> }>(
      'GET',
      `/fop/instruments?accountId=${account.accountId}`,
      { token: admin },
    );
    expect(listed.body.instruments.map((i) => [i.associationId, i.state]).sort()).toEqual(
      [
        [sally, 'active'],
        [sam, 'active'],
      ].sort(),
    );
    workflowIds.push(fopAuthenticationWorkflowId(requestId), fopInstrumentWorkflowId(sally));
  });

  it('refuses a return URL off the allowed origins, on the page and on the form: 400 naming returnUrl', async () => {
    const account = await createAccount();
    const requestId = `redirect-${randomUUID()}`;
    const page = (url: string) =>
      stack.request(
        'GET',
        `/standard-payments/auth?requestId=${requestId}&returnUrl=${encodeURIComponent(url)}`,
      );
    for (const url of [
      'https://evil.example/payments/return',
      'https://pay.google.com.evil.example/return',
      'https://pay.google.com@evil.example/return',
      'http://10.0.0.7/return',
    ]) {
      const refused = await page(url);
      expect({ url, status: refused.status, body: refused.body }).toMatchObject({
        url,
        status: 400,
        body: { code: 'INVALID_FIELD', field: 'returnUrl' },
      });
    }
    // Google's origin is allowed by default; in development, loopback too (the test's stand-in).
    const google = await page('https://pay.google.com/payments/return');
    expect(google.status).toBe(200);
    expect(google.headers.get('content-security-policy')).toContain(
      "form-action 'self' https://pay.google.com",
    );

    const credentials = { requestId, username: account.username, password: account.password };
    const posted = await postSignIn({ ...credentials, returnUrl: 'https://evil.example/steal' });
    expect(posted.status).toBe(400);
    expect(posted.headers.location).toBeUndefined();
    expect(JSON.parse(posted.text)).toMatchObject({ code: 'INVALID_FIELD', field: 'returnUrl' });
    // The refused post signed nothing in: the same requestId still signs in, back to the allowed URL.
    const signedIn = await postSignIn({ ...credentials, returnUrl });
    expect(signedIn.status).toBe(303);
    expect(new URL(signedIn.headers.location!).searchParams.get('requestId')).toBe(requestId);
    expect(new URL(signedIn.headers.location!).origin).toBe(new URL(returnUrl).origin);
  });

  it('locks an account after 5 attempts: 10 wrong passwords, then the right one is refused (429); another account is unaffected', async () => {
    const [victim, neighbour] = [await createAccount(), await createAccount()];
    const from = '127.0.0.3';
    const attempt = (account: { username: string }, password: string) =>
      postSignIn(
        { requestId: `redirect-${randomUUID()}`, returnUrl, username: account.username, password },
        from,
      );
    const statuses: number[] = [];
    for (let i = 0; i < 10; i++) statuses.push((await attempt(victim, `wrong password ${i}`)).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429, 429, 429, 429, 429]);

    const right = await attempt(victim, victim.password);
    expect(right.status).toBe(429);
    expect(JSON.parse(right.text)).toMatchObject({ code: 'SIGN_IN_LOCKED', field: 'username' });
    expect(Number(right.headers['retry-after'])).toBeGreaterThan(800);
    expect(Number(right.headers['retry-after'])).toBeLessThanOrEqual(900);
    expect(right.headers.location).toBeUndefined();

    const neighbours = await attempt(neighbour, neighbour.password);
    expect(neighbours.status).toBe(303);
  });

  it('limits sign-in posts per client address: the 21st in a minute is 429, other addresses go on', async () => {
    const from = '127.0.0.2';
    const post = (username: string) =>
      postSignIn({ requestId: `redirect-${randomUUID()}`, returnUrl, username, password: 'guess' }, from);
    const statuses: number[] = [];
    // Each post names another username, so no account lockout is involved: only the address counts.
    for (let i = 0; i < 20; i++) statuses.push((await post(`nobody-${i}-${randomUUID()}`)).status);
    expect(statuses).toEqual(Array(20).fill(401));
    const over = await post(`nobody-${randomUUID()}`);
    expect(over.status).toBe(429);
    expect(JSON.parse(over.text)).toMatchObject({ code: 'TOO_MANY_SIGN_INS' });
    expect(Number(over.headers['retry-after'])).toBeGreaterThan(0);
    expect(Number(over.headers['retry-after'])).toBeLessThanOrEqual(60);

    const account = await createAccount();
    const elsewhere = await postSignIn(
      {
        requestId: `redirect-${randomUUID()}`,
        returnUrl,
        username: account.username,
        password: account.password,
      },
      '127.0.0.4',
    );
    expect(elsewhere.status).toBe(303);
  });

  it('refreshes a token; an unknown GPT fails; the stored answer survives an API restart', async () => {
    const account = await createAccount();
    const token = gpt();
    const associationId = `refresh-${randomUUID()}`;
    await call('associateAccount', {
      requestHeader: header(),
      authenticationRequestId: await smsAuthentication(account.phoneNumber),
      associationId,
      googlePaymentToken: token,
    });
    const refreshRequest = {
      requestHeader: header(),
      authenticationRequestId: await smsAuthentication(account.phoneNumber),
      googlePaymentToken: token,
    };
    const refreshed = await call('refreshToken', refreshRequest);
    expect(refreshed.body).toMatchObject({
      result: 'SUCCESS',
      tokenExpirationTime: expect.stringMatching(/^\d{13}$/),
    });
    const unknown = await call('refreshToken', {
      requestHeader: header(),
      authenticationRequestId: await smsAuthentication(account.phoneNumber),
      googlePaymentToken: gpt(),
    });
    expect(unknown.body).toMatchObject({ result: 'UNKNOWN_GOOGLE_PAYMENT_TOKEN' });
    await record('fop-instrument-associated-refreshed', fopInstrumentWorkflowId(associationId), false);

    await stack.restartApi();
    const repeat = await call('refreshToken', refreshRequest);
    expect(repeat.status).toBe(200);
    expect(repeat.text).toBe(refreshed.text);
    workflowIds.push(fopInstrumentWorkflowId(associationId));
  });

  it('evaluates a failed request again when it is repeated, and names the field of bad input', async () => {
    const account = await createAccount();
    const early = { requestHeader: header(), sendOtpRequestId: `later-${randomUUID()}`, otp: '000000' };
    const beforeSend = await call('verifyOtp', early);
    expect(beforeSend.status).toBe(400);
    expect(beforeSend.body).toMatchObject({ code: 'UNKNOWN_SEND_OTP_REQUEST', field: 'sendOtpRequestId' });
    const sent = await call('sendOtp', {
      requestHeader: header(early.sendOtpRequestId),
      accountPhoneNumber: account.phoneNumber,
      smsMatchingToken: 'G-1',
    });
    expect(sent.body).toMatchObject({ result: 'SUCCESS' });
    const { code } = await smsCode(early.sendOtpRequestId);
    const again = await call('verifyOtp', early);
    expect(again.status).toBe(200);
    expect(again.body.result).toBe(code === '000000' ? 'SUCCESS' : 'OTP_NOT_MATCHED');

    const bad = async (method: string, body: Record<string, unknown>, field: string) => {
      const response = await call(method, body);
      expect({ method, status: response.status, text: response.text }).toMatchObject({
        status: 400,
        text: expect.stringContaining(field),
      });
    };
    await bad('echo', { clientMessage: 'x' }, 'requestHeader');
    await bad(
      'echo',
      {
        requestHeader: { ...header(), protocolVersion: { major: 2, minor: 0, revision: 0 } },
        clientMessage: 'x',
      },
      'major',
    );
    await bad(
      'echo',
      { requestHeader: { ...header(), requestTimestamp: 1795401060000 }, clientMessage: 'x' },
      'requestTimestamp',
    );
    await bad(
      'sendOtp',
      { requestHeader: header(), accountPhoneNumber: '11987654242', smsMatchingToken: 'G' },
      'accountPhoneNumber',
    );
    await bad('verifyOtp', { requestHeader: header(), sendOtpRequestId: 'x', otp: '12' }, 'otp');
    await bad(
      'associateAccount',
      {
        requestHeader: header(),
        authenticationRequestId: 'a',
        associationId: 'b',
        googlePaymentToken: 'short',
      },
      'googlePaymentToken',
    );
    const noScope = await stack.request('POST', '/standard-payments/v1/echo', {
      token: admin,
      body: { requestHeader: header(), clientMessage: 'x' },
    });
    expect(noScope.status).toBe(403);
    const badReturn = await stack.request(
      'GET',
      '/standard-payments/auth?requestId=r1&returnUrl=javascript:alert(1)',
    );
    expect(badReturn.status).toBe(400);
    expect(badReturn.text).toContain('returnUrl');
  });

  it('never lets a code or a Google Payment Token appear in clear in history, search attributes, logs or MongoDB', async () => {
    expect(codesSeen.length).toBeGreaterThanOrEqual(4);
    expect(workflowIds.length).toBeGreaterThanOrEqual(4);
    const codec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));
    const texts: string[] = [stack.allLogs(), await dumpDatabase(stack.mongo)];
    for (const workflowId of new Set(workflowIds)) {
      const raw = await rawHistoryJson(stack.client, workflowId);
      const decoded = await decodedHistoryJson(stack.client, workflowId, codec);
      // Decoding really happened: the projected views are readable only after it. Projections are
      // local activities, so the views are in their markers' results, encrypted like any payload.
      expect(raw).toContain('core_local_activity');
      expect(decoded).toMatch(/wrongAttempts|tokenExpiresAt/);
      expect(raw).not.toMatch(/wrongAttempts|tokenExpiresAt/);
      texts.push(raw);
      texts.push(decoded, JSON.stringify((await stack.client.workflow.getHandle(workflowId).describe()).raw));
    }
    for (const text of texts) {
      for (const code of codesSeen) expect(text).not.toMatch(standaloneCode(code));
      for (const token of tokensSeen) expect(text).not.toContain(token);
    }
  });
});
