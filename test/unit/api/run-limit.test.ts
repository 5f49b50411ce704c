import type {
  WorkflowSignalWithStartInput,
  WorkflowStartInput,
  WorkflowStartUpdateWithStartInput,
} from '@temporalio/client';
import { LIFECYCLES } from '@tlo/domain';
import { runLimitInterceptor } from '../../../apps/api/src/core/run-limit';

const options = (args: unknown[]) =>
  ({ taskQueue: 'q', workflowId: 'wf', args }) as WorkflowStartInput['options'];

/** The workflow input each kind of start reaches the server with, through the interceptor. */
async function startedWith(
  limit: number | undefined,
  workflowType: string,
  input: unknown,
): Promise<unknown[]> {
  const interceptor = runLimitInterceptor(limit);
  const seen: unknown[] = [];
  const start: WorkflowStartInput = { workflowType, headers: {}, options: options([input]) };
  const signalWithStart: WorkflowSignalWithStartInput = { ...start, signalName: 's', signalArgs: [] };
  const updateWithStart = {
    workflowType,
    workflowStartOptions: options([input]),
    workflowStartHeaders: {},
    updateName: 'u',
    updateArgs: [],
    updateOptions: {},
    updateHeaders: {},
  } as unknown as WorkflowStartUpdateWithStartInput;
  const pass = (arg: unknown) => seen.push(arg);
  await (interceptor.startWithDetails ?? ((i, n) => n(i)))(start, async (i) => {
    pass(i.options.args[0]);
    return { runId: 'r', eagerlyStarted: false };
  });
  await (interceptor.signalWithStart ?? ((i, n) => n(i)))(signalWithStart, async (i) => {
    pass(i.options.args[0]);
    return 'r';
  });
  await (interceptor.startUpdateWithStart ?? ((i, n) => n(i)))(updateWithStart, async (i) => {
    pass(i.workflowStartOptions.args[0]);
    return { workflowExecution: { workflowId: 'wf' }, updateId: 'u' };
  });
  return seen;
}

describe('MAX_TRANSITIONS_PER_RUN (the API client run-limit interceptor)', () => {
  it.each(Object.values(LIFECYCLES).map((lifecycle) => lifecycle.workflowType))(
    'reaches every start of %s, whichever way it is started',
    async (workflowType) => {
      expect(await startedWith(7, workflowType, { proxy: 'p' })).toEqual([
        { proxy: 'p', maxTransitionsPerRun: 7 },
        { proxy: 'p', maxTransitionsPerRun: 7 },
        { proxy: 'p', maxTransitionsPerRun: 7 },
      ]);
    },
  );

  it('leaves the registry default when unset, a limit the caller chose, and other workflow types alone', async () => {
    const input = { proxy: 'p' };
    expect(await startedWith(undefined, 'pushProvisioning', input)).toEqual([input, input, input]);
    expect(await startedWith(7, 'savedCard', { maxTransitionsPerRun: 3 })).toEqual(
      Array(3).fill({ maxTransitionsPerRun: 3 }),
    );
    expect(await startedWith(7, 'notALifecycle', input)).toEqual([input, input, input]);
  });
});
