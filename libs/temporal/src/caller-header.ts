import type { Payload } from '@temporalio/common';
import { defaultPayloadConverter } from '@temporalio/common';
import type { WorkflowClientInterceptor } from '@temporalio/client';

/**
 * Who asked for a workflow operation over HTTP: the route template and the authenticated subject,
 * never the request's data. It travels as a Temporal header, which the server stores in history next
 * to the start, signal or update it came with (headers are not run through the payload codec, so an
 * auditor without the key still sees who triggered what). Ids and route templates only.
 */
export interface Caller {
  /** `POST /tokenization-requests/:requestId/otp/verify`. */
  route: string;
  /** The bearer token's subject; absent on public routes. */
  subject?: string;
}

export const CALLER_HEADER = 'tlo-caller';

export function callerHeaderPayload(caller: Caller): Payload {
  return defaultPayloadConverter.toPayload(caller);
}

/** The caller recorded in a history header, or null when none (older histories, non-HTTP callers). */
export function callerFromHeader(fields: Record<string, Payload> | null | undefined): Caller | null {
  const payload = fields?.[CALLER_HEADER];
  if (!payload) return null;
  try {
    const value = defaultPayloadConverter.fromPayload<Partial<Caller>>(payload);
    return typeof value?.route === 'string' ? { route: value.route, subject: value.subject } : null;
  } catch {
    return null;
  }
}

/**
 * Adds the current caller (from `current()`, e.g. the HTTP request's context) to every start, signal
 * and update the client sends.
 */
export function callerHeaderInterceptor(current: () => Caller | undefined): WorkflowClientInterceptor {
  const withCaller = <H extends Record<string, Payload>>(headers: H): H => {
    const caller = current();
    return caller ? { ...headers, [CALLER_HEADER]: callerHeaderPayload(caller) } : headers;
  };
  return {
    startWithDetails: (input, next) => next({ ...input, headers: withCaller(input.headers) }),
    signal: (input, next) => next({ ...input, headers: withCaller(input.headers) }),
    signalWithStart: (input, next) => next({ ...input, headers: withCaller(input.headers) }),
    startUpdate: (input, next) => next({ ...input, headers: withCaller(input.headers) }),
    startUpdateWithStart: (input, next) =>
      next({
        ...input,
        workflowStartHeaders: withCaller(input.workflowStartHeaders),
        updateHeaders: withCaller(input.updateHeaders),
      }),
  };
}
