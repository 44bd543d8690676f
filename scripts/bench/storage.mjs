import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import { NotebookHistory } from './notebook.mjs';

const NOTEBOOK = 'analysis.ipynb';
/** A pack is started in the background every this many saves. */
const PACK_EVERY = 10;
const TARGET = { disk: 1.5, latency: 1.2 };

/**
 * Storage figures (issue 8): `versions` checkpoints of the benchmark
 * notebook through the engine, twice. In one repository the engine packs
 * in the background while the saves go on (a pack started every
 * `PACK_EVERY` saves, not awaited), in the other it never packs. Reported:
 * the first one's `.git` after its own packing against a copy of the second
 * after `git gc` (disk), and the 95th percentile of the saves that ran while
 * a pack was being written against that of the saves with no packing.
 */
export class StorageBench {
  /** @param {{ tmp: string, home: string, bundleDir: string, seed: string, versions: number, log: (line: string) => void }} o */
  constructor(o) {
    this.o = o;
    this.history = new NotebookHistory(o.seed, o.versions);
  }

  async run() {
    const { CheckpointEngine } = await import(
      pathToFileURL(join(this.o.bundleDir, 'engine/index.js')).href
    );
    const { nodeCodec } = await import(
      pathToFileURL(join(this.o.bundleDir, 'server/nodeCodec.js')).href
    );
    const open = (dir, pack) =>
      CheckpointEngine.open({
        fs,
        dir,
        codec: nodeCodec,
        author: { name: 'bench', email: 'bench@example.invalid' },
        branch: 'bench',
        pack
      });
    this.o.log(`storage: ${this.o.versions} checkpoints, no packing`);
    const plainDir = join(this.o.tmp, 'storage-plain');
    const plain = await this._saves(await open(plainDir, false), false);
    this.o.log(`storage: ${this.o.versions} checkpoints, packing meanwhile`);
    const packedDir = join(this.o.tmp, 'storage-packed');
    const packing = await open(packedDir, { idleMs: 3600_000 });
    const packed = await this._saves(packing, true);
    await packing.pack();
    await packing.dispose();
    const engineBytes = du(join(packedDir, '.git'));
    this.o.log('storage: git gc of a copy');
    const copy = join(this.o.tmp, 'storage-gc');
    fs.cpSync(plainDir, copy, { recursive: true });
    execFileSync('git', ['gc', '-q'], {
      cwd: copy,
      env: { ...process.env, HOME: this.o.home, GIT_CONFIG_NOSYSTEM: '1' }
    });
    const gitBytes = du(join(copy, '.git'));
    return {
      versions: this.o.versions,
      disk: { engineBytes, gitBytes, target: TARGET.disk },
      latency: {
        whilePacking: packed.during,
        noPacking: plain.all,
        p95WhilePacking: p95(packed.during),
        p95NoPacking: p95(plain.all),
        target: TARGET.latency
      }
    };
  }

  /** Saves every version; with `pack`, starts a background pack every PACK_EVERY saves. */
  async _saves(engine, pack) {
    const all = [];
    const during = [];
    let running = null;
    for (let v = 0; v < this.o.versions; v++) {
      const content = this.history.bytes(v);
      if (pack && v > 0 && v % PACK_EVERY === 0 && !running) {
        running = engine.pack().finally(() => (running = null));
      }
      const busy = running !== null;
      const start = performance.now();
      await engine.createCheckpoint(NOTEBOOK, { content });
      const ms = performance.now() - start;
      all.push(ms);
      if (busy && running !== null) {
        during.push(ms);
      }
    }
    await running;
    if (!pack) {
      await engine.dispose();
    }
    return { all, during };
  }
}

function p95(values) {
  if (values.length === 0) {
    return null;
  }
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * 0.95))];
}

/** Bytes of the files under `path`, as `du --apparent-size -b` counts them. */
function du(path) {
  const stats = fs.lstatSync(path);
  if (!stats.isDirectory()) {
    return stats.size;
  }
  return fs
    .readdirSync(path)
    .reduce((sum, name) => sum + du(join(path, name)), 0);
}
