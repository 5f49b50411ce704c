import type { WorkflowClientInterceptor } from '@temporalio/client';
import { LIFECYCLES } from '@tlo/domain';

const LIFECYCLE_WORKFLOW_TYPES: ReadonlySet<string> = new Set(
  Object.values(LIFECYCLES).map((lifecycle) => lifecycle.workflowType),
);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * `MAX_TRANSITIONS_PER_RUN`, applied the same way to every lifecycle: each start the client sends
 * (start, signal-with-start, update-with-start) of a registered workflow type carries it in the
 * workflow's input, unless the caller set one. Unset, nothing is added and each workflow keeps its
 * registry default (`LIFECYCLES.<lifecycle>.maxTransitionsPerRun`). A continued run keeps its input,
 * so the limit holds for the whole actor.
 */
export function runLimitInterceptor(maxTransitionsPerRun: number | undefined): WorkflowClientInterceptor {
  if (maxTransitionsPerRun === undefined) return {};
  const withLimit = (workflowType: string, args: unknown[]): unknown[] => {
    const [input, ...rest] = args;
    if (!LIFECYCLE_WORKFLOW_TYPES.has(workflowType) || !isRecord(input)) return args;
    return [{ ...input, maxTransitionsPerRun: input.maxTransitionsPerRun ?? maxTransitionsPerRun }, ...rest];
  };
  return {
    startWithDetails: (input, next) =>
      next({
        ...input,
        options: { ...input.options, args: withLimit(input.workflowType, input.options.args) },
      }),
    signalWithStart: (input, next) =>
      next({
        ...input,
        options: { ...input.options, args: withLimit(input.workflowType, input.options.args) },
      }),
    startUpdateWithStart: (input, next) =>
      next({
        ...input,
        workflowStartOptions: {
          ...input.workflowStartOptions,
          args: withLimit(input.workflowType, input.workflowStartOptions.args),
        },
      }),
  };
}
