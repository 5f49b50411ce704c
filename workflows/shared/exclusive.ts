/**
 * Serialises async sections inside one workflow: update handlers and the main loop each take the
 * lock, so two concurrent updates can never interleave their transitions. Deterministic: it only
 * chains promises.
 */
export class Exclusive {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.tail.then(section);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
