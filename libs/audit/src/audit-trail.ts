import type { Payload, PayloadCodec } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '@tlo/domain';
import { ENCRYPTED_ENCODING } from '@tlo/temporal';
import { ActivityLedger } from './activity-ledger';
import {
  type History,
  type HistoryEvent,
  eventTime,
  localActivityMarker,
  searchAttributeValue,
} from './history-events';
import {
  PROJECTION_ACTIVITY,
  type AuditTrail,
  type TrailTransition,
  type WorkflowStatus,
} from './trail-types';
import { TriggerTracker } from './trigger-tracker';

export * from './trail-types';
export { describeTrigger } from './trigger-tracker';

const ENCRYPTED = Symbol('encrypted');

/**
 * A lifecycle's story from its history alone: every chart transition with its trigger, and every
 * activity with its attempts and failures. Transitions are read from the projection activity's input
 * when `codec` can decrypt it, or from its result when it ran as a local activity (its marker holds
 * no input); without the key, from the `LifecycleState` search attribute updates (in clear), so
 * states, times and triggers are shown and the chart events are not.
 */
export async function auditTrail(
  history: History,
  options: { codec?: PayloadCodec } = {},
): Promise<AuditTrail> {
  const events = history.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error('not a workflow history: the first event is not WorkflowExecutionStarted');

  const decode = payloadDecoder(options.codec);
  const ledger = new ActivityLedger();
  const triggers = new TriggerTracker(events[0]);
  const published = new PublishedStates(Boolean(started.continuedExecutionRunId));
  const projected: TrailTransition[] = [];
  let decryptable = Boolean(options.codec);
  let status: WorkflowStatus = 'running';
  let closedAt: string | null = null;

  for (const event of events) {
    const eventId = Number(event.eventId);
    const at = eventTime(event).toISOString();
    let closedActivity = null;
    const marker = localActivityMarker(event);
    const project = async (payload: Payload | null | undefined) => {
      const transition = projectedTransition(await decode(payload));
      if (transition) {
        const trigger = transition.event === 'STARTED' ? triggers.start : triggers.current;
        projected.push({ ...transition, eventId, trigger });
      } else decryptable = false;
    };
    if (event.activityTaskScheduledEventAttributes) {
      const activity = ledger.scheduled(event, at);
      if (activity.type === PROJECTION_ACTIVITY && decryptable) {
        await project(event.activityTaskScheduledEventAttributes.input?.payloads?.[0]);
      }
    } else if (marker) {
      closedActivity = ledger.recordedLocally(event, marker, at);
      if (marker.type === PROJECTION_ACTIVITY && marker.result && decryptable) {
        await project(marker.result);
      }
    } else if (event.activityTaskStartedEventAttributes) {
      ledger.started(event);
    } else if (event.upsertWorkflowSearchAttributesEventAttributes) {
      const state = searchAttributeValue(
        event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes,
        SEARCH_ATTRIBUTES.lifecycleState.name,
      );
      if (state !== undefined) published.add(state, at, eventId, triggers);
    } else {
      closedActivity = ledger.closed(event, at);
      const closing = closingStatus(event);
      if (closing) [status, closedAt] = [closing, at];
    }
    triggers.observe(event, closedActivity);
  }

  return {
    workflowId: started.workflowId || '',
    runId: started.originalExecutionRunId ?? '',
    workflowType: started.workflowType?.name ?? '',
    lifecycle: searchAttributeValue(started.searchAttributes, SEARCH_ATTRIBUTES.lifecycle.name) ?? null,
    status,
    startedAt: eventTime(events[0]).toISOString(),
    closedAt,
    payloads: decryptable ? 'decrypted' : 'encrypted',
    transitions: decryptable ? projected : published.transitions,
    activities: ledger.all(),
  };
}

/**
 * The states a run published as `LifecycleState` (one per transition, and the initial one), read as
 * transitions whose chart event is unknown. A continued run first publishes the state it resumes in:
 * that is not a transition.
 */
class PublishedStates {
  readonly transitions: TrailTransition[] = [];
  private resumedIn: string | null = null;

  constructor(private readonly continuedRun: boolean) {}

  add(state: string, at: string, eventId: number, triggers: TriggerTracker): void {
    const previous = this.transitions.at(-1);
    if (!previous && this.continuedRun && this.resumedIn === null) {
      this.resumedIn = state;
      return;
    }
    const first = !previous && this.resumedIn === null;
    this.transitions.push({
      seq: null,
      from: previous?.to ?? this.resumedIn,
      event: null,
      to: state,
      at,
      eventId,
      trigger: first ? triggers.start : triggers.current,
    });
  }
}

/** Decodes a payload when it is in clear or the codec holds its key; otherwise ENCRYPTED. */
function payloadDecoder(codec: PayloadCodec | undefined) {
  return async (payload: Payload | null | undefined): Promise<unknown> => {
    if (!payload) return undefined;
    const encoding = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString() : '';
    if (encoding !== ENCRYPTED_ENCODING) return defaultPayloadConverter.fromPayload(payload);
    if (!codec) return ENCRYPTED;
    try {
      const [decoded] = await codec.decode([payload]);
      return defaultPayloadConverter.fromPayload(decoded);
    } catch {
      return ENCRYPTED; // written under a key this ring does not hold
    }
  };
}

/**
 * The `transition` of a projection activity's input, or of the `projection` its result echoes
 * (activities/projection), or null.
 */
function projectedTransition(payload: unknown): Omit<TrailTransition, 'eventId' | 'trigger'> | null {
  if (payload === ENCRYPTED || !payload || typeof payload !== 'object') return null;
  const input = (payload as { projection?: unknown }).projection ?? payload;
  if (!input || typeof input !== 'object') return null;
  const transition = (input as { transition?: Record<string, unknown> }).transition;
  if (!transition || typeof transition.event !== 'string' || typeof transition.to !== 'string') return null;
  return {
    seq: Number(transition.seq),
    from: typeof transition.from === 'string' && transition.from !== '' ? transition.from : null,
    event: transition.event,
    to: transition.to,
    at: String(transition.at ?? ''),
  };
}

function closingStatus(event: HistoryEvent): WorkflowStatus | null {
  if (event.workflowExecutionCompletedEventAttributes) return 'completed';
  if (event.workflowExecutionFailedEventAttributes) return 'failed';
  if (event.workflowExecutionTimedOutEventAttributes) return 'timed-out';
  if (event.workflowExecutionTerminatedEventAttributes) return 'terminated';
  if (event.workflowExecutionCanceledEventAttributes) return 'cancelled';
  if (event.workflowExecutionContinuedAsNewEventAttributes) return 'continued-as-new';
  return null;
}
