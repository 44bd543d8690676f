/** What a test run prints at its end about the page's console. */
import { Browser } from './browser';

/** Prints every error, warning and uncaught exception the page logged, if any. */
export function printConsoleProblems(browser: Browser | undefined): void {
  const problems = browser ? browser.problems() : [];
  if (problems.length) {
    console.log(
      'Console errors and warnings:\n' +
        problems.map(p => `  [${p.type}] ${p.text} (${p.url})`).join('\n')
    );
  }
}
