import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyRing } from '@tlo/crypto';
import { auditTrail, describeTrigger, formatTrailTable, readHistoryFile } from '@tlo/audit';
import { EncryptionCodec } from '@tlo/temporal';
import { FIXTURE_PAYLOAD_CODEC_KEYS } from '../../fixtures/codec-keys';

const HISTORIES = join(__dirname, '..', '..', 'fixtures', 'histories');
const YELLOW = join(HISTORIES, 'manual-provisioning-wrong-wrong-expired-resent-verified.json');
/** The same path recorded with projections as local activities: read from their markers' results. */
const YELLOW_LOCAL = join(
  HISTORIES,
  'manual-provisioning-wrong-wrong-expired-resent-verified-local-projections.json',
);
const fixtureCodec = new EncryptionCodec(KeyRing.parse(FIXTURE_PAYLOAD_CODEC_KEYS));

/** The audit trail read from committed histories recorded by real runs (test/e2e, `npm run record:histories`). */
describe('audit trail', () => {
  it.each([
    ['remote projection activities', YELLOW, 'projectTransition ×8 (one per transition, to MongoDB)'],
    [
      'local projection activities',
      YELLOW_LOCAL,
      'projectTransition ×8 (one per transition, to MongoDB, as local activities)',
    ],
  ])(
    'prints exactly wrong code, wrong code, expired, resend, verified, in order, from an exported file (%s)',
    async (_, file, projections) => {
      const trail = await auditTrail(readHistoryFile(file).history, { codec: fixtureCodec });
      const table = formatTrailTable(trail);
      const rows = table
        .split('\n')
        .filter((line) => /^\d+\s/.test(line))
        .map((line) => line.split(/\s{2,}/));
      expect(rows.map(([seq, , from, event, to]) => [seq, from, event, to])).toEqual([
        ['1', '-', 'STARTED', 'deciding'],
        ['2', 'deciding', 'DECIDED', 'awaitingMethod'],
        ['3', 'awaitingMethod', 'OTP_SENT', 'awaitingCode'],
        ['4', 'awaitingCode', 'OTP_REJECTED', 'awaitingCode'],
        ['5', 'awaitingCode', 'OTP_REJECTED', 'awaitingCode'],
        ['6', 'awaitingCode', 'OTP_EXPIRED', 'codeExpired'],
        ['7', 'codeExpired', 'OTP_SENT', 'awaitingCode'],
        ['8', 'awaitingCode', 'OTP_VERIFIED', 'active'],
      ]);
      expect(rows.map((row) => row[5])).toEqual([
        'start · POST /tokenization-requests by wallet-app',
        'update decision · POST /tokenization-requests by wallet-app → activity decideTokenizationRequest completed',
        'update sendOtp · POST /tokenization-requests/:requestId/otp by wallet-app → activity issueOtp completed',
        'update verifyOtp · POST /tokenization-requests/:requestId/otp/verify by wallet-app',
        'update verifyOtp · POST /tokenization-requests/:requestId/otp/verify by wallet-app',
        expect.stringMatching(/^timer [\d.]+s$/),
        'update sendOtp · POST /tokenization-requests/:requestId/otp by wallet-app → activity issueOtp completed',
        'update verifyOtp · POST /tokenization-requests/:requestId/otp/verify by wallet-app',
      ]);
      expect(table).toContain('Payloads  decrypted with the codec key');
      expect(table).toMatch(/issueOtp\s+1\s+completed/);
      expect(table).toContain(`${projections}: none retried, all completed`);
    },
  );

  it('reads the transition times from the workflow: the code expired a full TTL after it was sent', async () => {
    const trail = await auditTrail(readHistoryFile(YELLOW).history, { codec: fixtureCodec });
    const at = trail.transitions.map((transition) => Date.parse(transition.at));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(at[5] - at[2]).toBeGreaterThanOrEqual(30_000);
    expect(trail.transitions.map((transition) => transition.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(trail).toMatchObject({
      status: 'completed',
      lifecycle: 'manual-provisioning',
      payloads: 'decrypted',
    });
  });

  it('reads a local projection from its marker: the type, attempt and outcome the SDK recorded', async () => {
    const trail = await auditTrail(readHistoryFile(YELLOW_LOCAL).history, { codec: fixtureCodec });
    const projections = trail.activities.filter((activity) => activity.type === 'projectTransition');
    expect(projections).toHaveLength(8);
    for (const projection of projections) {
      expect(projection).toMatchObject({ local: true, attempts: 1, outcome: 'completed', failures: [] });
    }
    expect(trail.activities.filter((activity) => activity.type === 'lastProjectedVersion')).toEqual([]);
    expect(trail.transitions.map((transition) => transition.eventId)).toEqual(
      projections.map((projection) => projection.scheduledEventId),
    );
  });

  it.each([
    ['no codec key', undefined],
    [
      'a key ring without the key the history was written with',
      new EncryptionCodec(KeyRing.parse(KeyRing.format([KeyRing.generateKey('other')]))),
    ],
  ])('with %s shows the states, times and triggers, never the chart events', async (_, codec) => {
    const trail = await auditTrail(readHistoryFile(YELLOW).history, { codec });
    expect(trail.payloads).toBe('encrypted');
    expect(trail.transitions.map(({ from, event, to }) => [from, event, to])).toEqual([
      [null, null, 'deciding'],
      ['deciding', null, 'awaitingMethod'],
      ['awaitingMethod', null, 'awaitingCode'],
      ['awaitingCode', null, 'awaitingCode'],
      ['awaitingCode', null, 'awaitingCode'],
      ['awaitingCode', null, 'codeExpired'],
      ['codeExpired', null, 'awaitingCode'],
      ['awaitingCode', null, 'active'],
    ]);
    expect(trail.transitions[3].trigger).toMatchObject({ kind: 'update', name: 'verifyOtp' });
    const table = formatTrailTable(trail);
    expect(table).toContain('(encrypted)');
    expect(table).not.toMatch(/OTP_|DECIDED|STARTED/);
  });

  it('does not count the state a continued run resumes in as a transition', async () => {
    const { history } = readHistoryFile(YELLOW);
    history.events![0].workflowExecutionStartedEventAttributes!.continuedExecutionRunId = 'previous-run';
    const trail = await auditTrail(history);
    expect(trail.transitions.map(({ from, to }) => [from, to])).toEqual([
      ['deciding', 'awaitingMethod'],
      ['awaitingMethod', 'awaitingCode'],
      ['awaitingCode', 'awaitingCode'],
      ['awaitingCode', 'awaitingCode'],
      ['awaitingCode', 'codeExpired'],
      ['codeExpired', 'awaitingCode'],
      ['awaitingCode', 'active'],
    ]);
  });

  it('counts an activity’s attempts and keeps the failure of the attempt before the last', async () => {
    const path = join(HISTORIES, 'manual-provisioning-webhook-verified.json');
    const trail = await auditTrail(readHistoryFile(path).history, { codec: fixtureCodec });
    expect(trail.activities.find((activity) => activity.type === 'issueOtp')).toMatchObject({
      attempts: 2,
      outcome: 'completed',
      failures: [expect.stringContaining('answered 500')],
    });
  });

  it('tells every lifecycle’s story, each transition starting where the previous one ended', async () => {
    for (const file of [
      'push-provisioning-apple-pay-added-and-removed.json',
      'push-provisioning-apple-pay-added-and-removed-local-projections.json',
      'fop-instrument-associated-refreshed.json',
      'smart-tap-keys-rotated-and-revoked.json',
      'saved-card-cancelled-purged.json',
    ]) {
      const trail = await auditTrail(readHistoryFile(join(HISTORIES, file)).history, { codec: fixtureCodec });
      expect(trail.payloads).toBe('decrypted');
      expect(trail.transitions.length).toBeGreaterThan(2);
      expect(trail.transitions[0]).toMatchObject({
        event: 'STARTED',
        from: null,
        trigger: { kind: 'start' },
      });
      trail.transitions.slice(1).forEach((transition, index) => {
        expect(transition.from).toBe(trail.transitions[index].to);
      });
    }
  });

  it('describes a trigger with its cause first', () => {
    expect(
      describeTrigger({
        kind: 'activity',
        name: 'issueOtp completed',
        eventId: 9,
        cause: {
          kind: 'update',
          name: 'sendOtp',
          eventId: 5,
          caller: { route: 'POST /x/:id/otp', subject: 'app' },
        },
      }),
    ).toBe('update sendOtp · POST /x/:id/otp by app → activity issueOtp completed');
    expect(describeTrigger({ kind: 'signal', name: 'walletEvent', eventId: 3 })).toBe('signal walletEvent');
  });

  it('refuses a file that is not a workflow history, naming it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tlo-trail-'));
    writeFileSync(join(dir, 'broken.json'), '{"events": [');
    writeFileSync(join(dir, 'empty.json'), '{"events": []}');
    expect(() => readHistoryFile(join(dir, 'broken.json'))).toThrow(/broken\.json: not a JSON file/);
    expect(() => readHistoryFile(join(dir, 'empty.json'))).toThrow(/empty\.json: not a workflow history/);
  });
});
