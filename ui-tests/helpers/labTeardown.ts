/** The end of a run on a real JupyterLab. */
import { writeFileSync } from 'node:fs';
import { Browser } from './browser';
import { printConsoleProblems } from './consoleProblems';
import { JupyterLab } from './jupyterLab';

/**
 * Prints what the page's console reported, closes the browser, stops the
 * server and (when it started) writes its log to `logFile`.
 */
export async function tearDownLab(
  browser: Browser | undefined,
  lab: JupyterLab | undefined,
  logFile: string
): Promise<void> {
  printConsoleProblems(browser);
  await browser?.close();
  await lab?.stop();
  if (lab) {
    writeFileSync(logFile, lab.log.join(''));
  }
}
