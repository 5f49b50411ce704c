import {
  type AnyMachineSnapshot,
  type AnyStateMachine,
  type AnyStateNode,
  type ContextFrom,
  type EventFromLogic,
  type InputFrom,
  type SnapshotFrom,
  type StateValue,
  type TagsFrom,
  initialTransition,
  transition,
} from 'xstate';

/** A chart's state that survives continue-as-new: plain JSON. */
export interface PersistedChart<TContext = unknown> {
  value: StateValue;
  context: TContext;
  /** Number of transitions taken so far; the projection version. */
  seq: number;
}

export interface TransitionStep {
  seq: number;
  from: string;
  event: string;
  to: string;
}

/**
 * Why the chart refuses an event: `finished` (a final state takes nothing), `notAccepted` (the
 * current state has no transition for the event's type), or the name of the guard that refused it
 * (e.g. `canSend`), so callers map the chart's own reason to their contract's failure.
 */
export type RefusalReason = 'finished' | 'notAccepted' | (string & {});

export interface Refusal {
  state: string;
  event: string;
  reason: RefusalReason;
  /** Event types the current state accepts (guards decide on the payload). */
  accepted: string[];
}

export class IllegalTransitionError extends Error {
  constructor(
    readonly state: string,
    readonly event: string,
    readonly reason: RefusalReason = 'notAccepted',
  ) {
    super(`event ${event} is not allowed in state ${state}`);
    this.name = 'IllegalTransitionError';
  }
}

export function stateName(value: StateValue): string {
  if (typeof value === 'string') return value;
  return Object.entries(value)
    .map(([parent, child]) => `${parent}.${child === undefined ? '' : stateName(child)}`)
    .join(',');
}

/**
 * Drives an XState chart with the pure API only (no actor, no clock, no side effects), so it is safe
 * inside Temporal workflow code. Every accepted event yields a numbered step; a refused event throws
 * and leaves the chart untouched.
 */
export class ChartDriver<TMachine extends AnyStateMachine> {
  private snapshot: AnyMachineSnapshot;
  private sequence: number;

  private constructor(
    private readonly machine: TMachine,
    snapshot: AnyMachineSnapshot,
    seq: number,
  ) {
    this.snapshot = snapshot;
    this.sequence = seq;
  }

  static start<M extends AnyStateMachine>(machine: M, input: InputFrom<M>): ChartDriver<M> {
    const [snapshot] = initialTransition(machine, input);
    return new ChartDriver(machine, snapshot as AnyMachineSnapshot, 0);
  }

  static resume<M extends AnyStateMachine>(
    machine: M,
    persisted: PersistedChart<ContextFrom<M>>,
  ): ChartDriver<M> {
    const snapshot = machine.resolveState({ value: persisted.value, context: persisted.context });
    return new ChartDriver(machine, snapshot as AnyMachineSnapshot, persisted.seq);
  }

  get state(): string {
    return stateName(this.snapshot.value);
  }

  get context(): ContextFrom<TMachine> {
    return this.snapshot.context as ContextFrom<TMachine>;
  }

  get seq(): number {
    return this.sequence;
  }

  get done(): boolean {
    return this.snapshot.status === 'done';
  }

  /** Whether the current state carries `tag`: the chart names its state groups, callers never list states. */
  hasTag(tag: TagsFrom<TMachine>): boolean {
    return this.snapshot.hasTag(tag);
  }

  can(event: EventFromLogic<TMachine>): boolean {
    return !this.done && this.snapshot.can(event);
  }

  /** Null when the chart takes `event` now; otherwise the chart's reason for refusing it. */
  refusal(event: EventFromLogic<TMachine>): Refusal | null {
    if (this.can(event)) return null;
    const refusal = { state: this.state, event: event.type, accepted: this.acceptedEventTypes() };
    if (this.done) return { ...refusal, reason: 'finished' };
    const candidates = this.activeNodes().flatMap((node) => node.on[event.type] ?? []);
    const guards = candidates.flatMap((candidate) => (candidate.guard ? [guardName(candidate.guard)] : []));
    // Every candidate transition is guarded (an unguarded one would have been taken): the first guard says why.
    return { ...refusal, reason: guards[0] ?? 'notAccepted' };
  }

  /** Events the chart accepts now (by type; guards decide on the payload). */
  acceptedEventTypes(): string[] {
    if (this.done) return [];
    return [...new Set(this.activeNodes().flatMap((node) => node.ownEvents))]
      .filter((type) => !type.startsWith('xstate.'))
      .sort();
  }

  send(event: EventFromLogic<TMachine>): TransitionStep {
    const from = this.state;
    const refused = this.refusal(event);
    if (refused) throw new IllegalTransitionError(from, event.type, refused.reason);
    const [next] = transition(this.machine, this.snapshot as SnapshotFrom<TMachine>, event);
    this.snapshot = next as AnyMachineSnapshot;
    this.sequence += 1;
    return { seq: this.sequence, from, event: event.type, to: this.state };
  }

  /** Renumbers a fresh chart (no transition taken yet) so its initial state has sequence `firstSeq`. */
  renumber(firstSeq: number): void {
    if (this.sequence !== 0) throw new Error('only a fresh chart can be renumbered');
    this.sequence = firstSeq;
  }

  persist(): PersistedChart<ContextFrom<TMachine>> {
    return { value: this.snapshot.value, context: this.context, seq: this.sequence };
  }

  /** The root and every active state node, innermost last, found by walking the state value. */
  private activeNodes(): AnyStateNode[] {
    const walk = (node: AnyStateNode, value: StateValue | undefined): AnyStateNode[] => {
      if (value === undefined) return [node];
      if (typeof value === 'string') return [node, node.states[value]];
      return [node, ...Object.entries(value).flatMap(([key, child]) => walk(node.states[key], child))];
    };
    return walk(this.machine.root, this.snapshot.value);
  }
}

/** A guard's name as the chart wrote it: `'canSend'`, `{ type: 'canSend' }`, or a named function. */
function guardName(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'function') return guard.name || 'guard';
  if (guard && typeof guard === 'object' && 'type' in guard) return String(guard.type);
  return 'guard';
}
