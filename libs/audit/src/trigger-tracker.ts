import type { Payload } from '@temporalio/common';
import { callerFromHeader } from '@tlo/temporal';
import { durationText, type HistoryEvent } from './history-events';
import { PROJECTION_ACTIVITY, type TrailActivity, type Trigger, type TriggerKind } from './trail-types';

/** Bookkeeping activities: never the cause of a transition. */
const BOOKKEEPING_ACTIVITIES = new Set([PROJECTION_ACTIVITY, 'lastProjectedVersion']);

/**
 * The latest external event of a run as history is read in order: the start, an update or a signal
 * (with the HTTP caller header), a timer firing, or an activity closing (with what scheduled it). A
 * transition recorded next is attributed to it.
 */
export class TriggerTracker {
  readonly start: Trigger;
  private latest: Trigger;
  private readonly timers = new Map<number, string>();
  private readonly scheduledBy = new Map<number, Trigger>();

  constructor(started: HistoryEvent) {
    const attributes = started.workflowExecutionStartedEventAttributes!;
    this.start = trigger(
      'start',
      Number(started.eventId),
      undefined,
      attributes.header?.fields,
      attributes.identity,
    );
    this.latest = this.start;
  }

  get current(): Trigger {
    return this.latest;
  }

  /** Follows one history event; the ledger's activity when the event closed one. */
  observe(event: HistoryEvent, closedActivity: TrailActivity | null): void {
    const eventId = Number(event.eventId);
    if (event.workflowExecutionUpdateAcceptedEventAttributes) {
      const input = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.input;
      const identity = event.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest?.meta?.identity;
      this.latest = trigger('update', eventId, input?.name, input?.header?.fields, identity);
    } else if (event.workflowExecutionSignaledEventAttributes) {
      const attributes = event.workflowExecutionSignaledEventAttributes;
      this.latest = trigger(
        'signal',
        eventId,
        attributes.signalName,
        attributes.header?.fields,
        attributes.identity,
      );
    } else if (event.timerStartedEventAttributes) {
      this.timers.set(eventId, durationText(event.timerStartedEventAttributes.startToFireTimeout));
    } else if (event.timerFiredEventAttributes) {
      const duration = this.timers.get(Number(event.timerFiredEventAttributes.startedEventId));
      this.latest = duration ? { kind: 'timer', name: duration, eventId } : { kind: 'timer', eventId };
    } else if (event.activityTaskScheduledEventAttributes) {
      this.scheduledBy.set(eventId, this.latest);
    } else if (closedActivity && !BOOKKEEPING_ACTIVITIES.has(closedActivity.type)) {
      // A local activity runs where it is scheduled: what goes on now caused it.
      const cause = closedActivity.local
        ? this.latest
        : this.scheduledBy.get(closedActivity.scheduledEventId);
      this.latest = { kind: 'activity', name: `${closedActivity.type} ${closedActivity.outcome}`, eventId };
      if (cause) this.latest.cause = cause;
    }
  }
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
