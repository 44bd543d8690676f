import { showErrorMessage } from '@jupyterlab/apputils';
import type { ICheckpointStatus } from '../tokens';

/**
 * Runs a command's work; a failure is shown in an error dialog titled for the
 * action (never thrown into the command registry, which would only log it),
 * and the status is refreshed afterwards either way, since the work may have
 * moved the branch.
 */
export async function reportFailure(
  title: string,
  status: ICheckpointStatus | null,
  work: () => Promise<void>
): Promise<void> {
  try {
    await work();
  } catch (error) {
    await showErrorMessage(title, error as Error);
  } finally {
    status?.kick();
  }
}
