import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleWorkflowCode } from '@temporalio/worker';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { type AuditTrail, readHistoryFile } from '@tlo/audit';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../fixtures/codec-keys';
import { runAudit } from '../support/scripts';
import { eventually } from '../support/eventually';
import { testServers } from '../setup/servers-file';
import { Stack } from '../support/stack';
import { type YellowPath, YellowPathDriver } from '../support/yellow-path';
import { wrongCodeFor } from '../support/codes';

const ROOT = join(__dirname, '..', '..');
const HISTORIES_DIR = join(ROOT, 'test', 'fixtures', 'histories');
const RECORD = process.env.RECORD_HISTORIES === '1';
const OTP_TTL_SECONDS = 30; // the card program's minimum

/**
 * The auditors' commands end to end: a yellow path runs over HTTP on the run's dev server, then
 * `audit:export` fetches its history by a visibility query, `audit:trail` tells its story from the
 * exported file alone, and `audit:replay` replays it (and fails on deliberately changed code).
 */
describe('audit commands end to end', () => {
  let stack: Stack;
  let yellow: YellowPathDriver;
  let path: YellowPath;
  let exportDir: string;
  let exported: string;
  const withKey = () => ({
    TEMPORAL_ADDRESS: testServers().temporalAddress,
    PAYLOAD_CODEC_KEYS: FIXTURE_PAYLOAD_CODEC_KEYS,
    TLO_DATA_DIR: mkdtempSync(join(tmpdir(), 'tlo-audit-')),
  });

  beforeAll(async () => {
    stack = await Stack.start();
    yellow = new YellowPathDriver(stack);
    exportDir = mkdtempSync(join(tmpdir(), 'tlo-export-'));
  });
  afterAll(async () => {
    await stack?.stop();
  });

  it('a yellow path goes wrong code, wrong code, expired, resend, verified', async () => {
    await yellow.program('audit-short-codes', { otpTtlSeconds: OTP_TTL_SECONDS, maxAttempts: 3 });
    path = await yellow.start('audit-short-codes');
    const first = await yellow.sendCode(path);
    expect(await yellow.verify(path, wrongCodeFor(first))).toEqual({
      result: 'INVALID_CODE',
      attemptsLeft: 2,
    });
    expect(await yellow.verify(path, wrongCodeFor(first))).toEqual({
      result: 'INVALID_CODE',
      attemptsLeft: 1,
    });
    // The code's Temporal timer fires: no request moves it to codeExpired.
    await eventually(
      async () => expect(await yellow.state(path)).toBe('codeExpired'),
      (OTP_TTL_SECONDS + 20) * 1000,
    );
    const second = await yellow.sendCode(path);
    expect(await yellow.verify(path, second)).toEqual({ result: 'VERIFIED', attemptsLeft: 3 });
    await stack.client.workflow.getHandle(path.workflowId).result();
  }, 120_000);

  it('audit:export writes the history a visibility query matches, one JSON file per run', async () => {
    const query = `Lifecycle = 'manual-provisioning' AND CardId = '${path.proxy}'`;
    const result = await runAudit(['export', '--query', query, '--out', exportDir], withKey());
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    const files = readdirSync(exportDir);
    expect(files).toEqual([
      expect.stringMatching(/^manual-provisioning%3A[0-9a-f-]{36}__[0-9a-f-]{36}\.json$/),
    ]);
    expect(result.stdout).toContain(`exported ${path.workflowId} run `);
    expect(result.stdout).toContain('1 history exported');
    exported = join(exportDir, files[0]);
    if (RECORD)
      copyFileSync(
        exported,
        join(HISTORIES_DIR, 'manual-provisioning-wrong-wrong-expired-resent-verified.json'),
      );
  });

  it('exports the same history the Temporal CLI does, and the trail reads a CLI export too', async () => {
    const cli = spawnSync(
      join(ROOT, '.tools', 'bin', 'temporal'),
      [
        'workflow',
        'show',
        '--workflow-id',
        path.workflowId,
        '--address',
        testServers().temporalAddress,
        '--output',
        'json',
      ],
      { encoding: 'utf8' },
    );
    expect(cli.status).toBe(0);
    const fromCli = historyFromJSON(JSON.parse(cli.stdout));
    const ours = readHistoryFile(exported).history;
    const shape = (events: typeof ours.events) =>
      (events ?? []).map((event) => [Number(event.eventId), event.eventType]);
    expect(shape(ours.events)).toEqual(shape(fromCli.events));
    expect(ours.events!.length).toBeGreaterThan(40);

    const cliFile = join(mkdtempSync(join(tmpdir(), 'tlo-cli-')), 'history.json');
    writeFileSync(cliFile, cli.stdout);
    const trail = await runAudit(['trail', '--file', cliFile, '--format', 'json'], withKey());
    expect(trail.status).toBe(0);
    expect((JSON.parse(trail.stdout) as AuditTrail).transitions.map((t) => t.event)).toEqual([
      'STARTED',
      'DECIDED',
      'OTP_SENT',
      'OTP_REJECTED',
      'OTP_REJECTED',
      'OTP_EXPIRED',
      'OTP_SENT',
      'OTP_VERIFIED',
    ]);
  });

  it('audit:trail prints exactly those transitions, in order, from the exported file', async () => {
    const result = await runAudit(['trail', '--file', exported, '--format', 'json'], withKey());
    expect(result.status).toBe(0);
    const trail = JSON.parse(result.stdout) as AuditTrail;
    expect(trail).toMatchObject({
      workflowId: path.workflowId,
      workflowType: 'manualProvisioning',
      lifecycle: 'manual-provisioning',
      status: 'completed',
      payloads: 'decrypted',
    });
    expect(trail.transitions.map(({ from, event, to }) => [from, event, to])).toEqual([
      [null, 'STARTED', 'deciding'],
      ['deciding', 'DECIDED', 'awaitingMethod'],
      ['awaitingMethod', 'OTP_SENT', 'awaitingCode'],
      ['awaitingCode', 'OTP_REJECTED', 'awaitingCode'],
      ['awaitingCode', 'OTP_REJECTED', 'awaitingCode'],
      ['awaitingCode', 'OTP_EXPIRED', 'codeExpired'],
      ['codeExpired', 'OTP_SENT', 'awaitingCode'],
      ['awaitingCode', 'OTP_VERIFIED', 'active'],
    ]);
    const times = trail.transitions.map((transition) => Date.parse(transition.at));
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(times[5] - times[2]).toBeGreaterThanOrEqual(OTP_TTL_SECONDS * 1000);

    const verifyCall = { route: 'POST /tokenization-requests/:requestId/otp/verify', subject: 'wallet-app' };
    const sendCall = { route: 'POST /tokenization-requests/:requestId/otp', subject: 'wallet-app' };
    const triggers = trail.transitions.map((transition) => transition.trigger);
    expect(triggers[0]).toMatchObject({
      kind: 'start',
      caller: { route: 'POST /tokenization-requests', subject: 'wallet-app' },
    });
    expect(triggers[1]).toMatchObject({ kind: 'activity', name: 'decideTokenizationRequest completed' });
    expect(triggers[2]).toMatchObject({
      kind: 'activity',
      name: 'issueOtp completed',
      cause: { kind: 'update', name: 'sendOtp', caller: sendCall },
    });
    expect(triggers[3]).toMatchObject({ kind: 'update', name: 'verifyOtp', caller: verifyCall });
    expect(triggers[4]).toMatchObject({ kind: 'update', name: 'verifyOtp', caller: verifyCall });
    expect(triggers[5]).toMatchObject({ kind: 'timer', name: expect.stringMatching(/^[\d.]+s$/) });
    expect(triggers[6]).toMatchObject({
      kind: 'activity',
      cause: { kind: 'update', name: 'sendOtp', caller: sendCall },
    });
    expect(triggers[7]).toMatchObject({ kind: 'update', name: 'verifyOtp', caller: verifyCall });

    expect(trail.activities.filter((a) => a.type === 'issueOtp')).toEqual([
      expect.objectContaining({ attempts: 1, outcome: 'completed', failures: [] }),
      expect.objectContaining({ attempts: 1, outcome: 'completed', failures: [] }),
    ]);
    expect(trail.activities.filter((a) => a.type === 'projectTransition')).toHaveLength(8);

    const table = await runAudit(['trail', '--file', exported], withKey());
    expect(table.status).toBe(0);
    const rows = table.stdout.split('\n').filter((line) => /^\d+\s/.test(line));
    expect(rows.map((row) => row.split(/\s{2,}/).slice(2, 5))).toEqual(
      trail.transitions.map(({ from, event, to }) => [from ?? '-', event, to]),
    );
    const live = await runAudit(['trail', path.workflowId], withKey());
    expect(live.status).toBe(0);
    expect(live.stdout.split('\n').filter((line) => /^\d+\s/.test(line))).toEqual(rows);

    expect(table.stdout).toContain(
      'update verifyOtp · POST /tokenization-requests/:requestId/otp/verify by wallet-app',
    );
  });

  it('audit:trail without the codec key shows the states and triggers, and no chart event or payload', async () => {
    const result = await runAudit(['trail', '--file', exported, '--format', 'json'], {
      ...withKey(),
      PAYLOAD_CODEC_KEYS: '',
    });
    expect(result.status).toBe(0);
    const trail = JSON.parse(result.stdout) as AuditTrail;
    expect(trail.payloads).toBe('encrypted');
    expect(trail.transitions.map(({ event, to }) => [event, to])).toEqual([
      [null, 'deciding'],
      [null, 'awaitingMethod'],
      [null, 'awaitingCode'],
      [null, 'awaitingCode'],
      [null, 'awaitingCode'],
      [null, 'codeExpired'],
      [null, 'awaitingCode'],
      [null, 'active'],
    ]);
    expect(trail.transitions[5].trigger).toMatchObject({ kind: 'timer' });
    expect(result.stdout).not.toContain('OTP_');
  });

  it('audit:replay replays the exported file and the live workflow against the current code', async () => {
    const fromDir = await runAudit(['replay', '--dir', exportDir], withKey());
    expect(fromDir.status).toBe(0);
    expect(fromDir.stdout).toMatch(
      new RegExp(`^OK {4}${path.workflowId} run [0-9a-f-]{36} \\(\\d+ events\\)$`, 'm'),
    );
    expect(fromDir.stdout).toContain('1 replayed against');

    const byId = await runAudit(['replay', '--workflow-id', path.workflowId], withKey());
    expect(byId.status).toBe(0);
    expect(byId.stdout).toContain(`OK    ${path.workflowId}`);
  });

  it('audit:replay fails non-zero, naming the workflow and the event, against a deliberately non-deterministic change', async () => {
    const changed = await bundleWorkflowCode({
      workflowsPath: join(__dirname, '..', 'fixtures', 'nondeterministic', 'workflows.ts'),
      logger: { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} },
    });
    const bundle = join(mkdtempSync(join(tmpdir(), 'tlo-changed-')), 'workflow-bundle.js');
    writeFileSync(bundle, changed.code);
    const result = await runAudit(['replay', '--dir', exportDir, '--bundle', bundle], withKey());
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(
      new RegExp(
        `^FAIL  ${path.workflowId} run [0-9a-f-]{36}: determinism violation at event 5 MarkerRecorded \\(patch projections-as-local-activities\\): \\[TMPRL1100\\] Nondeterminism error`,
        'm',
      ),
    );
    expect(result.stdout).toContain('1 replayed against');
    expect(result.stdout).toContain('0 OK, 1 failed');
  });

  it('refuses bad command lines with exit 2 and the usage', async () => {
    const noSource = await runAudit(['replay'], withKey());
    expect(noSource.status).toBe(2);
    expect(noSource.stderr).toContain('give exactly one of --dir, --query, --workflow-id');
    const noKey = await runAudit(['replay', '--dir', exportDir], { ...withKey(), PAYLOAD_CODEC_KEYS: '' });
    expect(noKey.status).toBe(2);
    expect(noKey.stderr).toContain('PAYLOAD_CODEC_KEYS');
    const nothing = await runAudit(
      ['export', '--query', 'CardId = "no-such-card"', '--out', mkdtempSync(join(tmpdir(), 'tlo-none-'))],
      withKey(),
    );
    expect(nothing.status).toBe(1);
    expect(nothing.stdout).toContain('0 histories exported');
    const unknown = await runAudit(['trail', '--file', exported, '--format', 'xml'], withKey());
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toContain('--format is table or json');
    const missing = await runAudit(['trail', 'nosuch-id'], withKey());
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain('audit: no workflow nosuch-id in this namespace');
    expect(missing.stderr).not.toContain('TypeError');
  });
});
