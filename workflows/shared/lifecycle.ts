import {
  ApplicationFailure,
  patched,
  proxyActivities,
  proxyLocalActivities,
  setCurrentDetails,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import type { AnyStateMachine, ContextFrom, EventFromLogic, InputFrom, TagsFrom } from 'xstate';
import {
  ChartDriver,
  type PersistedChart,
  type Refusal,
  type RefusalReason,
  type TransitionStep,
} from '@tlo/machines';
import { SEARCH_ATTRIBUTES } from '@tlo/domain';
import type { Activities } from '../../activities';
import { storeWrites, storeWritesLocal } from './activity-options';
import { Exclusive } from './exclusive';
import { LifecycleFailures } from './failures';

const remote = proxyActivities<Activities>(storeWrites);
/*
 * Projections run as local activities: each is a short, idempotent write to our own store (unique
 * audit row and version), so it can run inside the workflow task that took the transition instead of
 * costing a round trip through the server. If the worker dies before that task completes, the task
 * is retried from history and the projection runs again, writing nothing twice; if the store is down,
 * it is retried like the remote one, never given up. Its marker in history carries what was written.
 */
const local = proxyLocalActivities<Activities>(storeWritesLocal);

/** Histories recorded before these patches project through remote activities and read the version apart. */
const LOCAL_PROJECTIONS = 'projections-as-local-activities';
const FIRST_PROJECTION_NUMBERS_ITSELF = 'first-projection-numbers-itself';

export interface LifecycleDefinition<M extends AnyStateMachine> {
  /** The `Lifecycle` search attribute and projection discriminator. */
  name: string;
  machine: M;
  /** The read model for MongoDB: ids, states and counters only, never card data. */
  view(context: ContextFrom<M>): Record<string, unknown>;
  /** Human-readable details for the Temporal UI, no card data. */
  details(state: string, context: ContextFrom<M>): string;
}

/**
 * The contract's failure for each of the chart's refusal reasons (a guard name, `notAccepted`,
 * `finished`); a reason without one is refused as `IllegalTransition`.
 */
export type RefusalFailures = Partial<Record<RefusalReason, (refusal: Refusal) => ApplicationFailure>>;

/**
 * One lifecycle actor inside a workflow: an XState chart driven purely, where every accepted event
 * is mirrored to the operator's view (search attribute `LifecycleState`, current details) and
 * projected to MongoDB by an activity before the next event is taken.
 */
export class Lifecycle<M extends AnyStateMachine> {
  private readonly lock = new Exclusive();
  private transitionsInRun = 0;

  private constructor(
    private readonly definition: LifecycleDefinition<M>,
    private readonly driver: ChartDriver<M>,
    private readonly projectLocally: boolean,
  ) {}

  /**
   * Creates the actor synchronously, so update handlers can be registered in the workflow's first
   * activation (update-with-start delivers the update there). A fresh chart's first exclusive section
   * continues the projection numbering of earlier runs with the same workflow id and projects the
   * initial state; every later section runs after it.
   */
  static create<M extends AnyStateMachine>(
    definition: LifecycleDefinition<M>,
    input: InputFrom<M>,
    resume?: PersistedChart<ContextFrom<M>>,
  ): Lifecycle<M> {
    const driver = resume
      ? ChartDriver.resume(definition.machine, resume)
      : ChartDriver.start(definition.machine, input);
    const lifecycle = new Lifecycle(definition, driver, patched(LOCAL_PROJECTIONS));
    lifecycle.publish();
    if (!resume) void lifecycle.exclusive(() => lifecycle.projectStart());
    return lifecycle;
  }

  get state(): string {
    return this.driver.state;
  }
  get context(): ContextFrom<M> {
    return this.driver.context;
  }
  get seq(): number {
    return this.driver.seq;
  }
  get done(): boolean {
    return this.driver.done;
  }
  /** Whether this run should hand over to a new one: Temporal suggests it, or it took `max` transitions. */
  continueAsNewDue(maxTransitionsPerRun: number): boolean {
    return workflowInfo().continueAsNewSuggested || this.transitionsInRun >= maxTransitionsPerRun;
  }

  /** Whether the chart's current state carries `tag` (a state group the chart names). */
  hasTag(tag: TagsFrom<M>): boolean {
    return this.driver.hasTag(tag);
  }

  /** Whether the chart takes `event` now: ask with the real event, guards read its payload. */
  accepts(event: EventFromLogic<M>): boolean {
    return this.driver.can(event);
  }

  /** Null when the chart takes `event`; otherwise why it refuses (its guard's name, or that it cannot). */
  refusal(event: EventFromLogic<M>): Refusal | null {
    return this.driver.refusal(event);
  }

  acceptedEventTypes(): string[] {
    return this.driver.acceptedEventTypes();
  }

  /**
   * For update validators and handlers: throws if the chart refuses `event`, nothing changes. The
   * failure is the one `failures` names for the chart's reason, else `IllegalTransition`.
   */
  assertAccepts(event: EventFromLogic<M>, failures: RefusalFailures = {}): void {
    const refusal = this.driver.refusal(event);
    if (!refusal) return;
    const failure = failures[refusal.reason];
    if (failure) throw failure(refusal);
    const { state, accepted, reason } = refusal;
    throw ApplicationFailure.nonRetryable(
      `${event.type} is not allowed in state ${state}`,
      LifecycleFailures.illegalTransition.type,
      {
        state,
        event: event.type,
        accepted,
        reason,
      },
    );
  }

  /** Runs a section exclusively: transitions of concurrent handlers never interleave. */
  exclusive<T>(section: () => Promise<T>): Promise<T> {
    return this.lock.run(section);
  }

  /** Takes one event. Call it only inside `exclusive`, so transitions are numbered in order. */
  async send(event: EventFromLogic<M>): Promise<TransitionStep> {
    this.assertAccepts(event);
    const step = this.driver.send(event);
    this.transitionsInRun += 1;
    this.publish();
    await this.project(step);
    return step;
  }

  persist(): PersistedChart<ContextFrom<M>> {
    return this.driver.persist();
  }

  private publish(): void {
    upsertSearchAttributes([{ key: SEARCH_ATTRIBUTES.lifecycleState, value: this.state }]);
    setCurrentDetails(this.definition.details(this.state, this.context));
  }

  private async projectStart(): Promise<void> {
    if (!patched(FIRST_PROJECTION_NUMBERS_ITSELF)) {
      this.driver.renumber((await remote.lastProjectedVersion(workflowInfo().workflowId)) + 1);
      await this.project({ seq: this.driver.seq, from: '', event: 'STARTED', to: this.driver.state });
      return;
    }
    // One call numbers and writes it. Its time is the run's start, the same in every retried
    // workflow task, by which the activity knows a first transition it already wrote.
    const step = { seq: 0, from: '', event: 'STARTED', to: this.driver.state };
    const written = await this.project(step, workflowInfo().runStartTime);
    this.driver.renumber(written.version);
  }

  /** Projects `step`; with `runStart`, as the run's first transition, numbered by the activity. */
  private async project(step: TransitionStep, runStart?: Date): Promise<{ version: number }> {
    const { workflowId } = workflowInfo();
    const at = (runStart ?? new Date()).toISOString();
    const projection = {
      workflowId,
      lifecycle: this.definition.name,
      version: step.seq,
      state: step.to,
      view: this.definition.view(this.context),
      transition: { workflowId, lifecycle: this.definition.name, ...step, at },
    };
    const request = runStart ? { ...projection, numberAfterLast: true } : projection;
    const written = await (this.projectLocally ? local : remote).projectTransition(request);
    // Histories recorded before the result carried the projection hold only 'applied' or 'stale'.
    return typeof written === 'object' ? written.projection : projection;
  }
}
