import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Git } from './git.mjs';
import { NotebookHistory } from './notebook.mjs';
import { Random } from './random.mjs';

export const BRANCH = 'bench';
export const NOTEBOOK = 'analysis.ipynb';
export const RARE = 'notes/archive/rare.txt';
const SMALL_FILES = Array.from(
  { length: 40 },
  (_, k) => `src/module_${String(k).padStart(2, '0')}.py`
);
const NOTEBOOK_EVERY = 10;
const RARE_COMMITS = 10;
const EPOCH = 1700000000;
const COMMIT_SPACING_S = 600;

/**
 * The benchmark's deterministic history, commit by commit (1-based):
 * commit 1 adds everything; the notebook changes in every 10th commit,
 * `notes/archive/rare.txt` only in commits 1 to 10, and every other commit
 * changes 1 to 3 small source files.
 */
export class Material {
  /**
   * @param {string} seed
   * @param {number} notebookVersions how many notebook versions may be asked for
   *   (the history's own, plus those the benchmark writes after it)
   */
  constructor(seed, notebookVersions) {
    this.seed = seed;
    this.notebook = new NotebookHistory(seed, notebookVersions);
  }

  /** Notebook version committed by commit `i`, or -1 if it does not touch the notebook. */
  static notebookVersion(i) {
    if (i === 1) {
      return 0;
    }
    return i % NOTEBOOK_EVERY === 0 ? i / NOTEBOOK_EVERY : -1;
  }

  /** The notebook versions a history of `commits` commits holds. */
  static notebookVersions(commits) {
    return Math.floor(commits / NOTEBOOK_EVERY) + 1;
  }

  /** What commit `i` writes: `{message, date, files: [{path, bytes} or {path, version}]}`. */
  commit(i) {
    const files = [];
    const version = Material.notebookVersion(i);
    if (version >= 0) {
      files.push({ path: NOTEBOOK, version });
    }
    if (i <= RARE_COMMITS) {
      files.push({ path: RARE, bytes: this._text('rare', i) });
    }
    if (i === 1) {
      files.push({ path: 'README.md', bytes: this._text('readme', 1) });
      for (const path of SMALL_FILES) {
        files.push({ path, bytes: this._text(path, 1) });
      }
    } else if (files.length === 0) {
      const random = new Random(this.seed, 'small-files', i);
      for (const k of random.distinct(random.int(1, 3), SMALL_FILES.length)) {
        files.push({
          path: SMALL_FILES[k],
          bytes: this._text(SMALL_FILES[k], i)
        });
      }
    }
    return {
      message: `Update ${files.map(f => f.path).join(', ')}`,
      date: `${EPOCH + i * COMMIT_SPACING_S} +0000`,
      files
    };
  }

  /**
   * Creates a repository at `dir` with commits 1..`commits` on branch `bench`,
   * written by `git fast-import`, checked out, with git's commit-graph and
   * changed-path Bloom filters (git's best case for `git log -- <path>`).
   */
  async createRepository(dir, home, commits) {
    mkdirSync(dir, { recursive: true });
    const git = new Git(dir, home);
    git.run(['init', '-q', '-b', BRANCH]);
    await git.pipe(['fast-import', '--quiet'], this._fastImport(commits));
    git.run(['commit-graph', 'write', '--reachable', '--changed-paths']);
    git.run(['read-tree', '--reset', '-u', 'HEAD']);
    this._checkRepository(git, commits);
    return git;
  }

  /** The generated history must have the advertised shape, or the figures mean nothing. */
  _checkRepository(git, commits) {
    const count = args => git.run(args).toString().trim().split('\n').length;
    const found = {
      commits: count(['rev-list', 'HEAD']),
      notebook: count(['rev-list', 'HEAD', '--', NOTEBOOK]),
      rare: count(['rev-list', 'HEAD', '--', RARE])
    };
    const expected = {
      commits,
      notebook: Material.notebookVersions(commits),
      rare: RARE_COMMITS
    };
    if (JSON.stringify(found) !== JSON.stringify(expected)) {
      throw new Error(
        `generated history is ${JSON.stringify(found)}, expected ${JSON.stringify(expected)}`
      );
    }
  }

  /** Makes commit `i` with the git CLI in a checked-out repository (`git add` + `git commit`). */
  commitWithCli(git, i) {
    const commit = this.commit(i);
    for (const file of commit.files) {
      const path = join(git.dir, file.path);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, this._bytes(file));
    }
    git.run(['add', '--', ...commit.files.map(f => f.path)]);
    git.run(['commit', '-q', '-m', commit.message], {
      GIT_AUTHOR_DATE: commit.date,
      GIT_COMMITTER_DATE: commit.date
    });
  }

  _bytes(file) {
    return file.bytes ?? this.notebook.bytes(file.version);
  }

  /**
   * The fast-import stream. Notebook versions go first, newest first, so that
   * fast-import stores each as a delta against the next newer one, as
   * `git gc` would (recent versions whole or near the base of a chain).
   */
  async *_fastImport(commits) {
    const versions = Material.notebookVersions(commits);
    const mark = version => version + 1;
    for (let v = versions - 1; v >= 0; v--) {
      const bytes = this.notebook.bytes(v);
      yield `blob\nmark :${mark(v)}\ndata ${bytes.length}\n`;
      yield bytes;
      yield '\n';
    }
    for (let i = 1; i <= commits; i++) {
      const commit = this.commit(i);
      const person = `Bench <bench@example.invalid> ${commit.date}`;
      const message = Buffer.from(commit.message + '\n');
      const lines = [
        `commit refs/heads/${BRANCH}`,
        `author ${person}`,
        `committer ${person}`,
        `data ${message.length}`,
        message.toString()
      ];
      for (const file of commit.files) {
        if (file.bytes) {
          lines.push(
            `M 100644 inline ${file.path}`,
            `data ${file.bytes.length}`,
            file.bytes.toString()
          );
        } else {
          lines.push(`M 100644 :${mark(file.version)} ${file.path}`);
        }
      }
      yield lines.join('\n') + '\n';
    }
    yield 'done\n';
  }

  _text(label, i) {
    const random = new Random(this.seed, 'text', label, i);
    const out = [`# ${label}, revision ${i}`];
    for (let k = random.int(15, 40); k > 0; k--) {
      out.push(`value_${random.int(0, 999)} = ${random.next().toFixed(6)}`);
    }
    return Buffer.from(out.join('\n') + '\n');
  }
}
