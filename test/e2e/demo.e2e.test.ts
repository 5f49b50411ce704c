import { createHmac } from 'node:crypto';
import { KeyRing } from '@tlo/crypto';
import { EncryptionCodec } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { standaloneCode } from '../support/codes';
import { decodedHistoryJson } from '../support/histories';
import { eventually } from '../support/eventually';
import { runScript, type ScriptRun } from '../support/scripts';
import { Stack } from '../support/stack';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const processes = require('../../scripts/lib/processes');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const demoCards = require('../../scripts/demo/cards') as {
  ISSUER_CARD_PAN: string;
  SHOPPER_CARD_PAN: string;
};

const UI_URL = 'http://temporal-ui.example:8233';
const DEMO_TIMEOUT_MS = 180_000;

interface SummaryRow {
  lifecycle: string;
  label: string;
  state: string;
  workflowId: string;
  link: string;
}

/** `npm run demo` as a child process. */
const runDemo = (env: Record<string, string>) => runScript('demo.js', [], env);

/** The summary's rows: a lifecycle line, then per workflow its label, state and id, then its link. */
function summaryRows(stdout: string): SummaryRow[] {
  const lines = stdout.slice(stdout.indexOf('== Summary ==')).split('\n').slice(1);
  const rows: SummaryRow[] = [];
  let lifecycle = '';
  lines.forEach((line, i) => {
    if (/^ {2}\S/.test(line)) lifecycle = line.trim();
    const row = /^ {4}(\S.*?) {2,}(\S+) {2,}(\S+)$/.exec(line);
    if (row)
      rows.push({ lifecycle, label: row[1], state: row[2], workflowId: row[3], link: lines[i + 1].trim() });
  });
  return rows;
}

/** Every 6-digit code whose HMAC the workflow held: the codes sent and typed, recovered from history. */
function codesBehind(hmacs: string[], key: Buffer, requestId: string): string[] {
  const wanted = new Set(hmacs);
  const codes: string[] = [];
  for (let n = 0; n < 1_000_000; n++) {
    const code = String(n).padStart(6, '0');
    if (wanted.has(createHmac('sha256', key).update(`${requestId}|${code}`).digest('hex'))) codes.push(code);
  }
  return codes;
}

const luhnValid = (digits: string) =>
  [...digits].reverse().reduce((sum, c, i) => {
    const d = Number(c) * (i % 2 ? 2 : 1);
    return sum + (d > 9 ? d - 9 : d);
  }, 0) %
    10 ===
  0;

/** `npm run demo` against a real stack: API and worker processes, the run's Temporal dev server, FerretDB. */
describe('npm run demo', () => {
  let stack: Stack;
  let first: ScriptRun;
  let rows: SummaryRow[];

  beforeAll(async () => {
    stack = await Stack.start();
  });
  afterAll(async () => {
    await stack?.stop();
  });
  // The stack's data dir holds the development Apple root its API trusts, as `npm start`'s .data/ does.
  const demoEnv = () => ({
    API_URL: stack.apiUrl,
    JWT_SECRET: stack.jwtSecret,
    TEMPORAL_UI_URL: UI_URL,
    TLO_DATA_DIR: stack.dataDir,
  });

  it(
    'drives every lifecycle to its final state, one line per HTTP step, and links each workflow in the Web UI',
    async () => {
      first = await runDemo(demoEnv());
      expect({ status: first.status, output: first.output }).toEqual({
        status: 0,
        output: expect.any(String),
      });
      rows = summaryRows(first.stdout);
      expect(rows.map((row) => [row.lifecycle.slice(0, 2), row.workflowId.split(':')[0], row.state])).toEqual(
        [
          ['1.', 'push-provisioning', 'active'],
          ['1.', 'push-provisioning', 'active'],
          ['2.', 'manual-provisioning', 'active'],
          ['3.', 'fop-authentication', 'consumed'],
          ['3.', 'fop-authentication', 'consumed'],
          ['3.', 'fop-instrument', 'active'],
          ['4.', 'smart-tap-keys', 'grace'],
          ['4.', 'smart-tap-keys', 'steady'],
          ['5.', 'saved-card', 'cancelled'],
        ],
      );
      expect(
        rows
          .map((row) => row.workflowId.split(':').at(-1))
          .slice(0, 2)
          .sort(),
      ).toEqual(['ApplePay', 'GooglePay']);
      for (const row of rows) {
        const link = `${UI_URL}/namespaces/default/workflows/${encodeURIComponent(row.workflowId)}`;
        expect(row.link).toBe(link);
        expect(first.stdout).toContain(`  workflow ${row.workflowId}: ${row.state}\n    ${link}\n`);
        // The state printed is the one the workflow itself reports, on this stack's task queue.
        const described = await stack.client.workflow.getHandle(row.workflowId).describe();
        expect(described.taskQueue).toBe(stack.taskQueue);
        expect(described.searchAttributes.LifecycleState).toEqual([row.state]);
      }

      const steps = first.stdout.split('\n').filter((line) => /^ {2}\[\d{3}\] (GET|POST|PUT) \//.test(line));
      expect(steps.length).toBeGreaterThanOrEqual(40);
      for (const answer of [
        'TOKEN_ACTIVATED -> state active',
        'YELLOW',
        'INVALID_CODE, 2 attempts left',
        'VERIFIED',
        '[303] POST /standard-payments/auth',
        'refreshes the token -> SUCCESS',
        'CAROUSEL',
        'TRANSMIT',
        'NO_ACTIVE_KEY',
        'CANCELLED by BUYER',
        '(STARTED > USED > CANCELLED)',
      ])
        expect(steps.join('\n')).toContain(answer);
    },
    DEMO_TIMEOUT_MS,
  );

  it('gives every lifecycle a static summary and current details naming its state, without card data', async () => {
    for (const row of rows) {
      const handle = stack.client.workflow.getHandle(row.workflowId);
      const described = await handle.describe();
      const summary = await described.staticSummary();
      const { currentDetails } = await handle.query<{ currentDetails: string }>(
        '__temporal_workflow_metadata',
      );
      expect({ workflowId: row.workflowId, summary }).toEqual({
        workflowId: row.workflowId,
        summary: expect.stringMatching(/\S{10,}/),
      });
      expect(currentDetails).toContain(`**State:** ${row.state}`);
      for (const text of [summary, currentDetails]) expect(text).not.toMatch(/\d{13,19}/);
    }
  });

  it('lets an operator find the rotated Smart Tap key set in grace by its search attributes', async () => {
    const rotated = rows.find((row) => row.state === 'grace')!;
    const issuerId = rotated.workflowId.slice('smart-tap-keys:'.length);
    const found = async (query: string) => {
      const ids: string[] = [];
      for await (const execution of stack.client.workflow.list({ query })) ids.push(execution.workflowId);
      return ids;
    };
    await eventually(async () =>
      expect(
        await found(`Lifecycle = "smart-tap-keys" AND LifecycleState = "grace" AND IssuerId = "${issuerId}"`),
      ).toEqual([rotated.workflowId]),
    );
    const steady = rows.find((row) => row.state === 'steady')!;
    expect(
      await found(
        `Lifecycle = "smart-tap-keys" AND LifecycleState = "grace" AND IssuerId = "${steady.workflowId.slice('smart-tap-keys:'.length)}"`,
      ),
    ).toEqual([]);
  });

  it(
    'prints no card number, one-time code or private key',
    async () => {
      expect(first.status).toBe(0);
      for (const pan of [demoCards.ISSUER_CARD_PAN, demoCards.SHOPPER_CARD_PAN])
        expect(first.output).not.toContain(pan);
      const longDigitRuns = first.output.match(/\d{13,19}/g) ?? [];
      expect(longDigitRuns.filter(luhnValid)).toEqual([]);
      expect(first.output).not.toContain('PRIVATE KEY');

      // The codes, recovered from the HMACs in the decoded history (the workflow never sees a code).
      const workflowId = rows.find((row) => row.workflowId.startsWith('manual-provisioning:'))!.workflowId;
      const history = await decodedHistoryJson(
        stack.client,
        workflowId,
        new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS)),
      );
      const hmacs = [...history.matchAll(/codeHmac\\*":\\*"([0-9a-f]{64})/g)].map((match) => match[1]);
      const codes = codesBehind(hmacs, stack.otpHmacKey, workflowId.slice('manual-provisioning:'.length));
      expect(codes).toHaveLength(2); // the code sent, and the wrong one the demo typed first
      for (const code of codes) expect(first.output).not.toMatch(standaloneCode(code));
    },
    DEMO_TIMEOUT_MS,
  );

  it(
    'runs again with fresh ids',
    async () => {
      const again = await runDemo(demoEnv());
      expect({ status: again.status, output: again.output }).toEqual({
        status: 0,
        output: expect.any(String),
      });
      const ids = summaryRows(again.stdout).map((row) => row.workflowId);
      expect(ids).toHaveLength(rows.length);
      expect(ids.filter((id) => rows.some((row) => row.workflowId === id))).toEqual([]);
    },
    DEMO_TIMEOUT_MS,
  );

  it('stops at an unexpected status, printing the step, the status and the answer', async () => {
    const run = await runDemo({ ...demoEnv(), JWT_SECRET: 'not-the-secret-of-this-stack' });
    expect(run.status).toBe(1);
    expect(run.output).toContain("[demo] step failed: register a Mastercard in the issuer's registry");
    expect(run.output).toContain('POST /cards answered 401');
    expect(run.output).toContain('"code": "UNAUTHORIZED"');
    expect(run.output).not.toContain('== Summary ==');
  });

  it('fails fast with a clear message when the API is not reachable', async () => {
    const started = Date.now();
    const run = await runDemo({ API_URL: `http://127.0.0.1:${await processes.freePort()}` });
    expect(run.status).toBe(1);
    expect(run.output).toContain('cannot reach the API');
    expect(run.output).toContain('start the product first with npm start');
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
