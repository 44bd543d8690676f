import { toHex } from '../models/bytes';
import { type ICommit, parseCommit } from '../models/commit';
import { join } from '../paths';
import type { Repository } from '../repository';
import { ByteCache } from '../storage/byteCache';
import { parentsFirst } from '../storage/commitOrder';
import { encodeDeltaSteps } from './deltaEncoder';
import { type ILooseObject, listLooseObjects } from '../storage/looseObjects';
import { OFS_DELTA, objectId, REF_DELTA } from './packFormat';
import { indexPackFile } from './packIndexer';
import { PackBuilder } from './packWriter';
import { diffTrees } from '../storage/treeDiff';
import { WriteQueue } from '../locking/writeQueue';

/**
 * When and how the engine packs. Like `gc.auto`, packing starts once the
 * loose objects are many (`looseObjects`) or large (`looseBytes`, since a
 * notebook's versions are few but big), after `idleMs` without a commit.
 */
export interface IPackPolicy {
  looseObjects: number;
  looseBytes: number;
  idleMs: number;
  /** Longest delta chain written, as `pack.depth`. */
  maxDepth: number;
  /** Packs up to this size together are rewritten into the new pack. */
  consolidateBytes: number;
  /** This many small packs are consolidated even with few loose objects. */
  smallPacks: number;
  /** A new pack stops taking loose objects at this size (it is built in memory). */
  packBytes: number;
}

export const DEFAULT_PACK_POLICY: IPackPolicy = {
  looseObjects: 1000,
  looseBytes: 8 << 20,
  idleMs: 2000,
  maxDepth: 50,
  consolidateBytes: 32 << 20,
  smallPacks: 4,
  packBytes: 64 << 20
};

/** git's `gc` is taken as running while its `gc.pid` is younger than this (git's own rule). */
const GC_PID_FRESH_MS = 12 * 3600 * 1000;
/** Temporary files of a killed packer are removed after this. */
const STALE_TEMP_MS = 3600 * 1000;
/** Recently written blobs kept as delta bases for their next versions. */
const BASE_CACHE_BYTES = 16 << 20;

/** What one packing run did. */
export interface IPackResult {
  pack: string;
  objects: number;
  /** Loose objects removed, now in the pack. */
  looseRemoved: number;
  /** Packs rewritten into it and removed. */
  packsRemoved: number;
}

/**
 * Packs the repository's objects in the background, in git's formats (pack
 * v2 with offset deltas, idx v2), with no git binary.
 *
 * A file's new version is stored as a delta against its previous version
 * (found by diffing each new commit's tree against its parent's), up to
 * `maxDepth` deep; small packs (a fetch's, git's, earlier runs') are rewritten
 * into the new one, their entries copied without inflating them.
 *
 * Safety, beside the git CLI: the pack and its index are written under
 * temporary names and renamed (pack first, as git does); every object is then
 * read back from the new pack and its id checked; only then are the loose
 * objects it holds and the packs it replaced removed. Every loose object is
 * packed, reachable or not, so nothing is lost whatever refers to it
 * (reflogs, other branches, the index). Nothing starts, and nothing is
 * removed, while git's `gc` holds `gc.pid`. The write queue is not held:
 * a checkpoint that comes meanwhile is committed at once, and the packer
 * pauses between steps while one is in the queue.
 */
export class AutoPacker {
  private readonly _runs = new WriteQueue();
  private _timer: ReturnType<typeof setTimeout> | null = null;
  private _disposed = false;

  constructor(
    private readonly _repo: Repository,
    readonly policy: IPackPolicy = DEFAULT_PACK_POLICY,
    /** Whether commits schedule packing (`run` works either way). */
    readonly enabled = true
  ) {}

  /** Called after each commit: packs once the engine has been idle for `idleMs`, if due. */
  schedule(): void {
    if (this._disposed || !this.enabled) {
      return;
    }
    if (this._timer) {
      clearTimeout(this._timer);
    }
    this._timer = setTimeout(() => {
      this._timer = null;
      void this.run().catch(() => undefined);
    }, this.policy.idleMs);
    // A pending run must not keep a Node process alive.
    (this._timer as { unref?: () => void }).unref?.();
  }

  /** Packs now if due (or always with `force`); null when nothing was done. */
  run(force = false): Promise<IPackResult | null> {
    return this._runs.run(() => this._run(force));
  }

  /** Cancels a scheduled run and waits for a running one. */
  async dispose(): Promise<void> {
    this._disposed = true;
    if (this._timer) {
      clearTimeout(this._timer);
      this._timer = null;
    }
    await this._runs.idle();
  }

  private get _packDir(): string {
    return join(this._repo.gitdir, 'objects/pack');
  }

  private async _run(force: boolean): Promise<IPackResult | null> {
    if (await this._gcRunning()) {
      return null;
    }
    await this._tidyPackDir();
    const loose = await listLooseObjects(this._repo.fs, this._repo.gitdir);
    const small = await this._smallPacks();
    const looseBytes = loose.reduce((sum, o) => sum + o.size, 0);
    const due =
      loose.length >= this.policy.looseObjects ||
      looseBytes >= this.policy.looseBytes ||
      small.length >= this.policy.smallPacks;
    if (!(force || due) || (loose.length === 0 && small.length < 2)) {
      return null;
    }
    const builder = new PackBuilder(this._repo.codec);
    const depths = new Map<string, number>();
    for (const path of small) {
      await this._copyPack(builder, path, depths);
    }
    const packed = await this._addLoose(builder, loose, depths);
    const { pack, idx, checksum } = await builder.finish();
    const packPath = join(this._packDir, `pack-${checksum}.pack`);
    const idxPath = join(this._packDir, `pack-${checksum}.idx`);
    await this._place(packPath, pack);
    await this._place(idxPath, idx);
    await this._verify(packPath, builder);
    if (await this._gcRunning()) {
      return null; // Duplicates are harmless; git's gc will sort them out.
    }
    const fs = this._repo.fs.promises;
    for (const object of packed) {
      await fs.unlink(object.path).catch(() => undefined);
    }
    const replaced = small.filter(path => path !== packPath);
    for (const path of replaced) {
      const base = path.replace(/\.pack$/, '');
      // The index first: without it no reader looks into the pack.
      for (const ext of ['.idx', '.pack', '.rev', '.bitmap']) {
        await fs.unlink(base + ext).catch(() => undefined);
      }
    }
    await this._repo.objects.packs.rescan();
    return {
      pack: packPath,
      objects: builder.count,
      looseRemoved: packed.length,
      packsRemoved: replaced.length
    };
  }

  private async _gcRunning(): Promise<boolean> {
    const stats = await this._repo.fs.promises
      .stat(join(this._repo.gitdir, 'gc.pid'))
      .catch(() => null);
    return !!stats && Date.now() - stats.mtimeMs < GC_PID_FRESH_MS;
  }

  /**
   * Removes what a killed packer left (old temporary files) and indexes a
   * pack renamed into place whose index was not (it is complete: a pack is
   * renamed only once written).
   */
  private async _tidyPackDir(): Promise<void> {
    const fs = this._repo.fs.promises;
    const names = await fs.readdir(this._packDir).catch(() => [] as string[]);
    for (const name of names) {
      const path = join(this._packDir, name);
      if (/^tmp_(pack|idx)_gcp_/.test(name)) {
        const stats = await fs.stat(path).catch(() => null);
        if (stats && Date.now() - stats.mtimeMs > STALE_TEMP_MS) {
          await fs.unlink(path).catch(() => undefined);
        }
      } else if (
        /^pack-[0-9a-f]{40}\.pack$/.test(name) &&
        !names.includes(name.replace(/\.pack$/, '.idx'))
      ) {
        await indexPackFile(this._repo.fs, this._repo.codec, path).catch(
          () => undefined
        );
      }
    }
    await this._repo.objects.packs.rescan();
  }

  /** Packs small enough to rewrite, smallest first, together under `consolidateBytes`. */
  private async _smallPacks(): Promise<string[]> {
    const fs = this._repo.fs.promises;
    const names = await fs.readdir(this._packDir).catch(() => [] as string[]);
    const sized: Array<[string, number]> = [];
    for (const path of await this._repo.objects.packs.paths()) {
      const base = path.slice(path.lastIndexOf('/') + 1, -'.pack'.length);
      if (
        names.includes(`${base}.keep`) ||
        names.includes(`${base}.promisor`)
      ) {
        continue;
      }
      const stats = await fs.stat(path).catch(() => null);
      if (stats) {
        sized.push([path, stats.size]);
      }
    }
    sized.sort((a, b) => a[1] - b[1]);
    const chosen: string[] = [];
    let total = 0;
    for (const [path, size] of sized) {
      if (total + size > this.policy.consolidateBytes) {
        break;
      }
      chosen.push(path);
      total += size;
    }
    return chosen;
  }

  /** Copies every entry of a pack, deltas kept as they are. */
  private async _copyPack(
    builder: PackBuilder,
    path: string,
    depths: Map<string, number>
  ): Promise<void> {
    const packs = this._repo.objects.packs;
    const entries = await packs.entriesOf(path);
    const oidAt = new Map(entries.map(e => [e.offset, e.oid]));
    for (const { oid, offset } of entries) {
      if (builder.offsetOf(oid) !== undefined) {
        continue;
      }
      await this._pause();
      const { header, stream } = await packs.rawAt(path, offset);
      let base: string | null = null;
      if (header.type === OFS_DELTA) {
        base = oidAt.get(header.baseOffset!) ?? null;
      } else if (header.type === REF_DELTA) {
        base = toHex(header.baseOid!);
      }
      builder.addRaw(oid, header, base, stream);
      // A base later in the pack: its depth is unknown, build nothing on it.
      depths.set(
        oid,
        base === null ? 0 : (depths.get(base) ?? this.policy.maxDepth) + 1
      );
    }
  }

  /**
   * Adds loose objects: each loose commit's changed files, as deltas against
   * their previous versions, then the rest whole. Returns those added.
   */
  private async _addLoose(
    builder: PackBuilder,
    loose: ILooseObject[],
    depths: Map<string, number>
  ): Promise<ILooseObject[]> {
    const objects = this._repo.objects;
    const byOid = new Map(loose.map(object => [object.oid, object]));
    const commits = new Map<string, ICommit>();
    for (const object of loose) {
      await this._pause();
      const raw = await objects.read(object.oid).catch(() => null);
      if (raw?.type === 'commit') {
        commits.set(object.oid, parseCommit(raw.content));
      }
    }
    const added: ILooseObject[] = [];
    const bases = new ByteCache<Uint8Array>(BASE_CACHE_BYTES, b => b.length);
    const full = () => builder.size >= this.policy.packBytes;
    const add = async (oid: string, base: string | null = null) => {
      const object = byOid.get(oid);
      if (!object || builder.offsetOf(oid) !== undefined || full()) {
        return;
      }
      await this._pause();
      const raw = await objects.read(oid).catch(() => null);
      if (!raw) {
        return; // Removed meanwhile (git's prune): nothing to pack.
      }
      let delta: Uint8Array | null = null;
      const depth = base === null ? undefined : depths.get(base);
      if (
        base !== null &&
        depth !== undefined &&
        depth < this.policy.maxDepth
      ) {
        const baseContent =
          bases.get(base) ?? (await objects.read(base)).content;
        delta = await this._delta(baseContent, raw.content);
      }
      if (delta) {
        await builder.addDelta(oid, base!, delta);
        depths.set(oid, depth! + 1);
      } else {
        await builder.addWhole(oid, raw.type, raw.content);
        depths.set(oid, 0);
      }
      if (raw.type === 'blob') {
        bases.set(oid, raw.content);
      }
      added.push(object);
    };
    const order = await parentsFirst(commits.keys(), oid =>
      commits.get(oid)!.parents.filter(parent => commits.has(parent))
    );
    for (const oid of order) {
      const commit = commits.get(oid)!;
      const parent = commit.parents[0]
        ? await objects.readCommit(commit.parents[0]).catch(() => null)
        : null;
      const changes = await diffTrees(
        objects,
        parent?.tree ?? null,
        commit.tree
      ).catch(() => []);
      await add(oid);
      for (const change of changes) {
        if (change.after) {
          await add(change.after, change.before);
        }
      }
    }
    for (const object of loose) {
      await add(object.oid);
    }
    return added;
  }

  /** A delta in steps, pausing for checkpoints; null when it would not pay. */
  private async _delta(
    base: Uint8Array,
    target: Uint8Array
  ): Promise<Uint8Array | null> {
    const steps = encodeDeltaSteps(base, target, target.length / 2);
    for (let step = steps.next(); ; step = steps.next()) {
      if (step.done) {
        return step.value;
      }
      await this._pause();
    }
  }

  /** Lets a checkpoint waiting in the write queue go first. */
  private async _pause(): Promise<void> {
    await this._repo.queue.idle();
    await new Promise(resolve => setTimeout(resolve, 0));
  }

  private async _place(path: string, data: Uint8Array): Promise<void> {
    const fs = this._repo.fs.promises;
    const kind = path.endsWith('.idx') ? 'idx' : 'pack';
    const temp = join(
      this._packDir,
      `tmp_${kind}_gcp_${Math.random().toString(36).slice(2)}`
    );
    await fs.mkdir(this._packDir, { recursive: true });
    await fs.writeFile(temp, data, { mode: 0o444 });
    await fs.rename(temp, path);
  }

  /** Reads every object back from the new pack and checks its id. */
  private async _verify(packPath: string, builder: PackBuilder): Promise<void> {
    const packs = this._repo.objects.packs;
    await packs.rescan();
    for (const { oid } of await packs.entriesOf(packPath)) {
      await this._pause();
      const object = await packs.readIn(packPath, oid);
      const sum = object
        ? await objectId(this._repo.codec, object.type, object.content)
        : null;
      if (sum !== oid) {
        throw new Error(`packing: ${oid} does not read back from ${packPath}`);
      }
    }
    if ((await packs.entriesOf(packPath)).length !== builder.count) {
      throw new Error(`packing: ${packPath} lost objects`);
    }
  }
}
