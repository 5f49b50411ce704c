import { condition } from '@temporalio/workflow';

/** What a deadline wait needs of a lifecycle: its end, its transition count, its exclusive sections. */
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
  if (await transitionBefore(lifecycle, wait.deadline, wait.alsoWakeWhen)) return;
  await lifecycle.exclusive(wait.atDeadline);
}

/**
 * True when woken before the deadline. Its awaits are those of the wait that recorded the committed
 * histories: the order of a run's commands depends on them.
 */
async function transitionBefore(
  lifecycle: Waitable,
  deadline: number,
  alsoWakeWhen: () => boolean = () => false,
): Promise<boolean> {
  const seenSeq = lifecycle.seq;
  const woken = () => lifecycle.seq !== seenSeq || alsoWakeWhen();
  if (!Number.isFinite(deadline)) {
    await condition(woken);
    return true;
  }
  return condition(woken, Math.max(1, deadline - Date.now()));
}
