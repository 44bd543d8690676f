import type { ICommit, ICommitHeader } from '../models/commit';
import { join } from '../paths';
import type { Repository } from '../repository';
import { writeAtomic } from '../storage/atomicWrite';
import { WriteQueue } from '../locking/writeQueue';
import { parentsFirst as walkParentsFirst } from '../storage/commitOrder';
import { entryAt } from '../storage/treeEdit';
import { diffTrees, type IFileChange } from '../storage/treeDiff';

/** One version of a file: the commit that changed it and the file's path there. */
export interface IHistoryItem {
  commit: string;
  path: string;
}

/**
 * A file's versions, newest first, as a linked list: a new version is one
 * cell in front of the old list, which it shares (an array copied on each
 * version made the index build's garbage grow with the square of history).
 * Cells are never mutated.
 */
interface IChain {
  readonly item: IHistoryItem;
  readonly next: IChain | null;
}

/** path -> its versions. */
type Lists = Map<string, IChain>;

/** Each chain's items as an array, made once per chain. */
const arrays = new WeakMap<IChain, readonly IHistoryItem[]>();

function toArray(chain: IChain | undefined | null): readonly IHistoryItem[] {
  if (!chain) {
    return [];
  }
  let array = arrays.get(chain);
  if (!array) {
    const items: IHistoryItem[] = [];
    for (let cell: IChain | null = chain; cell; cell = cell.next) {
      items.push(cell.item);
    }
    array = items;
    arrays.set(chain, array);
  }
  return array;
}

function fromArray(items: readonly IHistoryItem[]): IChain | null {
  let chain: IChain | null = null;
  for (let i = items.length - 1; i >= 0; i--) {
    chain = { item: items[i], next: chain };
  }
  return chain;
}

const FORMAT = 1;
const PERSIST_DELAY_MS = 1000;

/**
 * The per-file history of one branch: for every path, the commits that
 * changed it, as `git log --follow -- <path>` lists them.
 *
 * isomorphic-git's `log({filepath})` walks the whole history (20 s for a rare
 * file on a 20,000-commit branch); this answers from memory. It is kept up to
 * date by the engine's own commits, caught up by walking back from the branch
 * tip to the indexed tip when commits were made elsewhere, and rebuilt when
 * the indexed tip is no longer an ancestor (reset, rebase) or a merge is met.
 * It is persisted under `.git/gitcheckpoints/` so that a restart does not
 * rebuild. History follows git's default simplification (a merge that leaves
 * a file as one parent had it follows that parent) and exact renames (a blob
 * deleted at one path and added at another in one commit).
 */
export class HistoryIndex {
  private _tip: string | null = null;
  private _lists: Lists = new Map();
  private _loaded = false;
  private readonly _queue = new WriteQueue();
  private _persistTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly _repo: Repository,
    readonly key: string
  ) {}

  private get _file(): string {
    const safe = encodeURIComponent(this.key).replace(/%/g, '_');
    return join(this._repo.gitdir, `gitcheckpoints/history-${safe}.json`);
  }

  /** The versions of `path` at `head`, newest first. */
  history(head: string | null, path: string): Promise<readonly IHistoryItem[]> {
    return this._queue.run(async () => {
      await this._syncTo(head);
      return toArray(this._lists.get(path));
    });
  }

  /** Every path ever indexed at `head` with its versions, newest first (deleted files too). */
  all(
    head: string | null
  ): Promise<ReadonlyMap<string, readonly IHistoryItem[]>> {
    return this._queue.run(async () => {
      await this._syncTo(head);
      return new Map(
        [...this._lists].map(([path, chain]) => [path, toArray(chain)])
      );
    });
  }

  /**
   * The indexed tip `from` was replaced by `to`, a commit with the same tree
   * and parents (an amend): re-keys the entries instead of a rebuild, which
   * the tip no longer being an ancestor would otherwise cause.
   */
  replaceTip(from: string, to: string): Promise<void> {
    return this._queue.run(async () => {
      if (!this._loaded || this._tip !== from) {
        return;
      }
      for (const [path, chain] of this._lists) {
        if (chain.item.commit === from) {
          this._lists.set(path, {
            item: { ...chain.item, commit: to },
            next: chain.next
          });
        }
      }
      this._tip = to;
      this._schedulePersist();
    });
  }

  /** Flushes the index to disk now. */
  async flush(): Promise<void> {
    if (this._persistTimer) {
      clearTimeout(this._persistTimer);
      this._persistTimer = null;
    }
    await this._queue.run(() => this._persist());
  }

  private async _syncTo(head: string | null): Promise<void> {
    if (!this._loaded) {
      await this._load();
      this._loaded = true;
    }
    if (head === this._tip) {
      return;
    }
    if (head === null || !(await this._catchUp(head))) {
      await this._rebuild(head);
    }
    this._tip = head;
    this._schedulePersist();
  }

  /** Applies the commits between the indexed tip and `head`, if they form a simple line. */
  private async _catchUp(head: string): Promise<boolean> {
    if (this._tip === null) {
      return false;
    }
    const line: Array<[string, ICommit]> = [];
    for (let oid = head; oid !== this._tip;) {
      const commit = await this._repo.objects.readCommit(oid);
      if (commit.parents.length !== 1) {
        return false; // A root (the tip is not an ancestor) or a merge.
      }
      line.push([oid, commit]);
      oid = commit.parents[0];
    }
    for (const [oid, commit] of line.reverse()) {
      const parent = await this._repo.objects.readCommit(commit.parents[0]);
      const changes = await diffTrees(
        this._repo.objects,
        parent.tree,
        commit.tree
      );
      applyLinear(this._lists, oid, changes);
    }
    return true;
  }

  private async _rebuild(head: string | null): Promise<void> {
    this._lists = head ? await buildLists(this._repo, head) : new Map();
  }

  private async _load(): Promise<void> {
    let stored: IStored;
    try {
      stored = JSON.parse(
        await this._repo.fs.promises.readFile(this._file, 'utf8')
      );
    } catch {
      return; // Lost or unreadable: rebuilt on first use.
    }
    if (stored.format !== FORMAT || typeof stored.paths !== 'object') {
      return;
    }
    const lists: Lists = new Map();
    for (const [path, items] of Object.entries(stored.paths)) {
      const chain = fromArray(
        items.map(([commit, at]) => ({ commit, path: at ?? path }))
      );
      if (chain) {
        lists.set(path, chain);
      }
    }
    this._lists = lists;
    this._tip = stored.tip;
  }

  private _schedulePersist(): void {
    if (this._persistTimer) {
      return;
    }
    this._persistTimer = setTimeout(() => {
      this._persistTimer = null;
      void this._queue.run(() => this._persist()).catch(() => undefined);
    }, PERSIST_DELAY_MS);
    // A pending write must not keep a Node process alive.
    (this._persistTimer as { unref?: () => void }).unref?.();
  }

  private async _persist(): Promise<void> {
    if (!this._loaded) {
      return;
    }
    const paths: IStored['paths'] = {};
    for (const [path, chain] of this._lists) {
      paths[path] = toArray(chain).map(item =>
        item.path === path ? [item.commit] : [item.commit, item.path]
      );
    }
    const stored: IStored = { format: FORMAT, tip: this._tip, paths };
    await writeAtomic(this._repo.fs, this._file, JSON.stringify(stored));
  }
}

interface IStored {
  format: number;
  tip: string | null;
  paths: Record<string, Array<[string] | [string, string]>>;
}

/** Prepends `commit` to the history of every changed path, following exact renames. */
function applyLinear(lists: Lists, commit: string, changes: IFileChange[]) {
  const deleted = groupBy(
    changes.filter(c => c.after === null),
    c => c.before!
  );
  const added = groupBy(
    changes.filter(c => c.before === null),
    c => c.after!
  );
  const updates: Array<[string, IChain]> = [];
  for (const change of changes) {
    let base = lists.get(change.path) ?? null;
    if (change.before === null) {
      const from = deleted.get(change.after!);
      if (from?.length === 1 && added.get(change.after!)?.length === 1) {
        base = lists.get(from[0].path) ?? null;
      }
    }
    updates.push([
      change.path,
      { item: { commit, path: change.path }, next: base }
    ]);
  }
  for (const [path, chain] of updates) {
    lists.set(path, chain);
  }
}

function groupBy<T>(items: T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  }
  return groups;
}

/**
 * Builds the lists at `head` from scratch, over any history: commits are
 * visited parents first; a parent's lists pass to its last child and are
 * copied for the others, so a linear history is one pass with one map.
 */
async function buildLists(repo: Repository, head: string): Promise<Lists> {
  const { order, commits } = await parentsFirst(repo, head);
  const children = new Map<string, number>();
  for (const oid of order) {
    for (const parent of commits.get(oid)!.parents) {
      children.set(parent, (children.get(parent) ?? 0) + 1);
    }
  }
  const states = new Map<string, Lists>();
  // Hands a parent's lists to a child: the last child takes them, the others get a copy.
  const release = (parent: string): Lists | null => {
    const left = children.get(parent)! - 1;
    children.set(parent, left);
    const lists = states.get(parent)!;
    if (left === 0) {
      states.delete(parent);
    }
    return left === 0 ? lists : null;
  };
  const take = (parent: string): Lists =>
    release(parent) ?? new Map(states.get(parent)!);
  for (const oid of order) {
    const commit = commits.get(oid)!;
    const [first, ...others] = commit.parents;
    const peek = others.map(parent => states.get(parent)!);
    const lists = first ? take(first) : new Map();
    const firstTree = first ? commits.get(first)!.tree : null;
    const changes = await diffTrees(repo.objects, firstTree, commit.tree);
    if (others.length === 0) {
      applyLinear(lists, oid, changes);
    } else {
      await applyMerge(
        repo,
        lists,
        oid,
        commit,
        others,
        peek,
        changes,
        commits
      );
      others.forEach(release);
    }
    states.set(oid, lists);
  }
  return states.get(head)!;
}

/**
 * A merge: a path the merge leaves as some parent had it takes that parent's
 * history; a path it changed from every parent gets the merge itself plus all
 * parents' histories, newest first.
 */
async function applyMerge(
  repo: Repository,
  lists: Lists,
  oid: string,
  commit: ICommitHeader,
  others: string[],
  otherLists: Lists[],
  changes: IFileChange[],
  commits: Map<string, ICommitHeader>
) {
  for (const change of changes) {
    let same = -1;
    for (let i = 0; i < others.length && same < 0; i++) {
      const entry = await entryAt(
        repo.objects,
        commits.get(others[i])!.tree,
        change.path
      );
      if ((entry?.oid ?? null) === change.after) {
        same = i;
      }
    }
    if (same >= 0) {
      const chain = otherLists[same].get(change.path);
      if (chain) {
        lists.set(change.path, chain);
      } else {
        lists.delete(change.path);
      }
      continue;
    }
    const merged = new Map<string, IHistoryItem>();
    for (const source of [lists, ...otherLists]) {
      for (const item of toArray(source.get(change.path))) {
        merged.set(item.commit, item);
      }
    }
    const time = (item: IHistoryItem) => commits.get(item.commit)!.time;
    const sorted = [...merged.values()].sort((a, b) => time(b) - time(a));
    lists.set(
      change.path,
      fromArray([{ commit: oid, path: change.path }, ...sorted])!
    );
  }
}

/** Every commit reachable from `head`, ordered so that parents come before children. */
async function parentsFirst(repo: Repository, head: string) {
  const commits = new Map<string, ICommitHeader>();
  const order = await walkParentsFirst([head], async oid => {
    let commit = commits.get(oid);
    if (!commit) {
      commit = await repo.objects.readCommitHeader(oid);
      commits.set(oid, commit);
    }
    return commit.parents;
  });
  return { order, commits };
}
