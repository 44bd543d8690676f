/**
 * The two fs backends every engine suite runs on, and the git CLI checks run
 * after each scenario. A lightning-fs repository is copied to a real
 * directory first, so the git CLI judges both backends alike.
 */
import 'fake-indexeddb/auto';
import { execFileSync } from 'node:child_process';
import * as nodeFs from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import LightningFS from '@isomorphic-git/lightning-fs';
import { lightningFs } from '../../src/browser/lightningFs';
import { webCodec } from '../../src/browser/webCodec';
import {
  CheckpointEngine,
  type ICodec,
  type IFileSystem
} from '../../src/engine';
import { nodeCodec } from '../../src/server/nodeCodec';

export interface IBackend {
  name: string;
  /** Whether the git CLI can write the repository directly (a real disk). */
  cliWritable: boolean;
  /** A fresh, empty working directory. */
  make(): Promise<IWorkspace>;
}

export interface IWorkspace {
  fs: IFileSystem;
  dir: string;
  codec: ICodec;
  /** A real directory holding the repository, for the git CLI. */
  onDisk(): Promise<string>;
}

// lightning-fs looks for a navigator to decide about locks across tabs.
(globalThis as any).navigator ??= {};

let counter = 0;

export const BACKENDS: IBackend[] = [
  {
    name: 'node fs',
    cliWritable: true,
    async make() {
      const dir = mkdtempSync(join(tmpdir(), 'gcp-'));
      return {
        fs: nodeFs as unknown as IFileSystem,
        dir,
        codec: nodeCodec,
        onDisk: async () => dir
      };
    }
  },
  {
    name: 'lightning-fs',
    cliWritable: false,
    async make() {
      const lfs = new LightningFS(`gcp-${process.pid}-${counter++}`, {
        wipe: true
      });
      const fs = lightningFs(lfs);
      const dir = '/home/jovyan';
      await fs.promises.mkdir(dir, { recursive: true });
      return {
        fs,
        dir,
        codec: webCodec,
        onDisk: () => copyOut(fs, dir)
      };
    }
  }
];

async function copyOut(fs: IFileSystem, dir: string): Promise<string> {
  const target = mkdtempSync(join(tmpdir(), 'gcp-lfs-'));
  const copy = async (from: string, to: string) => {
    for (const name of await fs.promises.readdir(from)) {
      const stats = await fs.promises.lstat(`${from}/${name}`);
      if (stats.isDirectory()) {
        nodeFs.mkdirSync(`${to}/${name}`);
        await copy(`${from}/${name}`, `${to}/${name}`);
      } else {
        nodeFs.writeFileSync(
          `${to}/${name}`,
          await fs.promises.readFile(`${from}/${name}`)
        );
      }
    }
  };
  await copy(dir, target);
  return target;
}

export function gitCli(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_CONFIG_NOSYSTEM: '1', HOME: dir },
    stdio: ['ignore', 'pipe', 'pipe']
  });
}

/** Commits made with the git CLI, as a user in the same repository would. */
export function cliCommit(
  dir: string,
  path: string,
  text: string,
  message: string
) {
  nodeFs.mkdirSync(join(dir, path, '..'), { recursive: true });
  nodeFs.writeFileSync(join(dir, path), text);
  gitCli(dir, 'add', path);
  gitCli(
    dir,
    '-c',
    'user.name=cli',
    '-c',
    'user.email=cli@example.invalid',
    'commit',
    '-qm',
    message
  );
}

export function openEngine(
  ws: IWorkspace,
  extra: Partial<CheckpointEngine.IOptions> = {}
) {
  return CheckpointEngine.open({
    fs: ws.fs,
    dir: ws.dir,
    codec: ws.codec,
    author: { name: 'jovyan', email: 'jovyan@example.invalid' },
    branch: 'jovyan-test',
    ...extra
  });
}

/**
 * What the git CLI must say after any scenario: the repository is fsck-clean,
 * each file's history is what the engine lists, a checkpointed file is clean
 * in `git status`, and the reflog holds the branch's commits.
 */
export async function expectHealthy(
  engine: CheckpointEngine,
  ws: IWorkspace,
  files: Record<string, { follow?: boolean }>
) {
  const dir = await ws.onDisk();
  const fsck = gitCli(dir, 'fsck', '--strict', '--no-dangling');
  expect(fsck).toBe('');
  for (const [path, { follow }] of Object.entries(files)) {
    const log = gitCli(
      dir,
      'log',
      ...(follow ? ['--follow'] : []),
      '--format=%H',
      '--',
      path
    )
      .split('\n')
      .filter(Boolean);
    const listed = (await engine.listCheckpoints(path, 1000))
      .map(c => c.id)
      .reverse();
    expect(listed).toEqual(log);
    expect(gitCli(dir, 'status', '--porcelain', '--', path)).toBe('');
  }
  // Every commit on the branch went through the reflog (a reset may leave more there).
  const reflog = new Set(
    gitCli(dir, 'reflog', '--format=%H').split('\n').filter(Boolean)
  );
  const branch = gitCli(dir, 'rev-list', 'HEAD').split('\n').filter(Boolean);
  expect(branch.filter(commit => !reflog.has(commit))).toEqual([]);
}
