/**
 * The app in the page (exposed as `window.jupyterapp`), used from a test: its
 * contents manager, its commands, and the extension's services resolved by
 * their token's name.
 */
import { Page } from 'playwright-core';

/** Token names of the extension's services. */
export const CLIENT_TOKEN = 'jupyterlab-git-checkpoints:IGitCheckpointsClient';
export const STATUS_TOKEN = 'jupyterlab-git-checkpoints:ICheckpointStatus';

/** Calls `method` of the plugin service whose token is named `tokenName`. */
export function callService(
  page: Page,
  tokenName: string,
  method: string,
  ...args: unknown[]
): Promise<any> {
  return page.evaluate(
    async ([tokenName, method, args]) => {
      const registry = (window as any).jupyterapp.pluginRegistry;
      const token = [...registry._services.keys()].find(
        (t: any) => t.name === tokenName
      );
      const service = await registry.resolveRequiredService(token);
      return service[method](...args);
    },
    [tokenName, method, args] as [string, string, unknown[]]
  );
}

/** A checkpoint as the page's client reports it, with its content. */
export interface ICommitted {
  id: string;
  message: string;
  content: string;
}

/** The file's checkpoints read from the page's client, newest first. */
export async function checkpointsInPage(
  page: Page,
  path: string
): Promise<ICommitted[]> {
  const { checkpoints } = await callService(
    page,
    CLIENT_TOKEN,
    'history',
    path,
    100
  );
  const found: ICommitted[] = [];
  for (const c of checkpoints.reverse()) {
    const { content } = await callService(
      page,
      CLIENT_TOKEN,
      'content',
      path,
      c.id
    );
    found.push({ id: c.id, message: c.message, content });
  }
  return found;
}

/** A file's content, through the page's contents manager. */
export function readFile(page: Page, path: string): Promise<any> {
  return page.evaluate(
    async path =>
      (
        await (window as any).jupyterapp.serviceManager.contents.get(path, {
          content: true
        })
      ).content,
    path
  );
}

/** Saves a file through the page's contents manager. */
export function saveFile(
  page: Page,
  path: string,
  model: { type: string; format: string; content: unknown }
): Promise<unknown> {
  return page.evaluate(
    ([path, model]) =>
      (window as any).jupyterapp.serviceManager.contents.save(path, model),
    [path, model] as [string, typeof model]
  );
}

/** Checkpoints a file through the page's contents manager. */
export function createCheckpoint(page: Page, path: string): Promise<unknown> {
  return page.evaluate(
    path =>
      (window as any).jupyterapp.serviceManager.contents.createCheckpoint(path),
    path
  );
}

/** Runs a command of the app. */
export function execute(page: Page, id: string): Promise<unknown> {
  return page.evaluate(
    id => (window as any).jupyterapp.commands.execute(id),
    id
  );
}
