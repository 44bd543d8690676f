import { existsSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * TEST ONLY: pause points a test can hold, enabled by the environment
 * variable `GITCHECKPOINTS_TEST_PAUSE_DIR` (never set in production; unset,
 * every point is a no-op). At point `<name>`, while the file
 * `<dir>/hold-<name>` exists, the engine writes `<dir>/at-<name>` (its pid)
 * and waits; the test then kills it, or removes the hold file to let it go
 * on. This drives races and kills deterministically instead of by timing.
 */
export function pausePoints(
  env: Record<string, string | undefined>
): ((point: string) => Promise<void>) | undefined {
  const dir = env.GITCHECKPOINTS_TEST_PAUSE_DIR;
  if (!dir) {
    return undefined;
  }
  return async point => {
    const hold = join(dir, `hold-${point}`);
    if (!existsSync(hold)) {
      return;
    }
    const at = join(dir, `at-${point}`);
    writeFileSync(at, String(process.pid));
    while (existsSync(hold)) {
      await new Promise(resolve => setTimeout(resolve, 10));
    }
    try {
      unlinkSync(at);
    } catch {
      // The test may have removed it already.
    }
  };
}
