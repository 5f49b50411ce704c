import { condition } from '@temporalio/workflow';

/** What a deadline wait needs of a lifecycle: its transition count and its exclusive sections. */
interface Waitable {
  readonly done: boolean;
  readonly seq: number;
  exclusive<T>(section: () => Promise<T>): Promise<T>;
}

export interface DeadlineWait {
  /** Epoch ms (workflow time); Infinity for none, then no timer is started. */
  deadline: number;
  /** Runs exclusively once the deadline passed; it checks again, as a handler may have moved the chart. */
  atDeadline: () => Promise<unknown>;
  /** Wakes the wait early for another reason than a transition (a delivery queued, a run to hand over). */
  alsoWakeWhen?: () => boolean;
}

/**
 * The one way a workflow waits: until the chart takes another transition, `alsoWakeWhen` holds, or
 * the deadline (a Temporal timer) passes and `atDeadline` runs. The caller loops and decides again.
 * A finished chart has nothing to wait for: it returns at once.
 */
export async function nextTransitionOrDeadline(lifecycle: Waitable, wait: DeadlineWait): Promise<void> {
  if (lifecycle.done) return;
  const seenSeq = lifecycle.seq;
  const woken = () => lifecycle.seq !== seenSeq || (wait.alsoWakeWhen?.() ?? false);
  if (!Number.isFinite(wait.deadline)) return condition(woken);
  if (await condition(woken, Math.max(1, wait.deadline - Date.now()))) return;
  await lifecycle.exclusive(wait.atDeadline);
}
