import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createLogger } from '@tlo/config';
import { NAMED_FAILURES, type NamedFailure } from '@tlo/workflows';
import { ApiError } from './api-error';

const log = createLogger('api');

/** The API error answering a named failure, e.g. for a refusal a service finds without the workflow. */
export function apiErrorOf<D>(failure: NamedFailure<D>, raised: { message: string; details?: D }): ApiError {
  const { status, ...body } = failure.answer(raised);
  return new ApiError(status, body);
}

/** Maps Temporal client errors to the API's error shape; a lifecycle's named failures answer as declared. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof WorkflowNotFoundError) {
    return new ApiError(404, { code: 'LIFECYCLE_NOT_FOUND', message: 'no running lifecycle for this key' });
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    const named = failure.type ? NAMED_FAILURES.find(failure.type) : undefined;
    if (named) return apiErrorOf(named, { message: failure.message, details: failure.details?.[0] as never });
  }
  if (error instanceof WorkflowUpdateRPCTimeoutOrCancelledError) {
    return new ApiError(503, {
      code: 'TEMPORARILY_UNAVAILABLE',
      message: 'the lifecycle did not answer in time; retry',
    });
  }
  log.error('lifecycle call failed', {
    error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
  return new ApiError(502, {
    code: 'LIFECYCLE_FAILED',
    message: 'the lifecycle could not complete the request',
  });
}

/** What a call makes of the cases where no running workflow answers, instead of the default error. */
export interface LifecycleCallOptions<T> {
  /**
   * No such workflow (never started, or ended): the call's own answer, or its own error. `otherwise`
   * is the default answer (404 LIFECYCLE_NOT_FOUND).
   */
  notFound?: (otherwise: ApiError) => Promise<T>;
  /** Update-with-start found the workflow id taken (conflict policy FAIL, or a closed run it may not reuse). */
  alreadyStarted?: () => Promise<T>;
}

/** Update-with-start reports an id already taken either directly or as the cause of its failure. */
const isAlreadyStarted = (error: unknown): boolean =>
  error instanceof WorkflowExecutionAlreadyStartedError ||
  (error instanceof Error && error.cause instanceof WorkflowExecutionAlreadyStartedError);

/**
 * Runs a call to a lifecycle workflow: the one place a Temporal client error becomes an API error.
 * A service says what "not found" or "already started" means for it; everything else answers as
 * `toApiError` says.
 */
export async function callLifecycle<T>(
  operation: () => Promise<T>,
  options: LifecycleCallOptions<T> = {},
): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (options.notFound && error instanceof WorkflowNotFoundError)
      return options.notFound(toApiError(error));
    if (options.alreadyStarted && isAlreadyStarted(error)) return options.alreadyStarted();
    throw toApiError(error);
  }
}
