/**
 * Runs tasks one at a time, in order.
 *
 * isomorphic-git has no write lock of its own: ten concurrent commits in one
 * process leave two. Every write of the engine goes through one queue.
 */
export class WriteQueue {
  private _tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this._tail.then(task, task);
    // The queue goes on whether the task failed or not; the caller sees the failure.
    this._tail = result.catch(() => undefined);
    return result;
  }

  /** Resolves once every task queued so far has finished. */
  async idle(): Promise<void> {
    await this._tail;
  }
}
