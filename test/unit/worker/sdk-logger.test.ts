import { ApplicationFailure } from '@temporalio/common';
import { LogTimestamp } from '@temporalio/worker';
import type { Logger } from '@tlo/config';
import { sdkLogFields, sdkLogger } from '../../../apps/worker/src/sdk-logger';

describe('the worker’s Temporal SDK logger', () => {
  it('puts an activity’s ids on the line as workflowId, runId, activityType and attempt', () => {
    // What the SDK attaches to an activity's `log` calls (activityLogAttributes + sdkComponent).
    const fields = sdkLogFields({
      sdkComponent: 'activity',
      isLocal: false,
      attempt: 2,
      namespace: 'default',
      taskToken: 'CiQ5YjA2...',
      activityId: '5',
      activityType: 'issueOtp',
      taskQueue: 'tokenization',
      workflowId: 'manual-provisioning:r-1',
      workflowRunId: '01a20951-b3ca-72f0-88b0-1791a608a1fd',
      workflowType: 'manualProvisioning',
      requestId: 'r-1',
      channel: 'SMS',
    });
    expect(fields).toEqual({
      sdkComponent: 'activity',
      isLocal: false,
      attempt: 2,
      namespace: 'default',
      activityId: '5',
      activityType: 'issueOtp',
      taskQueue: 'tokenization',
      workflowId: 'manual-provisioning:r-1',
      runId: '01a20951-b3ca-72f0-88b0-1791a608a1fd',
      workflowType: 'manualProvisioning',
      requestId: 'r-1',
      channel: 'SMS',
    });
  });

  it('renames Core’s snake_case fields and keeps its failure text and target', () => {
    expect(
      sdkLogFields({
        sdkComponent: 'core',
        target: 'temporalio_sdk_core',
        run_id: 'r',
        failure: 'F',
        spanContexts: [],
      }),
    ).toEqual({ sdkComponent: 'core', target: 'temporalio_sdk_core', runId: 'r', failure: 'F' });
  });

  it('writes an error as its message, name, type, cause and stack', () => {
    const cause = new TypeError('socket hang up');
    const error = ApplicationFailure.create({ message: 'card disappeared', type: 'CardNotFound', cause });
    const fields = sdkLogFields({ error, durationMs: 3 });
    expect(fields).toMatchObject({
      error: 'card disappeared',
      errorName: 'ApplicationFailure',
      errorType: 'CardNotFound',
      errorCause: 'TypeError: socket hang up',
      errorStack: expect.stringContaining('card disappeared'),
      durationMs: 3,
    });
    expect(JSON.stringify(sdkLogFields({ error: new Error('x') }))).toContain('"error":"x"');
  });

  it('flattens a nested object one level and leaves deeper values (codec keys) out', () => {
    const fields = sdkLogFields({
      taskQueue: 'tokenization',
      options: {
        namespace: 'default',
        maxCachedWorkflows: 100,
        dataConverter: { payloadCodecs: [{ ring: { keys: [{ key: Buffer.from('secret-key') }] } }] },
        activities: { issueOtp: () => undefined },
      },
    });
    expect(fields).toEqual({
      taskQueue: 'tokenization',
      'options.namespace': 'default',
      'options.maxCachedWorkflows': 100,
    });
  });

  it('dates the line with the SDK’s own timestamp (messages are buffered before they are written)', () => {
    const at = Date.UTC(2026, 0, 2, 3, 4, 5, 678);
    expect(sdkLogFields({ [LogTimestamp]: BigInt(at) * 1_000_000n + 123n })).toEqual({
      time: '2026-01-02T03:04:05.678Z',
    });
  });

  it('maps the SDK’s levels onto the JSON logger and drops TRACE', () => {
    const calls: Array<[string, string, Record<string, unknown> | undefined]> = [];
    const record =
      (level: string) =>
      (message: string, fields?: Record<string, unknown>): void => {
        calls.push([level, message, fields]);
      };
    const json: Logger = {
      debug: record('debug'),
      info: record('info'),
      warn: record('warn'),
      error: record('error'),
      child: () => json,
    };
    const logger = sdkLogger(json);
    logger.trace('polling');
    logger.log('TRACE', 'polling');
    logger.debug('Activity started', { workflowRunId: 'r' });
    logger.log('INFO', 'Worker state changed', { state: 'RUNNING' });
    logger.log('WARN', 'Failing workflow task', { run_id: 'r' });
    logger.error('Worker failed', { error: new Error('boom') });
    expect(calls.map(([level, message]) => [level, message])).toEqual([
      ['debug', 'Activity started'],
      ['info', 'Worker state changed'],
      ['warn', 'Failing workflow task'],
      ['error', 'Worker failed'],
    ]);
    expect(calls[0][2]).toEqual({ runId: 'r' });
    expect(calls[3][2]).toMatchObject({ error: 'boom', errorName: 'Error' });
  });
});
