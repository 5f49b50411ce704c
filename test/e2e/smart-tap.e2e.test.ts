import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { p256 } from '@noble/curves/p256';
import { KeyRing, signSmartTap } from '@tlo/crypto';
import { smartTapKeysWorkflowId, tapSignedMessage } from '@tlo/domain';
import { EncryptionCodec } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { decodedHistoryJson, rawHistoryJson } from '../support/histories';
import { dumpDatabase } from '../support/mongo';
import { runScript, type ScriptRun } from '../support/scripts';
import { Stack } from '../support/stack';

const ROOT = join(__dirname, '..', '..');
const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';
const seed = JSON.parse(readFileSync(join(ROOT, 'scripts/smart-tap/seed.json'), 'utf8')) as {
  walletOfTheUser: string[];
};

interface Credentials {
  collectorId: string;
  keyVersion: number;
  privateKeyPem: string;
}
interface TapAnswer {
  authenticated: boolean;
  outcome: string;
  passes: Array<{ objectId: string; smartTapRedemptionValue: string }>;
  reason: string;
}

/** Smart Tap end to end: the seed's example over HTTP, with terminals signing for real. */
describe('Smart Tap end to end', () => {
  let stack: Stack;
  let admin: string;
  const privateKeysSeen: string[] = [];

  beforeAll(async () => {
    stack = await Stack.start();
    admin = stack.token('smarttap.admin');
  });
  afterAll(async () => {
    await stack?.stop();
  });

  const script = (name: string, ...args: string[]) => {
    const run = spawnSync(process.execPath, [join(ROOT, 'scripts/smart-tap', name), ...args], {
      env: {
        ...process.env,
        API_URL: stack.apiUrl,
        JWT_SECRET: stack.jwtSecret,
        TLO_DATA_DIR: join(ROOT, '.data'),
      },
      encoding: 'utf8',
    });
    return { status: run.status, output: `${run.stdout}${run.stderr}` };
  };
  /** A terminal's token: its subject is the collector id it acts for. */
  const terminalOf = (collectorId: string) => stack.tokenAs(collectorId, 'smarttap.terminal');
  const credentials = async (collectorId: string, token = terminalOf(collectorId)) => {
    const response = await stack.request<Credentials>(
      'GET',
      `/smart-tap/terminals/${collectorId}/credentials`,
      { token },
    );
    if (response.status === 200) privateKeysSeen.push(response.body.privateKeyPem);
    return response;
  };
  /** A terminal's signed tap (signed with @noble/curves; the API verifies with node:crypto). */
  const signed = (creds: Credentials, overrides: { signForCollector?: number; tamper?: boolean } = {}) => {
    const terminalNonce = randomBytes(32);
    const mobileNonce = randomBytes(32);
    const ephemeral = p256.getPublicKey(p256.utils.randomPrivateKey(), true);
    const message = tapSignedMessage({
      terminalNonce,
      mobileNonce,
      collectorId: overrides.signForCollector ?? Number(creds.collectorId),
      terminalEphemeralPublicKey: ephemeral,
    });
    if (overrides.tamper) terminalNonce[0] ^= 1;
    return {
      collectorId: creds.collectorId,
      keyVersion: creds.keyVersion,
      terminalNonce: terminalNonce.toString('hex'),
      mobileNonce: mobileNonce.toString('hex'),
      terminalEphemeralPublicKey: Buffer.from(ephemeral).toString('hex'),
      signature: Buffer.from(signSmartTap(creds.privateKeyPem, message)).toString('hex'),
    };
  };
  const tap = async (body: Record<string, unknown>) => {
    const response = await stack.request<TapAnswer>('POST', '/smart-tap/tap', {
      token: terminalOf(String(body.collectorId)),
      body: { passes: seed.walletOfTheUser, ...body },
    });
    expect(response.status).toBe(200);
    return response.body;
  };

  it('loads the seed with `npm run seed:smart-tap`: keys for iLuvCoffee and Eat-foo only', async () => {
    const first = script('seed.js');
    expect(first.output).toContain('[seed] done');
    expect(first.status).toBe(0);
    expect(script('seed.js').output).toContain('already there'); // idempotent
    for (const [issuerId, count] of [
      ['123', 1],
      ['456', 1],
      ['789', 0],
    ] as const) {
      const keys = await stack.request<{
        authenticationKeys: Array<{ version: number; status: string; publicKeyPem: string }>;
      }>('GET', `/smart-tap/issuers/${issuerId}/keys`, { token: admin });
      expect(keys.body.authenticationKeys).toHaveLength(count);
      if (count) expect(keys.body.authenticationKeys[0]).toMatchObject({ version: 1, status: 'ACTIVE' });
      if (count) expect(keys.body.authenticationKeys[0].publicKeyPem).toContain('BEGIN PUBLIC KEY');
    }
  });

  it("reproduces the seed's three outcomes with real terminal signatures", async () => {
    const coffee = await credentials('11111111');
    expect(await tap(signed(coffee.body))).toEqual({
      authenticated: true,
      outcome: 'NONE',
      passes: [],
      reason: 'NO_PASS_REDEEMABLE_HERE',
    });

    const eatFoo = (await credentials('44444444')).body;
    const carousel = await tap(signed(eatFoo));
    expect(carousel).toMatchObject({ authenticated: true, outcome: 'CAROUSEL' });
    expect(carousel.passes.map((p) => p.objectId).sort()).toEqual([
      'minhas-recompensas-sally',
      'r-basic-sally',
    ]);
    expect(await tap({ ...signed(eatFoo), viewedObjectId: 'r-basic-sally' })).toEqual({
      authenticated: true,
      outcome: 'TRANSMIT',
      passes: [{ objectId: 'r-basic-sally', smartTapRedemptionValue: 'RBASIC-0001' }],
      reason: 'VIEWED_PASS',
    });

    const bacon = await credentials('77777777');
    expect(bacon.status).toBe(404);
    expect(bacon.body).toMatchObject({ code: 'NO_ACTIVE_KEY' });
    // A would-be Bacon-R-us terminal signing with some key: there is no published key to check it against.
    expect(await tap(signed({ ...eatFoo, collectorId: '77777777' }))).toMatchObject({
      authenticated: false,
      outcome: 'NONE',
      reason: 'UNKNOWN_KEY_VERSION',
    });
    const terminalRun = script('terminal.js', '--collector', '44444444');
    expect(terminalRun.status).toBe(0);
    expect(terminalRun.output).toContain('outcome: CAROUSEL');
  });

  it("binds a terminal to the collector its token names: another collector's key or taps are 403", async () => {
    const eatFoo = await credentials('44444444');
    expect(eatFoo.status).toBe(200);
    const forbidden = { code: 'FORBIDDEN', field: 'collectorId' };
    for (const subject of ['11111111', '99999999', 'e2e']) {
      const other = await credentials('44444444', terminalOf(subject));
      expect({ subject, status: other.status, body: other.body }).toEqual({
        subject,
        status: 403,
        body: { ...forbidden, message: expect.stringContaining('collectorId') },
      });
      expect(other.text).not.toContain('PRIVATE KEY');
      const asOther = await stack.request('POST', '/smart-tap/tap', {
        token: terminalOf(subject),
        body: { ...signed(eatFoo.body), passes: seed.walletOfTheUser },
      });
      expect({ subject, status: asOther.status, body: asOther.body }).toMatchObject({
        subject,
        status: 403,
        body: forbidden,
      });
    }
    // A terminal of a collector nobody owns may ask for its own: 404, as before.
    expect((await credentials('99999999')).body).toMatchObject({ code: 'UNKNOWN_COLLECTOR' });
    expect(await tap(signed(eatFoo.body))).toMatchObject({ authenticated: true, outcome: 'CAROUSEL' });

    // `npm run -s token -- --subject <collectorId> smarttap.terminal` prints such a terminal's token.
    const printed = await runScript('token.js', ['--subject', '44444444', 'smarttap.terminal'], {
      JWT_SECRET: stack.jwtSecret,
    });
    const lastLine = (run: ScriptRun) => run.stdout.trim().split('\n').at(-1) ?? '';
    expect(printed.status).toBe(0);
    expect((await credentials('44444444', lastLine(printed))).status).toBe(200);
    expect((await credentials('11111111', lastLine(printed))).status).toBe(403);
    // Without --subject the token's subject is `cli`: no collector's credentials.
    const byDefault = await runScript('token.js', ['smarttap.terminal'], { JWT_SECRET: stack.jwtSecret });
    expect(byDefault.status).toBe(0);
    expect((await credentials('44444444', lastLine(byDefault))).status).toBe(403);
  });

  it('refuses a wrong collector id, a tampered nonce, and a retired or revoked key; the old key works during grace', async () => {
    const v1 = (await credentials('44444444')).body;
    expect(await tap(signed(v1, { signForCollector: 11111111 }))).toMatchObject({
      authenticated: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(await tap(signed(v1, { tamper: true }))).toMatchObject({
      authenticated: false,
      reason: 'BAD_SIGNATURE',
    });
    expect(await tap(signed({ ...v1, collectorId: '11111111' }))).toMatchObject({ authenticated: false });

    const rotated = await stack.request<{ state: string }>('POST', '/smart-tap/issuers/456/keys/rotate', {
      token: admin,
    });
    expect(rotated.body.state).toBe('grace');
    const v2 = (await credentials('44444444')).body;
    expect(v2.keyVersion).toBe(2);
    expect((await tap(signed(v1))).authenticated).toBe(true); // grace: both versions authenticate
    expect((await tap(signed(v2))).authenticated).toBe(true);

    const revoked = await stack.request('POST', '/smart-tap/issuers/456/keys/1/revoke', { token: admin });
    expect(revoked.status).toBe(200);
    expect(await tap(signed(v1))).toMatchObject({ authenticated: false, reason: 'KEY_VERSION_RETIRED' });
    expect((await tap(signed(v2))).outcome).toBe('CAROUSEL');
    const again = await stack.request('POST', '/smart-tap/issuers/456/keys/1/revoke', { token: admin });
    expect(again.status).toBe(400);
    expect(again.text).toContain('version');
    if (RECORD) {
      mkdirSync(HISTORIES_DIR, { recursive: true });
      const history = await rawHistoryJson(stack.client, smartTapKeysWorkflowId('456'));
      writeFileSync(join(HISTORIES_DIR, 'smart-tap-keys-rotated-and-revoked.json'), history);
    }
  });

  it('answers bad input with a 4xx naming the field', async () => {
    const bad = async (method: string, path: string, body: unknown, field: string) => {
      const response = await stack.request(method, path, {
        token: method === 'POST' && path.endsWith('tap') ? terminalOf('44444444') : admin,
        body,
      });
      expect({ path, status: response.status, text: response.text }).toMatchObject({
        status: 400,
        text: expect.stringContaining(field),
      });
    };
    await bad(
      'POST',
      '/smart-tap/issuers',
      { issuerId: '999', name: 'x', collectorId: '123' },
      'collectorId',
    );
    await bad(
      'POST',
      '/smart-tap/classes',
      { classId: 'c', issuerId: 'nobody', enableSmartTap: true, redemptionIssuers: [] },
      'issuerId',
    );
    await bad(
      'POST',
      '/smart-tap/objects',
      { objectId: 'o', classId: 'R-basic', smartTapRedemptionValue: 'ü', state: 'ACTIVE' },
      'smartTapRedemptionValue',
    );
    await bad(
      'PUT',
      '/smart-tap/issuers/456/rotation-policy',
      { periodSeconds: 120, graceSeconds: 600 },
      'graceSeconds',
    );
    await bad(
      'POST',
      '/smart-tap/tap',
      {
        collectorId: '44444444',
        keyVersion: 1,
        terminalNonce: 'zz',
        mobileNonce: '00',
        terminalEphemeralPublicKey: '02',
        signature: '30',
        passes: [],
      },
      'terminalNonce',
    );
    const duplicate = await stack.request('POST', '/smart-tap/issuers', {
      token: admin,
      body: { issuerId: '456', name: 'again' },
    });
    expect(duplicate.status).toBe(409);
    const policy = await stack.request<{ keys: unknown[] }>('PUT', '/smart-tap/issuers/456/rotation-policy', {
      token: admin,
      body: { periodSeconds: 30 * 24 * 3600, graceSeconds: 24 * 3600 },
    });
    expect(policy.status).toBe(200);
  });

  it('never lets a private key appear in clear in history, search attributes, logs or MongoDB', async () => {
    expect(privateKeysSeen.length).toBeGreaterThanOrEqual(3);
    const codec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));
    const texts = [stack.allLogs(), await dumpDatabase(stack.mongo)];
    for (const issuerId of ['123', '456']) {
      const workflowId = smartTapKeysWorkflowId(issuerId);
      const raw = await rawHistoryJson(stack.client, workflowId);
      const decoded = await decodedHistoryJson(stack.client, workflowId, codec);
      // The transitions are in the local projections' markers, readable only once decoded.
      expect(raw).toContain('core_local_activity');
      expect(decoded).toContain('KEY_ROTATED');
      expect(raw).not.toContain('KEY_ROTATED');
      texts.push(raw, decoded);
      texts.push(JSON.stringify((await stack.client.workflow.getHandle(workflowId).describe()).raw));
    }
    for (const pem of new Set(privateKeysSeen)) {
      const body = pem.split('\n').slice(1, -2).join('');
      expect(body.length).toBeGreaterThan(60);
      for (const text of texts) expect(text).not.toContain(body.slice(0, 40));
    }
  });
});
