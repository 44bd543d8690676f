/**
 * Debian's Chromium driven by playwright-core, recording what the page logs
 * so that a test can fail on errors and warnings from the extension.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  BrowserContext,
  chromium,
  ConsoleMessage,
  Page
} from 'playwright-core';
// Debian's Chromium, headless, reaching nothing past loopback: the launch
// options that scripts/bench-lite.mjs reads too.
import CHROMIUM from './chromiumOptions.json';

/** One line the page logged, or an uncaught exception. */
export interface ILogEntry {
  type: string;
  text: string;
  url: string;
}

export class Browser {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    private _profile: string,
    readonly log: ILogEntry[],
    /** Every URL the page requested, in order. */
    readonly requests: string[]
  ) {}

  /** A browser with a fresh profile, in a new folder of `under` (default: the temporary folder). */
  static async launch(under = tmpdir()): Promise<Browser> {
    const profile = await mkdtemp(join(under, 'gc-chromium-'));
    const context = await chromium.launchPersistentContext(profile, {
      ...CHROMIUM,
      viewport: { width: 1400, height: 900 }
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const log: ILogEntry[] = [];
    const requests: string[] = [];
    page.on('console', (message: ConsoleMessage) =>
      log.push({
        type: message.type(),
        text: message.text(),
        url: message.location().url
      })
    );
    page.on('request', request => requests.push(request.url()));
    page.on('pageerror', error =>
      log.push({
        type: 'pageerror',
        text: String(error.stack ?? error),
        url: ''
      })
    );
    return new Browser(context, page, profile, log, requests);
  }

  /** Every error, warning and uncaught exception the page logged. */
  problems(): ILogEntry[] {
    return this.log.filter(entry =>
      ['error', 'warning', 'pageerror'].includes(entry.type)
    );
  }

  async close(): Promise<void> {
    await this.context.close();
    await rm(this._profile, { recursive: true, force: true });
  }
}
