import type { HistoryAndWorkflowId } from '@temporalio/common';
import type { DataConverter } from '@temporalio/common';
import { Worker } from '@temporalio/worker';
import { DeterminismViolationError } from '@temporalio/workflow';
import type { Payload } from '@temporalio/common';
import { type History, type HistoryEvent, eventTypeName, plainPayloadValue } from './history-events';

export interface ReplayFailure {
  kind: 'nondeterminism' | 'error';
  /** The SDK's own words, e.g. `[TMPRL1100] Nondeterminism error: … HistoryEvent(id: 5, …)`. */
  message: string;
  /** The history event replay failed at, when the SDK names one. */
  event: { id: number; type: string; detail?: string } | null;
}

export interface ReplayOutcome {
  workflowId: string;
  runId: string;
  events: number;
  failure: ReplayFailure | null;
}

export interface ReplayOptions {
  /** The workflow code to replay against: a bundle file or bundled code. */
  workflowBundle: { codePath: string } | { code: string };
  dataConverter?: DataConverter;
}

/**
 * Replays each history against the given workflow code (`Worker.runReplayHistories`), yielding one
 * outcome per workflow run in order. The only replay path: the audit command and `npm test` use it.
 */
export async function* replayHistories(
  histories: AsyncIterable<HistoryAndWorkflowId> | Iterable<HistoryAndWorkflowId>,
  options: ReplayOptions,
): AsyncGenerator<ReplayOutcome> {
  const pending: HistoryAndWorkflowId[] = [];
  async function* remembered(): AsyncGenerator<HistoryAndWorkflowId> {
    for await (const item of histories) {
      pending.push(item);
      yield item;
    }
  }
  for await (const result of Worker.runReplayHistories(
    { workflowBundle: options.workflowBundle, dataConverter: options.dataConverter },
    remembered(),
  )) {
    const index = pending.findIndex((item) => item.workflowId === result.workflowId);
    const [replayed] = index >= 0 ? pending.splice(index, 1) : [undefined];
    const events = (replayed?.history as History | undefined)?.events ?? [];
    yield {
      workflowId: result.workflowId,
      runId: result.runId,
      events: events.length,
      failure: result.error ? replayFailure(result.error, events) : null,
    };
  }
}

function replayFailure(error: Error, events: HistoryEvent[]): ReplayFailure {
  const coreMessage = /\[TMPRL\d+\][^"]*/.exec(error.message)?.[0] ?? error.message;
  const named = /HistoryEvent\(id: (\d+), (\w+)/.exec(error.message);
  let event: ReplayFailure['event'] = null;
  if (named) {
    const id = Number(named[1]);
    const found = events.find((candidate) => Number(candidate.eventId) === id);
    event = { id, type: found ? eventTypeName(found) : named[2] };
    const detail = found ? eventDetail(found) : undefined;
    if (detail) event.detail = detail;
  }
  // A patch marker the changed code does not ask for is named by its patch id, not its event id.
  const patch = named ? null : /patch marker encountered for change ([^,\s]+)/.exec(error.message)?.[1];
  const marker = patch ? events.find((candidate) => patchMarkerId(candidate) === patch) : undefined;
  if (marker) event = { id: Number(marker.eventId), type: eventTypeName(marker), detail: `patch ${patch}` };
  return {
    kind: error instanceof DeterminismViolationError ? 'nondeterminism' : 'error',
    message: coreMessage,
    event,
  };
}

/** The patch id of a `patched()` marker (Core SDK's `core_patch`, JSON `{id, deprecated}`), else null. */
function patchMarkerId(event: HistoryEvent): string | null {
  const attributes = event.markerRecordedEventAttributes;
  if (attributes?.markerName !== 'core_patch') return null;
  const [payload] = Object.values(attributes.details ?? {}).flatMap((details) => details.payloads ?? []);
  return plainPayloadValue<{ id?: string }>(payload as Payload | undefined)?.id ?? null;
}

/** The activity, timer or handler an event is about, to point the auditor at the changed code. */
function eventDetail(event: HistoryEvent): string | undefined {
  return (
    event.activityTaskScheduledEventAttributes?.activityType?.name ??
    (event.timerStartedEventAttributes ? `timer ${event.timerStartedEventAttributes.timerId}` : undefined) ??
    event.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.name ??
    event.workflowExecutionSignaledEventAttributes?.signalName ??
    undefined
  );
}

/** `OK    <workflowId> run <runId> (<n> events)` or `FAIL  … nondeterminism at event 5 …: <message>`. */
export function formatReplayOutcome(outcome: ReplayOutcome): string {
  const subject = `${outcome.workflowId} run ${outcome.runId}`;
  if (!outcome.failure) return `OK    ${subject} (${outcome.events} events)`;
  const { kind, event, message } = outcome.failure;
  const where = event ? ` at event ${event.id} ${event.type}${event.detail ? ` (${event.detail})` : ''}` : '';
  return `FAIL  ${subject}: ${kind === 'nondeterminism' ? 'determinism violation' : 'replay error'}${where}: ${message}`;
}
