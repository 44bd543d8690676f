/**
 * A fault-injecting fs, as SQLite tests its I/O errors: wraps the fs the
 * engine is given and fails its Nth call. Reusable for any operation: arm it,
 * run the operation, disarm it, check the repository.
 *
 * - `ENOSPC`, `EIO`: the Nth call fails (a Node-like error with its path),
 *   later calls work.
 * - `ENOENT`: what a concurrent `git gc` does by removing a directory: the Nth
 *   call that creates or moves a file fails with ENOENT (reads are not
 *   faulted this way: an existing file does not vanish on its own).
 * - `killed`: the Nth call and every later one fail without touching the
 *   disk, as if the process died there; `disarm` brings the process back.
 */
import type { IFileSystem } from '../../src/engine';

export type FaultKind = 'ENOSPC' | 'EIO' | 'ENOENT' | 'killed';

export const FAULT_KINDS: FaultKind[] = ['ENOSPC', 'EIO', 'ENOENT', 'killed'];

const CREATING = new Set([
  'writeFile',
  'appendFile',
  'rename',
  'link',
  'mkdir',
  'open'
]);

/** Names of files that must not outlive an operation: locks and temporary files. */
const LEFTOVER = /\.lock$|\.stale-|gcp-[a-z0-9]+\.tmp$/;

export class FaultFs {
  /** Calls made since the last `arm` or `count` (only calls that may be faulted). */
  calls = 0;
  /** Whether the armed fault has fired. */
  fired = false;
  /** Every lock, stale lock moved aside and temporary file created through this fs. */
  readonly made = new Set<string>();
  readonly fs: IFileSystem;
  private _at = Infinity;
  private _kind: FaultKind = 'EIO';

  constructor(inner: IFileSystem) {
    const promises = inner.promises as Record<string, any>;
    const wrapped: Record<string, any> = {};
    for (const name of Object.keys(promises)) {
      const original = promises[name];
      if (typeof original !== 'function') {
        continue;
      }
      wrapped[name] = (...args: any[]) => {
        const fault = this._fault(name, args[0]);
        if (fault) {
          return Promise.reject(fault);
        }
        const made = name === 'rename' || name === 'link' ? args[1] : args[0];
        if (CREATING.has(name) && LEFTOVER.test(String(made))) {
          this.made.add(made);
        }
        return original.apply(promises, args);
      };
    }
    this.fs = { promises: wrapped as IFileSystem['promises'] };
  }

  /** Starts counting calls, with no fault. */
  count(): void {
    this.arm(Infinity, 'EIO');
  }

  /** Fails the `n`th call from now (1-based) with `kind`. */
  arm(n: number, kind: FaultKind): void {
    this.calls = 0;
    this.fired = false;
    this._at = n;
    this._kind = kind;
  }

  disarm(): void {
    this._at = Infinity;
  }

  private _fault(name: string, path: unknown): Error | null {
    if (this._kind === 'ENOENT' && !CREATING.has(name)) {
      return null;
    }
    this.calls++;
    const killed = this._kind === 'killed' && this.calls > this._at;
    if (this.calls !== this._at && !killed) {
      return null;
    }
    this.fired = true;
    const code = this._kind === 'killed' ? 'EKILLED' : this._kind;
    return Object.assign(
      new Error(`${code}: injected fault, ${name} '${String(path)}'`),
      { code, syscall: name, path: typeof path === 'string' ? path : undefined }
    );
  }
}
