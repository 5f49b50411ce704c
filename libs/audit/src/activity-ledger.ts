import type { HistoryEvent, LocalActivityMarker } from './history-events';
import type { ActivityOutcome, TrailActivity } from './trail-types';

/** Every activity of a run: scheduled, its last attempt's number, how it closed and the failures seen. */
export class ActivityLedger {
  private readonly activities = new Map<number, TrailActivity>();

  scheduled(event: HistoryEvent, at: string): TrailActivity {
    const attributes = event.activityTaskScheduledEventAttributes!;
    const activity: TrailActivity = {
      activityId: attributes.activityId ?? '',
      type: attributes.activityType?.name ?? 'unknown',
      scheduledEventId: Number(event.eventId),
      scheduledAt: at,
      closedAt: null,
      attempts: 0,
      outcome: 'pending',
      failures: [],
    };
    this.activities.set(activity.scheduledEventId, activity);
    return activity;
  }

  /** History records the attempt that finished, with the previous attempt's failure. */
  started(event: HistoryEvent): void {
    const attributes = event.activityTaskStartedEventAttributes!;
    const activity = this.activities.get(Number(attributes.scheduledEventId));
    if (!activity) return;
    activity.attempts = attributes.attempt ?? 1;
    if (attributes.lastFailure?.message) activity.failures.push(attributes.lastFailure.message);
  }

  /** The activity a completed, failed, timed-out or cancelled event closes; null for other events. */
  closed(event: HistoryEvent, at: string): TrailActivity | null {
    const outcome = closingOutcome(event);
    if (!outcome) return null;
    const attributes =
      event.activityTaskCompletedEventAttributes ??
      event.activityTaskFailedEventAttributes ??
      event.activityTaskTimedOutEventAttributes ??
      event.activityTaskCanceledEventAttributes!;
    const activity = this.activities.get(Number(attributes.scheduledEventId));
    if (!activity) return null;
    activity.closedAt = at;
    activity.outcome = outcome;
    const failure =
      event.activityTaskFailedEventAttributes?.failure ?? event.activityTaskTimedOutEventAttributes?.failure;
    if (failure?.message) activity.failures.push(failure.message);
    return activity;
  }

  /** A local activity: it ran inside a workflow task, so its one marker is scheduling and outcome. */
  recordedLocally(event: HistoryEvent, marker: LocalActivityMarker, at: string): TrailActivity {
    const activity: TrailActivity = {
      activityId: marker.activityId,
      type: marker.type,
      scheduledEventId: Number(event.eventId),
      scheduledAt: marker.scheduledAt ?? at,
      closedAt: at,
      attempts: marker.attempt,
      outcome: marker.failure === null ? 'completed' : 'failed',
      failures: marker.failure === null ? [] : [marker.failure],
      local: true,
    };
    this.activities.set(activity.scheduledEventId, activity);
    return activity;
  }

  all(): TrailActivity[] {
    return [...this.activities.values()];
  }
}

function closingOutcome(event: HistoryEvent): ActivityOutcome | null {
  if (event.activityTaskCompletedEventAttributes) return 'completed';
  if (event.activityTaskFailedEventAttributes) return 'failed';
  if (event.activityTaskTimedOutEventAttributes) return 'timed-out';
  if (event.activityTaskCanceledEventAttributes) return 'cancelled';
  return null;
}
