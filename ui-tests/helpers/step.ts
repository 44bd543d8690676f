/**
 * A journey step: one `it` whose failure leaves a screenshot of the page and is
 * printed at once (jest prints a file's results only at its end), and which
 * presses Escape so that a dialog left open does not fail every later step.
 */
import { join } from 'node:path';
import { Page } from 'playwright-core';

export interface IStepOptions {
  /** The folder of the failure screenshots. */
  results: string;
  /** The start of a failure screenshot's name; `failed-` unless told. */
  prefix?: string;
  /** The journey's name in the printed failure. */
  label: string;
  /** The page to screenshot, asked at the failure (a test may change pages). */
  page: () => Page | undefined;
}

/** The `step(name, body)` of one spec file. */
export function stepper(
  options: IStepOptions
): (name: string, body: () => Promise<void>) => void {
  const prefix = options.prefix ?? 'failed-';
  return (name, body) => {
    it(name, async () => {
      try {
        await body();
      } catch (error) {
        const file = join(
          options.results,
          `${prefix}${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 60)}.png`
        );
        const page = options.page();
        await page?.screenshot({ path: file }).catch(() => undefined);
        process.stderr.write(
          `${options.label}: '${name}' failed (${file}): ${error}\n`
        );
        await page?.keyboard.press('Escape').catch(() => undefined);
        throw error;
      }
    });
  };
}
