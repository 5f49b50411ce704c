import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import { temporal } from '@temporalio/proto';

export type HistoryEvent = temporal.api.history.v1.IHistoryEvent;
export type History = temporal.api.history.v1.IHistory;

/** `ActivityTaskScheduled` for `EVENT_TYPE_ACTIVITY_TASK_SCHEDULED`: the name the Web UI shows. */
export function eventTypeName(event: HistoryEvent): string {
  const name = temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? 'Unspecified';
  return name
    .replace(/^EVENT_TYPE_/, '')
    .toLowerCase()
    .replace(/(^|_)([a-z])/g, (_, __, letter: string) => letter.toUpperCase());
}

export function eventTime(event: HistoryEvent): Date {
  const seconds = Number(event.eventTime?.seconds ?? 0);
  const nanos = event.eventTime?.nanos ?? 0;
  return new Date(seconds * 1000 + Math.floor(nanos / 1e6));
}

/** A protobuf Duration as text: `10m`, `1h30m`, `2.5s`. */
export function durationText(
  duration: { seconds?: unknown; nanos?: number | null } | null | undefined,
): string {
  if (!duration) return '';
  let seconds = Number(duration.seconds ?? 0) + (duration.nanos ?? 0) / 1e9;
  const parts: string[] = [];
  for (const [unit, size] of [
    ['d', 86_400],
    ['h', 3600],
    ['m', 60],
  ] as const) {
    if (seconds >= size) {
      parts.push(`${Math.floor(seconds / size)}${unit}`);
      seconds %= size;
    }
  }
  if (seconds > 0 || parts.length === 0) parts.push(`${Number(seconds.toFixed(3))}s`);
  return parts.join('');
}

/** A payload the default converter can read (search attributes, headers): never encrypted. */
export function plainPayloadValue<T>(payload: Payload | null | undefined): T | undefined {
  if (!payload) return undefined;
  try {
    return defaultPayloadConverter.fromPayload<T>(payload);
  } catch {
    return undefined;
  }
}

export function searchAttributeValue(
  attributes: temporal.api.common.v1.ISearchAttributes | null | undefined,
  name: string,
): string | undefined {
  const value = plainPayloadValue<unknown>(attributes?.indexedFields?.[name] as Payload | undefined);
  if (Array.isArray(value)) return value.length > 0 ? String(value[0]) : undefined;
  return value === undefined || value === null ? undefined : String(value);
}

/** The marker a local activity leaves in history (Temporal's Core SDK names it so). */
export const LOCAL_ACTIVITY_MARKER = 'core_local_activity';

export interface LocalActivityMarker {
  activityId: string;
  type: string;
  attempt: number;
  /** When the first attempt was scheduled, if the marker says. */
  scheduledAt: string | null;
  /** The activity's result as recorded (encoded like any payload); absent when it failed. */
  result: Payload | undefined;
  failure: string | null;
}

/**
 * A local activity's marker, or null for any other event. Its `data` detail is JSON written by the
 * SDK (activity type, id, attempt), its `result` detail the activity's encoded result: a marker
 * records what the activity returned, not its input.
 */
export function localActivityMarker(event: HistoryEvent): LocalActivityMarker | null {
  const attributes = event.markerRecordedEventAttributes;
  if (!attributes || attributes.markerName !== LOCAL_ACTIVITY_MARKER) return null;
  const data = plainPayloadValue<Record<string, unknown>>(
    attributes.details?.data?.payloads?.[0] as Payload | undefined,
  );
  const scheduled = data?.original_schedule_time ?? data?.originalScheduleTime;
  return {
    activityId: String(data?.activity_id ?? data?.activityId ?? ''),
    type: String(data?.activity_type ?? data?.activityType ?? 'unknown'),
    attempt: Number(data?.attempt ?? 1),
    scheduledAt: timestampText(scheduled),
    result: (attributes.details?.result?.payloads?.[0] as Payload | undefined) ?? undefined,
    failure: attributes.failure ? (attributes.failure.message ?? 'failed') : null,
  };
}

/** A protobuf Timestamp as serde writes it to JSON (`{seconds, nanos}` or an RFC 3339 string). */
function timestampText(value: unknown): string | null {
  if (typeof value === 'string') return new Date(value).toISOString();
  if (value && typeof value === 'object' && 'seconds' in value) {
    const { seconds, nanos } = value as { seconds: unknown; nanos?: unknown };
    return new Date(Number(seconds) * 1000 + Math.floor(Number(nanos ?? 0) / 1e6)).toISOString();
  }
  return null;
}
