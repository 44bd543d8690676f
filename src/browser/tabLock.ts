/**
 * One writer per repository across the tabs of a browser: a Web Lock held for
 * as long as the worker lives (the browser releases it when the tab closes).
 * lightning-fs caches the file table per instance, so two tabs writing the
 * same database would overwrite each other's commits.
 */
export namespace TabLock {
  /** Takes the lock if no other tab holds it. */
  export function tryHold(name: string): Promise<boolean> {
    return new Promise(held =>
      navigator.locks.request(name, { ifAvailable: true }, lock => {
        held(lock !== null);
        return lock ? FOREVER : undefined;
      })
    );
  }

  /** Resolves once the lock is ours (after the tab holding it closes). */
  export function hold(name: string): Promise<void> {
    return new Promise(held =>
      navigator.locks.request(name, () => {
        held();
        return FOREVER;
      })
    );
  }

  const FOREVER = new Promise<never>(() => undefined);
}
