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
