import { condition } from '@temporalio/workflow';

/**
 * Deliveries the lifecycle owes to others (partner webhooks, shop notifications), in the order they
 * were queued. Each is removed only once its activity landed (the activity retries until it does),
 * and what is left is carried to the next run on continue-as-new. Deliver either inline (`drain`, the
 * caller waits) or in the background (`deliverContinuously`, the lifecycle is never held up).
 */
export class Outbox<T> {
  private readonly queue: T[];

  constructor(
    private readonly deliver: (item: T) => Promise<unknown>,
    carried: readonly T[] = [],
  ) {
    this.queue = [...carried];
  }

  get pending(): boolean {
    return this.queue.length > 0;
  }

  push(item: T): void {
    this.queue.push(item);
  }

  /** What is not delivered yet, for the next run's input. */
  carry(): T[] {
    return [...this.queue];
  }

  /** Delivers everything queued, one after the other, before returning. */
  async drain(): Promise<void> {
    while (this.pending) await this.deliverNext();
  }

  /**
   * Delivers the first item queued. The promise is the delivery activity's own, and the item leaves
   * the queue just before its awaiter resumes: awaiting it costs what awaiting the activity costs.
   */
  deliverNext(): Promise<unknown> {
    const delivery = this.deliver(this.queue[0]);
    void delivery.then(
      () => this.queue.shift(),
      () => undefined,
    );
    return delivery;
  }

  /** Delivers whatever gets queued, for the rest of the run, without holding up the caller. */
  deliverContinuously(): void {
    void (async () => {
      for (;;) {
        await condition(() => this.pending);
        await this.deliverNext();
      }
    })();
  }

  /** Resolves once everything queued so far and meanwhile is delivered (with `deliverContinuously`). */
  delivered(): Promise<void> {
    return condition(() => !this.pending);
  }
}
