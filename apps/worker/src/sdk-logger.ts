import type { LogLevel, LogMetadata, Logger as SdkLogger } from '@temporalio/common';
import { LogTimestamp } from '@temporalio/worker';
import type { Logger } from '@tlo/config';

const LEVELS: Record<LogLevel, keyof Omit<Logger, 'child'> | null> = {
  TRACE: null,
  DEBUG: 'debug',
  INFO: 'info',
  WARN: 'warn',
  ERROR: 'error',
};

/** The SDK's names (activity attributes, Core's snake_case fields) → the ones every log line uses. */
const RENAMED: Record<string, string> = {
  workflowRunId: 'runId',
  run_id: 'runId',
  workflow_id: 'workflowId',
  activity_id: 'activityId',
  task_queue: 'taskQueue',
};

/** An activity's task token is an opaque credential (it completes the activity) and only noise in logs. */
const DROPPED = new Set(['taskToken', 'task_token']);

type Primitive = string | number | boolean | null;
const isPrimitive = (value: unknown): value is Primitive =>
  value === null || ['string', 'number', 'boolean'].includes(typeof value);

/**
 * The metadata the Temporal SDK attaches to a log message, as top-level JSON fields: workflowId,
 * runId, activityType, attempt... for activities, runId for Core's failing workflow tasks, an error
 * as its message, type and stack (an Error serialises to `{}`), and the SDK's own timestamp (messages
 * are buffered before they are emitted). A nested object is flattened one level (`options.namespace`)
 * and anything deeper is left out: the worker's options hold the data converter, whose codec keys
 * must never reach a log.
 */
export function sdkLogFields(meta: LogMetadata = {}): Record<string, unknown> {
  const fields: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(meta) as Array<[string, unknown]>) {
    if (value === undefined || DROPPED.has(key)) continue;
    const name = RENAMED[key] ?? key;
    if (value instanceof Error) Object.assign(fields, errorFields(name, value));
    else if (isPrimitive(value)) fields[name] = value;
    else if (typeof value === 'bigint') fields[name] = value.toString();
    else if (Array.isArray(value)) {
      if (value.length > 0 && value.every(isPrimitive)) fields[name] = value; // Core's spanContexts are often []
    } else if (typeof value === 'object') {
      for (const [inner, innerValue] of Object.entries(value as Record<string, unknown>)) {
        if (isPrimitive(innerValue)) fields[`${name}.${inner}`] = innerValue;
      }
    }
  }
  const timestamp: unknown = meta[LogTimestamp];
  if (typeof timestamp === 'bigint') fields.time = new Date(Number(timestamp / 1_000_000n)).toISOString();
  return fields;
}

function errorFields(name: string, error: Error): Record<string, unknown> {
  const type = (error as { type?: unknown }).type;
  const fields: Record<string, unknown> = {
    [name]: error.message,
    [`${name}Name`]: error.name,
    [`${name}Stack`]: error.stack,
  };
  if (typeof type === 'string') fields[`${name}Type`] = type;
  if (error.cause instanceof Error) fields[`${name}Cause`] = `${error.cause.name}: ${error.cause.message}`;
  return fields;
}

/**
 * The Runtime logger: every SDK message (worker, activity context `log`, workflow `log` through
 * sinks, and Core's own messages when forwarded) becomes one JSON line of `log`. TRACE is dropped.
 */
export function sdkLogger(log: Logger): SdkLogger {
  const write = (level: LogLevel, message: string, meta?: LogMetadata) => {
    const method = LEVELS[level];
    if (method) log[method](message, sdkLogFields(meta));
  };
  return {
    log: write,
    trace: (message, meta) => write('TRACE', message, meta),
    debug: (message, meta) => write('DEBUG', message, meta),
    info: (message, meta) => write('INFO', message, meta),
    warn: (message, meta) => write('WARN', message, meta),
    error: (message, meta) => write('ERROR', message, meta),
  };
}
