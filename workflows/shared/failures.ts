import { ApplicationFailure } from '@temporalio/workflow';

/**
 * Failures as named values: a lifecycle declares each failure it raises once, with the type both
 * sides share and the answer the HTTP edge gives for it. Workflow code imports this (sandbox): plain
 * data and pure functions only.
 */

/** The API's answer to a failure: its status and error body. */
export interface FailureAnswer {
  status: number;
  code: string;
  message: string;
  /** The request field at fault, for bad input. */
  field?: string;
  details?: unknown;
}

/** How the HTTP edge answers a failure, given the details the workflow attached. */
export interface HttpMapping {
  status: number;
  code: string;
  field?: string;
  /** The contract's own message; the failure's message when absent. */
  message?: string;
  /** Whether the failure's details are answered as the body's `details`. */
  withDetails?: boolean;
}

export interface NamedFailure<D = unknown> {
  /** The `ApplicationFailure` type: the one string the workflow and the API share. */
  readonly type: string;
  /** The non-retryable failure a workflow throws: the update is refused, nothing changes. */
  raise(message: string, details?: D): ApplicationFailure;
  /** Whether `error` is this failure. */
  is(error: unknown): error is ApplicationFailure;
  /** The API's answer to this failure. */
  answer(failure: { message: string; details?: D }): FailureAnswer;
}

export function namedFailure<D = unknown>(
  type: string,
  http: HttpMapping | ((details: D) => HttpMapping),
): NamedFailure<D> {
  return {
    type,
    raise: (message, details) =>
      details === undefined
        ? ApplicationFailure.nonRetryable(message, type)
        : ApplicationFailure.nonRetryable(message, type, details),
    is: (error): error is ApplicationFailure => error instanceof ApplicationFailure && error.type === type,
    answer: ({ message, details }) => {
      const mapping = typeof http === 'function' ? http(details as D) : http;
      return {
        status: mapping.status,
        code: mapping.code,
        message: mapping.message ?? message,
        ...(mapping.field === undefined ? {} : { field: mapping.field }),
        ...(mapping.withDetails ? { details } : {}),
      };
    },
  };
}

/** The named failures of every lifecycle, found by their type; a type declared twice is an error. */
export class FailureRegistry {
  private readonly byType = new Map<string, NamedFailure<never>>();

  constructor(...groups: Array<Record<string, NamedFailure<never>>>) {
    for (const failure of groups.flatMap((group) => Object.values(group))) {
      const known = this.byType.get(failure.type);
      if (known && known !== failure) throw new Error(`failure type ${failure.type} is declared twice`);
      this.byType.set(failure.type, failure);
    }
  }

  find(type: string): NamedFailure<never> | undefined {
    return this.byType.get(type);
  }

  get types(): string[] {
    return [...this.byType.keys()];
  }
}

/** The kinds every lifecycle may raise. */
export const LifecycleFailures = {
  /** The chart refuses the event in its current state; the details name the state and what it accepts. */
  illegalTransition: namedFailure<{ state: string; event: string; accepted: string[] }>('IllegalTransition', {
    status: 409,
    code: 'ILLEGAL_TRANSITION',
    withDetails: true,
  }),
  /** The actor has finished: nothing more can happen to it. */
  finished: namedFailure('Finished', { status: 409, code: 'LIFECYCLE_FINISHED' }),
  /** The request is not the caller's: answered as if it did not exist. */
  requestNotFound: namedFailure('RequestNotFound', { status: 404, code: 'REQUEST_NOT_FOUND' }),
} as const;
