import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  WorkflowUpdateRPCTimeoutOrCancelledError,
} from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createLogger } from '@tlo/config';
import { ApiError } from './api-error';

const log = createLogger('api');

/** Maps Temporal client errors to the API's error shape; the chart's refusals become 409s. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (error instanceof WorkflowNotFoundError) {
    return new ApiError(404, { code: 'LIFECYCLE_NOT_FOUND', message: 'no running lifecycle for this key' });
  }
  if (error instanceof WorkflowUpdateFailedError && error.cause instanceof ApplicationFailure) {
    const failure = error.cause;
    if (failure.type === 'IllegalTransition') {
      return new ApiError(409, {
        code: 'ILLEGAL_TRANSITION',
        message: failure.message,
        details: failure.details?.[0],
      });
    }
    if (failure.type === 'SendLimitReached') {
      return new ApiError(409, { code: 'SEND_LIMIT_REACHED', message: failure.message });
    }
    if (failure.type === 'CardSendLimitReached') {
      return new ApiError(429, {
        code: 'CARD_SEND_LIMIT_REACHED',
        message: failure.message,
        details: failure.details?.[0],
      });
    }
    if (failure.type === 'RequestNotFound') {
      return new ApiError(404, { code: 'REQUEST_NOT_FOUND', message: 'no such tokenization request' });
    }
    if (failure.type === 'UnknownMethod') {
      return new ApiError(400, { code: 'INVALID_FIELD', field: 'methodId', message: failure.message });
    }
    if (failure.type === 'UnknownKeyVersion' || failure.type === 'InvalidPolicy') {
      const field = (failure.details?.[0] as { field?: string } | undefined)?.field;
      return new ApiError(400, { code: 'INVALID_FIELD', field, message: failure.message });
    }
    if (failure.type === 'Finished') {
      return new ApiError(409, { code: 'LIFECYCLE_FINISHED', message: failure.message });
    }
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

/** Runs a call to a lifecycle workflow, turning Temporal client errors into the API's errors. */
export async function callLifecycle<T>(operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    throw toApiError(error);
  }
}
