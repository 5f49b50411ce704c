import type { Payload, PayloadCodec } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { SEARCH_ATTRIBUTES } from '@tlo/domain';
import { type Caller, ENCRYPTED_ENCODING, callerFromHeader } from '@tlo/temporal';
import {
  type History,
  type HistoryEvent,
  durationText,
  eventTime,
  searchAttributeValue,
} from './history-events';

/** The activity every lifecycle calls once per chart transition (workflows/shared/lifecycle.ts). */
export const PROJECTION_ACTIVITY = 'projectTransition';
/** Bookkeeping activities: never the cause of a transition. */
const BOOKKEEPING_ACTIVITIES = new Set([PROJECTION_ACTIVITY, 'lastProjectedVersion']);

export type TriggerKind = 'start' | 'update' | 'signal' | 'timer' | 'activity';

/** The external event a transition followed: an HTTP call (start, update, signal), a timer, an activity. */
export interface Trigger {
  kind: TriggerKind;
  /** Update or signal name, activity type, or the timer's duration. */
  name?: string;
  /** Who asked over HTTP, from the caller header (route template and subject). */
  caller?: Caller;
  /** The Temporal client's identity. */
  identity?: string;
  eventId: number;
  /** For an activity: what was going on when the workflow scheduled it (e.g. the HTTP update). */
  cause?: Trigger;
}

export interface TrailTransition {
  /** The lifecycle's transition number; null when payloads are encrypted. */
  seq: number | null;
  from: string | null;
  /** The chart event; null when payloads are encrypted (only the states are in clear). */
  event: string | null;
  to: string;
  at: string;
  /** The history event the transition is read from. */
  eventId: number;
  trigger: Trigger;
}

export type ActivityOutcome = 'completed' | 'failed' | 'timed-out' | 'cancelled' | 'pending';

export interface TrailActivity {
  activityId: string;
  type: string;
  scheduledEventId: number;
  scheduledAt: string;
  closedAt: string | null;
  /** Attempts made (the last started attempt), 0 while never started. */
  attempts: number;
  outcome: ActivityOutcome;
  /** Failure messages seen: the last failed attempt before the final one, and the final failure. */
  failures: string[];
}

export type WorkflowStatus =
  'running' | 'completed' | 'failed' | 'timed-out' | 'terminated' | 'cancelled' | 'continued-as-new';

export interface AuditTrail {
  workflowId: string;
  runId: string;
  workflowType: string;
  lifecycle: string | null;
  status: WorkflowStatus;
  startedAt: string;
  closedAt: string | null;
  /** `decrypted` when the codec key opened the transitions; `encrypted` otherwise (states only). */
  payloads: 'decrypted' | 'encrypted';
  transitions: TrailTransition[];
  activities: TrailActivity[];
}

interface ProjectedTransition {
  seq: number;
  from: string;
  event: string;
  to: string;
  at: string;
}

const ENCRYPTED = Symbol('encrypted');

/**
 * A lifecycle's story from its history alone: every chart transition with its trigger, and every
 * activity with its attempts and failures. Transitions are read from the projection activity's input
 * when `codec` can decrypt it; without the key, from the `LifecycleState` search attribute updates
 * (in clear), so states, times and triggers are shown and the chart events are not.
 */
export async function auditTrail(
  history: History,
  options: { codec?: PayloadCodec } = {},
): Promise<AuditTrail> {
  const events = history.events ?? [];
  const started = events[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw new Error('not a workflow history: the first event is not WorkflowExecutionStarted');

  const decode = async (payload: Payload | null | undefined): Promise<unknown> => {
    if (!payload) return undefined;
    const encoding = payload.metadata?.encoding ? Buffer.from(payload.metadata.encoding).toString() : '';
    if (encoding !== ENCRYPTED_ENCODING) return defaultPayloadConverter.fromPayload(payload);
    if (!options.codec) return ENCRYPTED;
    try {
      const [decoded] = await options.codec.decode([payload]);
      return defaultPayloadConverter.fromPayload(decoded);
    } catch {
      return ENCRYPTED; // written under a key this ring does not hold
    }
  };

  const activities = new Map<number, TrailActivity>();
  const scheduledBy = new Map<number, Trigger>();
  const timers = new Map<number, string>();
  const projected: TrailTransition[] = [];
  const fromSearchAttributes: TrailTransition[] = [];
  let decryptable = Boolean(options.codec);
  let current: Trigger = { kind: 'start', eventId: Number(events[0].eventId) };
  const startTrigger = current;
  let closedAt: string | null = null;
  let resumedState: string | null = null;
  let status: WorkflowStatus = 'running';

  for (const event of events) {
    const eventId = Number(event.eventId);
    const at = eventTime(event).toISOString();
    if (event.workflowExecutionStartedEventAttributes) {
      const attributes = event.workflowExecutionStartedEventAttributes;
      current = trigger('start', eventId, undefined, attributes.header?.fields, attributes.identity);
      Object.assign(startTrigger, current);
    } else if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const request = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      current = trigger(
        'update',
        eventId,
        request?.input?.name,
        request?.input?.header?.fields,
        request?.meta?.identity,
      );
    } else if (event.workflowExecutionSignaledEventAttributes) {
      const attributes = event.workflowExecutionSignaledEventAttributes;
      current = trigger(
        'signal',
        eventId,
        attributes.signalName,
        attributes.header?.fields,
        attributes.identity,
      );
    } else if (event.timerStartedEventAttributes) {
      timers.set(eventId, durationText(event.timerStartedEventAttributes.startToFireTimeout));
    } else if (event.timerFiredEventAttributes) {
      const duration = timers.get(Number(event.timerFiredEventAttributes.startedEventId));
      current = duration ? { kind: 'timer', name: duration, eventId } : { kind: 'timer', eventId };
    } else if (event.activityTaskScheduledEventAttributes) {
      const attributes = event.activityTaskScheduledEventAttributes;
      const type = attributes.activityType?.name ?? 'unknown';
      scheduledBy.set(eventId, current);
      activities.set(eventId, {
        activityId: attributes.activityId ?? '',
        type,
        scheduledEventId: eventId,
        scheduledAt: at,
        closedAt: null,
        attempts: 0,
        outcome: 'pending',
        failures: [],
      });
      if (type === PROJECTION_ACTIVITY && decryptable) {
        const input = await decode(attributes.input?.payloads?.[0]);
        const transition = projectedTransition(input);
        if (transition) {
          projected.push({
            ...transition,
            from: transition.from || null,
            eventId,
            trigger: transition.event === 'STARTED' ? startTrigger : current,
          });
        } else decryptable = false;
      }
    } else if (event.activityTaskStartedEventAttributes) {
      const attributes = event.activityTaskStartedEventAttributes;
      const activity = activities.get(Number(attributes.scheduledEventId));
      if (activity) {
        activity.attempts = attributes.attempt ?? 1;
        if (attributes.lastFailure?.message) activity.failures.push(attributes.lastFailure.message);
      }
    } else if (
      event.activityTaskCompletedEventAttributes ||
      event.activityTaskFailedEventAttributes ||
      event.activityTaskTimedOutEventAttributes ||
      event.activityTaskCanceledEventAttributes
    ) {
      const closed =
        event.activityTaskCompletedEventAttributes ??
        event.activityTaskFailedEventAttributes ??
        event.activityTaskTimedOutEventAttributes ??
        event.activityTaskCanceledEventAttributes!;
      const activity = activities.get(Number(closed.scheduledEventId));
      if (activity) {
        activity.closedAt = at;
        activity.outcome = event.activityTaskCompletedEventAttributes
          ? 'completed'
          : event.activityTaskFailedEventAttributes
            ? 'failed'
            : event.activityTaskTimedOutEventAttributes
              ? 'timed-out'
              : 'cancelled';
        const failure =
          event.activityTaskFailedEventAttributes?.failure ??
          event.activityTaskTimedOutEventAttributes?.failure;
        if (failure?.message) activity.failures.push(failure.message);
        if (!BOOKKEEPING_ACTIVITIES.has(activity.type)) {
          const cause = scheduledBy.get(activity.scheduledEventId);
          current = { kind: 'activity', name: `${activity.type} ${activity.outcome}`, eventId };
          if (cause) current.cause = cause;
        }
      }
    } else if (event.upsertWorkflowSearchAttributesEventAttributes) {
      const state = searchAttributeValue(
        event.upsertWorkflowSearchAttributesEventAttributes.searchAttributes,
        SEARCH_ATTRIBUTES.lifecycleState.name,
      );
      if (state !== undefined) {
        const previous = fromSearchAttributes.at(-1);
        if (!previous && started.continuedExecutionRunId && resumedState === null) {
          resumedState = state; // a continued run publishes the state it resumes in: not a transition
        } else {
          fromSearchAttributes.push({
            seq: null,
            from: previous?.to ?? resumedState,
            event: null,
            to: state,
            at,
            eventId,
            trigger: previous || resumedState !== null ? current : startTrigger,
          });
        }
      }
    } else {
      const closing = closingStatus(event);
      if (closing) {
        status = closing;
        closedAt = at;
      }
    }
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
    transitions: decryptable ? projected : fromSearchAttributes,
    activities: [...activities.values()],
  };
}

function trigger(
  kind: TriggerKind,
  eventId: number,
  name: string | null | undefined,
  header: Record<string, Payload> | null | undefined,
  identity: string | null | undefined,
): Trigger {
  const found: Trigger = { kind, eventId };
  if (name) found.name = name;
  const caller = callerFromHeader(header);
  if (caller) found.caller = caller;
  if (identity) found.identity = identity;
  return found;
}

function projectedTransition(input: unknown): ProjectedTransition | null {
  if (input === ENCRYPTED || !input || typeof input !== 'object') return null;
  const transition = (input as { transition?: Partial<ProjectedTransition> }).transition;
  if (!transition || typeof transition.event !== 'string' || typeof transition.to !== 'string') return null;
  return {
    seq: Number(transition.seq),
    from: String(transition.from ?? ''),
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

/**
 * One line for a trigger, its cause first: `update sendOtp · POST /tokenization-requests/:requestId/otp
 * by wallet → activity issueOtp completed`.
 */
export function describeTrigger(found: Trigger): string {
  let head = found.name ? `${found.kind} ${found.name}` : found.kind;
  if (found.caller) {
    head += ` · ${found.caller.route}${found.caller.subject ? ` by ${found.caller.subject}` : ''}`;
  }
  return found.cause ? `${describeTrigger(found.cause)} → ${head}` : head;
}
