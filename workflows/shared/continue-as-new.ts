import { allHandlersFinished, condition, continueAsNew } from '@temporalio/workflow';

/** What a hand-over needs of a lifecycle; its chart tags the states where no step is mid-way `resting`. */
interface Handing {
  readonly done: boolean;
  hasTag(tag: 'resting'): boolean;
  continueAsNewDue(maxTransitionsPerRun: number): boolean;
}

/**
 * Bounds a long-lived lifecycle's history: a run hands over to a new one when Temporal suggests it
 * or the run took `maxTransitionsPerRun` transitions (the lifecycle registry's limit; a workflow
 * input may override it), and only between steps.
 */
export class RunHandover<I> {
  constructor(
    private readonly lifecycle: Handing,
    private readonly maxTransitionsPerRun: number,
  ) {}

  /** The hand-over of a registered lifecycle: its registry limit, unless the workflow input overrides it. */
  static of<I extends { maxTransitionsPerRun?: number }>(
    lifecycle: Handing,
    registered: { readonly maxTransitionsPerRun: number },
    input: I,
  ): RunHandover<I> {
    return new RunHandover<I>(lifecycle, input.maxTransitionsPerRun ?? registered.maxTransitionsPerRun);
  }

  /** Whether this run should hand over; a wait that should wake for it asks this. */
  get due(): boolean {
    return this.lifecycle.continueAsNewDue(this.maxTransitionsPerRun);
  }

  /**
   * When due, waits until every handler finished and the chart rests, then continues as new with
   * `carry()` (the chart and whatever else survives the run); returns if the chart finished
   * meanwhile. `I` is the workflow's input: `RunHandover<MyWorkflowInput>`. Call it only when due
   * (`if (handover.due) await handover.continueAsNewWhenDue(carry)`): even an await that does nothing
   * yields, which would reorder the commands of runs recorded before.
   */
  async continueAsNewWhenDue(carry: () => I): Promise<void> {
    if (!this.due) return;
    const { lifecycle } = this;
    await condition(() => lifecycle.done || (allHandlersFinished() && lifecycle.hasTag('resting')));
    if (lifecycle.done) return;
    await continueAsNew<(input: I) => Promise<unknown>>(carry());
  }
}
