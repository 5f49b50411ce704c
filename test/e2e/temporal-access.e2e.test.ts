import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { type Payload, defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';
import jwt from 'jsonwebtoken';
import { KeyRing } from '@tlo/crypto';
import { ENCRYPTED_ENCODING, EncryptionCodec, KEY_ID_METADATA, UNSEALED_ENCODING } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { testServers } from '../setup/servers-file';
import { Stack } from '../support/stack';
import { YellowPathDriver } from '../support/yellow-path';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const processes = require('../../scripts/lib/processes');

const UI_ORIGIN = 'http://127.0.0.1:8233'; // one of the default CODEC_CORS_ORIGINS
const FIXTURE_KEY_ID = FIXTURE_PAYLOAD_CODEC_KEYS.split(':')[0];

interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** The real `temporal` CLI against the run's dev server, as anyone who reaches its port would use it. */
function temporalCli(args: string[]): Promise<CliRun> {
  const command = [...args, '--address', testServers().temporalAddress, '--namespace', 'default'];
  return new Promise((resolve) =>
    execFile(
      join(processes.TOOLS_BIN, 'temporal'),
      command,
      { timeout: 30_000, encoding: 'utf8' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    ),
  );
}

const asJson = (payload: Payload) => ({
  metadata: Object.fromEntries(
    Object.entries(payload.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
  ),
  data: Buffer.from(payload.data ?? []).toString('base64'),
});
const fromJson = (payload: { metadata: Record<string, string>; data: string }) => ({
  encoding: Buffer.from(payload.metadata.encoding, 'base64').toString(),
  value: JSON.parse(Buffer.from(payload.data, 'base64').toString()) as unknown,
});

describe('reaching Temporal or the codec server is not a way around the API', () => {
  let stack: Stack;
  let yellow: YellowPathDriver;
  const codec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));

  beforeAll(async () => {
    stack = await Stack.start();
    yellow = new YellowPathDriver(stack);
  });
  afterAll(async () => {
    await stack?.stop();
  });

  describe('input sent to Temporal without the payload key (temporal CLI)', () => {
    it('refuses a supportActivation update, ignores a signal, changes nothing, and the OTP still works', async () => {
      const path = await yellow.start();
      const handle = stack.client.workflow.getHandle(path.workflowId);
      const intruder = JSON.stringify({ agentId: 'intruder', reason: 'no OTP, no support.write' });

      const plain = await temporalCli([
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        path.workflowId,
        '--name',
        'supportActivation',
        '--input',
        intruder,
      ]);
      const stateNow = () => handle.query<{ state: string }>('state');
      expect(await stateNow()).toMatchObject({ state: 'awaitingMethod' });
      expect(plain.code).not.toBe(0);
      expect(plain.stderr).toContain(UNSEALED_ENCODING);

      // Made-up ciphertext labelled with the ring's real key id is refused the same way.
      const forged = await temporalCli([
        'workflow',
        'update',
        'execute',
        '--workflow-id',
        path.workflowId,
        '--name',
        'supportActivation',
        '--input-meta',
        `encoding=${ENCRYPTED_ENCODING}`,
        '--input-meta',
        `${KEY_ID_METADATA}=${FIXTURE_KEY_ID}`,
        '--input-base64',
        '--input',
        randomBytes(64).toString('base64'),
      ]);
      expect(forged.code).not.toBe(0);
      expect(forged.stderr).toContain(UNSEALED_ENCODING);

      // The server takes any signal into history; the workflow has no signal handler to run.
      const signal = await temporalCli([
        'workflow',
        'signal',
        '--workflow-id',
        path.workflowId,
        '--name',
        'supportActivation',
        '--input',
        intruder,
      ]);
      expect(signal.code).toBe(0);

      expect(await stateNow()).toMatchObject({ state: 'awaitingMethod' });
      const view = await stack.request<{
        state: string;
        activatedBy: string | null;
        transitions: Array<{ event: string }>;
      }>('GET', `/tokenization-requests/${path.requestId}`, { token: yellow.wallet });
      expect(view.body).toMatchObject({ state: 'awaitingMethod', activatedBy: null });
      expect(view.body.transitions.map((t) => t.event)).not.toContain('SUPPORT_ACTIVATED');
      const accepted = (await handle.fetchHistory()).events!.filter(
        (event) =>
          event.eventType === temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED &&
          event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ===
            'supportActivation',
      );
      expect(accepted).toEqual([]);

      // The cardholder's own path is untouched: a code sent and typed activates the request.
      const code = await yellow.sendCode(path);
      expect(await yellow.verify(path, code)).toMatchObject({ result: 'VERIFIED' });
      expect(await yellow.state(path)).toBe('active');
      const activated = await stack.request<{ activatedBy: string }>(
        'GET',
        `/tokenization-requests/${path.requestId}`,
        {
          token: yellow.wallet,
        },
      );
      expect(activated.body.activatedBy).toBe('OTP');
    }, 120_000);
  });

  describe('codec server', () => {
    const sealed = async (value: unknown) =>
      asJson((await codec.encode([defaultPayloadConverter.toPayload(value)]))[0]);
    const decode = (body: unknown, options: { token?: string; headers?: Record<string, string> } = {}) =>
      stack.request<{ payloads: Array<{ metadata: Record<string, string>; data: string }> }>(
        'POST',
        '/codec/decode',
        {
          body,
          ...options,
        },
      );

    it('answers 401 without credentials and 403 without the scope, to the UI origin too', async () => {
      const payloads = [await sealed({ phoneNumber: '+5511999990000' })];
      const anonymous = await decode({ payloads }, { headers: { origin: UI_ORIGIN } });
      expect(anonymous.status).toBe(401);
      expect(anonymous.text).not.toContain('+5511999990000');
      expect(anonymous.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN); // the UI can read the 401
      expect((await decode({ payloads }, { headers: { authorization: 'Bearer not-a-token' } })).status).toBe(
        401,
      );
      expect((await decode({ payloads }, { token: stack.token('support.write') })).status).toBe(403);
      const encode = await stack.request('POST', '/codec/encode', {
        body: { payloads: [asJson(defaultPayloadConverter.toPayload('x'))] },
        token: stack.token('codec.decode'),
      });
      expect(encode.status).toBe(403);
      expect((await stack.request('POST', '/codec/encode', { body: { payloads: [] } })).status).toBe(401);
    });

    it('decodes for a codec.decode token: sealed payloads opened, payloads in clear as they are', async () => {
      const reader = stack.token('codec.decode');
      const clear = asJson(defaultPayloadConverter.toPayload({ route: 'POST /cards' }));
      const answer = await decode(
        { payloads: [await sealed({ phoneNumber: '+5511999990000' }), clear] },
        { token: reader },
      );
      expect(answer.status).toBe(200);
      expect(answer.body.payloads.map(fromJson)).toEqual([
        { encoding: 'json/plain', value: { phoneNumber: '+5511999990000' } },
        { encoding: 'json/plain', value: { route: 'POST /cards' } },
      ]);
      // The CLI sends `{}` for an update without arguments.
      for (const body of [{}, { payloads: [] }]) {
        for (const route of ['/codec/decode', '/codec/encode']) {
          const empty = await stack.request('POST', route, {
            body,
            token: stack.token('codec.decode', 'codec.encode'),
          });
          expect({ route, body, status: empty.status, answer: empty.body }).toEqual({
            route,
            body,
            status: 200,
            answer: { payloads: [] },
          });
        }
      }
    });

    it('answers 400 naming the payload it cannot open or read, never 500', async () => {
      const reader = stack.token('codec.decode', 'codec.encode');
      const good = await sealed({ n: 1 });
      const data = Buffer.from(good.data, 'base64');
      data[data.length - 1] ^= 1;
      const tampered = { ...good, data: data.toString('base64') };
      const foreignKey = asJson(
        (
          await new EncryptionCodec(new KeyRing([KeyRing.generateKey('other-2026')])).encode([
            defaultPayloadConverter.toPayload(1),
          ])
        )[0],
      );
      const cases: Array<[string, unknown, string]> = [
        ['a tampered ciphertext', { payloads: [good, tampered] }, 'payloads[1].data'],
        ['an unknown key id', { payloads: [foreignKey] }, `payloads[0].metadata.${KEY_ID_METADATA}`],
        ['data that is a number', { payloads: [{ ...good, data: 5 }] }, 'payloads[0].data'],
        ['data that is not base64', { payloads: [{ ...good, data: '%%%' }] }, 'payloads[0].data'],
        [
          'metadata that is not base64',
          { payloads: [{ metadata: { encoding: 7 }, data: '' }] },
          'payloads[0].metadata.encoding',
        ],
        ['a payload that is not an object', { payloads: ['x'] }, 'payloads[0]'],
        ['payloads that are not an array', { payloads: 'x' }, 'payloads'],
      ];
      for (const [name, body, field] of cases) {
        const answer = await decode(body, { token: reader });
        expect({ name, status: answer.status, field: (answer.body as { field?: string }).field }).toEqual({
          name,
          status: 400,
          field,
        });
      }
      const encode = await stack.request('POST', '/codec/encode', {
        body: { payloads: [{ data: 5 }] },
        token: reader,
      });
      expect(encode.status).toBe(400);
      expect(encode.body).toMatchObject({ field: 'payloads[0].data' });
    });

    describe('operator sign-in for the Web UI', () => {
      const signIn = (form: Record<string, string>, origin?: string) =>
        fetch(`${stack.apiUrl}/codec/sign-in`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded', ...(origin ? { origin } : {}) },
          body: new URLSearchParams(form).toString(),
          redirect: 'manual',
        });
      const sessionOf = (response: Response) => {
        const header = response.headers.get('set-cookie') ?? '';
        return { header, value: /tlo_codec_session=([^;]*)/.exec(header)?.[1] ?? '' };
      };

      it('shows a plain form, posted in the body, that no other page may frame', async () => {
        const page = await fetch(`${stack.apiUrl}/codec/sign-in`);
        expect(page.status).toBe(200);
        expect(page.headers.get('content-security-policy')).toContain("form-action 'self'");
        expect(page.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
        const html = await page.text();
        expect(html).toContain('<form method="post" action="/codec/sign-in">');
        expect(html).toContain('name="token"');
        expect(html).not.toContain('<script');
      });

      it('opens a codec-only, HttpOnly, SameSite=Strict session scoped to /codec for a codec.decode token', async () => {
        const refused = await signIn({ token: stack.token('support.write') });
        expect(refused.status).toBe(403);
        expect(refused.headers.get('set-cookie')).toBeNull();
        expect((await signIn({ token: 'not-a-token' })).status).toBe(401);
        expect((await signIn({})).status).toBe(401);
        const crossSite = await signIn({ token: stack.token('codec.decode') }, 'http://evil.example');
        expect(crossSite.status).toBe(403);
        expect(crossSite.headers.get('set-cookie')).toBeNull();

        const operator = stack.tokenAs('operator-ana', 'codec.decode', 'support.write', 'cards.read');
        const signedIn = await signIn({ token: operator }, stack.apiUrl);
        expect(signedIn.status).toBe(200);
        expect(await signedIn.text()).toContain('operator-ana');
        const session = sessionOf(signedIn);
        expect(session.header).toMatch(/HttpOnly/i);
        expect(session.header).toMatch(/SameSite=Strict/i);
        expect(session.header).toMatch(/Path=\/codec(;|$)/);
        expect(session.header).toMatch(/Max-Age=\d+/);
        const claims = jwt.decode(session.value) as jwt.JwtPayload;
        expect(claims).toMatchObject({ sub: 'operator-ana', scope: 'codec.decode' });
        expect(claims.exp! - claims.iat!).toBeLessThanOrEqual(8 * 3600);
        // The session is worth the codec scopes only, whatever else the token it came from had.
        expect((await stack.request('GET', '/cards/any', { token: session.value })).status).toBe(403);
      });

      it('accepts the session only on JSON requests from a Web UI origin', async () => {
        const session = sessionOf(await signIn({ token: stack.token('codec.decode') })).value;
        const body = JSON.stringify({ payloads: [await sealed({ city: 'São Paulo' })] });
        const post = (headers: Record<string, string>) =>
          fetch(`${stack.apiUrl}/codec/decode`, {
            method: 'POST',
            headers: { cookie: `tlo_codec_session=${session}`, ...headers },
            body,
          });
        const fromUi = await post({ origin: UI_ORIGIN, 'content-type': 'application/json' });
        expect(fromUi.status).toBe(200);
        expect(fromUi.headers.get('access-control-allow-credentials')).toBe('true');
        expect(fromJson(((await fromUi.json()) as { payloads: never[] }).payloads[0])).toMatchObject({
          value: { city: 'São Paulo' },
        });
        const noOrigin = await post({ 'content-type': 'application/json' });
        expect(noOrigin.status).toBe(403);
        expect(await noOrigin.json()).toMatchObject({ field: 'Origin' });
        const otherSite = await post({ origin: 'http://127.0.0.1:5173', 'content-type': 'application/json' });
        expect(otherSite.status).toBe(403);
        expect(await otherSite.text()).not.toContain('Paulo');
        const notJson = await post({ origin: UI_ORIGIN, 'content-type': 'text/plain' });
        expect(notJson.status).toBe(415);
        expect(await notJson.json()).toMatchObject({ field: 'Content-Type' });
        const expired = await fetch(`${stack.apiUrl}/codec/decode`, {
          method: 'POST',
          headers: {
            cookie: `tlo_codec_session=${jwt.sign({ scope: 'codec.decode' }, stack.jwtSecret, { issuer: 'tokenization-orchestrator', subject: 'x', expiresIn: -10 })}`,
            origin: UI_ORIGIN,
            'content-type': 'application/json',
          },
          body,
        });
        expect(expired.status).toBe(401);

        const signOut = await fetch(`${stack.apiUrl}/codec/sign-out`, {
          method: 'POST',
          headers: { origin: stack.apiUrl },
        });
        expect(signOut.status).toBe(200);
        expect(signOut.headers.get('set-cookie')).toMatch(
          /tlo_codec_session=;.*(Expires=Thu, 01 Jan 1970|Max-Age=0)/i,
        );
      });
    });
  });
});
