/** Waiting for the checkpoint status item to say something. */
import { eventually } from './eventually';
import { LabPage } from './labPage';

/** Waits until the status item's text matches `pattern` (by `eventually`'s default time unless told). */
export async function statusMatches(
  ui: LabPage,
  pattern: RegExp,
  timeoutMs?: number
): Promise<void> {
  await eventually(
    async () => expect(await ui.statusText.textContent()).toMatch(pattern),
    timeoutMs
  );
}
