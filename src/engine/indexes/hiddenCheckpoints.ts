import type { IFileSystem } from '../api';
import { writeAtomic } from '../storage/atomicWrite';

/**
 * Checkpoints deleted through Jupyter's API: git history is never rewritten,
 * so a deleted checkpoint's commit stays and is only no longer listed.
 * Stored as `{path: [commit, ...]}` in `.git/gitcheckpoints/hidden.json`.
 */
export class HiddenCheckpoints {
  private _hidden: Map<string, Set<string>> | null = null;

  constructor(
    private readonly _fs: IFileSystem,
    private readonly _file: string
  ) {}

  async isHidden(path: string, commit: string): Promise<boolean> {
    return (await this._load()).get(path)?.has(commit) ?? false;
  }

  async hide(path: string, commit: string): Promise<void> {
    const hidden = await this._load();
    hidden.set(path, new Set([...(hidden.get(path) ?? []), commit]));
    const json: Record<string, string[]> = {};
    for (const [key, commits] of hidden) {
      json[key] = [...commits];
    }
    await writeAtomic(this._fs, this._file, JSON.stringify(json));
  }

  private async _load(): Promise<Map<string, Set<string>>> {
    if (!this._hidden) {
      let json: Record<string, string[]> = {};
      try {
        json = JSON.parse(await this._fs.promises.readFile(this._file, 'utf8'));
      } catch (error: any) {
        // None hidden yet; a read that failed otherwise must not forget them.
        if (error?.code !== 'ENOENT' && !(error instanceof SyntaxError)) {
          throw error;
        }
      }
      this._hidden = new Map(
        Object.entries(json).map(([path, commits]) => [path, new Set(commits)])
      );
    }
    return this._hidden;
  }
}
