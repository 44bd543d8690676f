import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import { BACKENDS, gitCli } from '../backends';
import { ObjectStore } from '../../../src/engine/storage/objects';
import { diffTrees } from '../../../src/engine/storage/treeDiff';

const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const ZERO = '0'.repeat(40);

/**
 * Trees that change in the ways a raw walk can get wrong: a file that becomes
 * a directory and back (beside names that sort between `a` and `a/`), a
 * directory that becomes a file, subtrees added and removed, a mode change
 * with the same blob, a symlink retargeted, a file that becomes a symlink.
 */
function treesByGit(): { dir: string; trees: string[] } {
  const dir = nodeFs.mkdtempSync('/tmp/gcp-diff-');
  gitCli(dir, 'init', '-q');
  const write = (path: string, text: string) => {
    nodeFs.mkdirSync(join(dir, path, '..'), { recursive: true });
    nodeFs.writeFileSync(join(dir, path), text);
  };
  const snapshot = () => {
    gitCli(dir, 'add', '-A');
    return gitCli(dir, 'write-tree').trim();
  };
  const trees: string[] = [];
  write('a', 'file a\n');
  write('a.b', 'a.b\n');
  write('a-b', 'a-b\n');
  write('a0', 'a0\n');
  write('dir/x', 'x\n');
  write('dir/sub/y', 'y\n');
  write('exe.sh', 'echo hi\n');
  write('plain', 'plain\n');
  nodeFs.symlinkSync('a', join(dir, 'link'));
  trees.push(snapshot());
  nodeFs.rmSync(join(dir, 'a'));
  write('a/inner', 'inner\n');
  nodeFs.rmSync(join(dir, 'dir/sub'), { recursive: true });
  write('dir/x', 'x changed\n');
  write('new/deep/z', 'z\n');
  nodeFs.chmodSync(join(dir, 'exe.sh'), 0o755);
  nodeFs.rmSync(join(dir, 'link'));
  nodeFs.symlinkSync('a.b', join(dir, 'link'));
  trees.push(snapshot());
  nodeFs.rmSync(join(dir, 'a'), { recursive: true });
  write('a', 'file a again\n');
  nodeFs.rmSync(join(dir, 'dir'), { recursive: true });
  write('dir', 'now a file\n');
  nodeFs.rmSync(join(dir, 'plain'));
  nodeFs.symlinkSync('exe.sh', join(dir, 'plain'));
  trees.push(snapshot());
  // Objects into one pack (the trees tagged, so kept), which every backend can be given.
  for (const tree of trees) {
    gitCli(dir, 'tag', `t-${tree}`, tree);
  }
  gitCli(dir, 'repack', '-q', '-a', '-d');
  gitCli(dir, 'prune-packed');
  return { dir, trees };
}

/** What `git diff-tree -r` says changed, as diffTrees reports it. */
function gitChanges(dir: string, a: string | null, b: string | null) {
  const out = gitCli(
    dir,
    'diff-tree',
    '-r',
    '--no-renames',
    a ?? EMPTY_TREE,
    b ?? EMPTY_TREE
  );
  return out
    .split('\n')
    .filter(Boolean)
    .map(line => {
      const [meta, path] = line.split('\t');
      const [, , before, after] = meta.split(' ');
      return {
        path,
        before: before === ZERO ? null : before,
        after: after === ZERO ? null : after
      };
    });
}

const byPath = (changes: Array<{ path: string }>) =>
  [...changes].sort((x, y) => (x.path < y.path ? -1 : 1));

describe('diffTrees', () => {
  const { dir, trees } = treesByGit();
  const packDir = join(dir, '.git/objects/pack');
  const pairs: Array<[string | null, string | null]> = [];
  for (const a of [null, ...trees]) {
    for (const b of [null, ...trees]) {
      pairs.push([a, b]);
    }
  }
  for (const backend of BACKENDS) {
    it(`gives the changes git diff-tree gives, for every pair of trees (${backend.name})`, async () => {
      const ws = await backend.make();
      const target = `${ws.dir}/.git/objects/pack`;
      await ws.fs.promises.mkdir(target, { recursive: true });
      for (const name of nodeFs.readdirSync(packDir)) {
        await ws.fs.promises.writeFile(
          `${target}/${name}`,
          nodeFs.readFileSync(join(packDir, name))
        );
      }
      const store = new ObjectStore(ws.fs, `${ws.dir}/.git`, ws.codec);
      for (const [a, b] of pairs) {
        const ours = await diffTrees(store, a, b);
        expect({ a, b, changes: byPath(ours) }).toEqual({
          a,
          b,
          changes: byPath(gitChanges(dir, a, b))
        });
      }
      await store.close();
    });
  }
});
