/**
 * The benchmark's material is what its figures stand on: check it is what
 * docs/benchmark.md says. Run: node --test scripts/bench/
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Material, NOTEBOOK, RARE } from './material.mjs';
import { NotebookHistory } from './notebook.mjs';

describe('NotebookHistory', () => {
  const history = new NotebookHistory('test', 12);

  it('writes a ~2 MB nbformat 4.5 notebook of 200 code and markdown cells with PNG outputs', () => {
    const bytes = history.bytes(0);
    assert.ok(
      bytes.length > 1.8e6 && bytes.length < 2.3e6,
      `${bytes.length} bytes`
    );
    const nb = JSON.parse(bytes.toString());
    assert.equal(nb.nbformat, 4);
    assert.equal(nb.nbformat_minor, 5);
    assert.equal(nb.cells.length, 200);
    const kinds = new Set(nb.cells.map(c => c.cell_type));
    assert.deepEqual([...kinds].sort(), ['code', 'markdown']);
    const pngs = nb.cells
      .flatMap(c => c.outputs ?? [])
      .filter(o => o.data?.['image/png']);
    assert.ok(pngs.length > 20, `${pngs.length} images`);
    const png = Buffer.from(pngs[0].data['image/png'], 'base64');
    assert.equal(png.subarray(1, 4).toString(), 'PNG');
    assert.equal(
      new Set(nb.cells.map(c => c.id)).size,
      200,
      'cell ids are unique'
    );
  });

  it('serialises as Jupyter does (sorted keys, one-space indent, final newline)', () => {
    const text = history.bytes(3).toString();
    const sorted = value =>
      Array.isArray(value)
        ? value.map(sorted)
        : value && typeof value === 'object'
          ? Object.fromEntries(
              Object.keys(value)
                .sort()
                .map(k => [k, sorted(value[k])])
            )
          : value;
    assert.equal(
      text,
      JSON.stringify(sorted(JSON.parse(text)), null, 1) + '\n'
    );
  });

  it('changes 1 to 3 cells from one version to the next', () => {
    for (let v = 1; v < history.versions; v++) {
      const before = JSON.parse(history.bytes(v - 1).toString()).cells;
      const now = JSON.parse(history.bytes(v).toString()).cells;
      const changed = now.filter(
        (cell, k) => JSON.stringify(cell) !== JSON.stringify(before[k])
      );
      assert.ok(
        changed.length >= 1 && changed.length <= 3,
        `version ${v}: ${changed.length}`
      );
    }
  });

  it('is deterministic for a seed, in any order of drawing', () => {
    const other = new NotebookHistory('test', 12);
    assert.ok(other.bytes(7).equals(history.bytes(7)));
    assert.ok(
      !new NotebookHistory('other seed', 2).bytes(0).equals(history.bytes(0))
    );
  });

  it('refuses versions beyond what it was sized for', () => {
    assert.throws(() => history.bytes(12), RangeError);
  });
});

describe('Material', () => {
  const tmp = mkdtempSync(join(os.tmpdir(), 'gitcheckpoints-bench-test-'));
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('creates the advertised history with fast-import, checked out', async () => {
    const material = new Material('test', Material.notebookVersions(60) + 1);
    const git = await material.createRepository(join(tmp, 'repo'), tmp, 60);
    const log = (...args) =>
      git
        .run(['log', '--format=%H', ...args])
        .toString()
        .trim()
        .split('\n');
    assert.equal(log().length, 60);
    assert.equal(log('--', NOTEBOOK).length, 7, 'commit 1 and every 10th');
    assert.deepEqual(
      log('--', RARE),
      log().slice(50),
      'rare.txt changes in commits 1-10 only'
    );
    assert.ok(
      readFileSync(join(git.dir, NOTEBOOK)).equals(material.notebook.bytes(6))
    );
    assert.equal(git.run(['status', '--porcelain']).toString(), '');
    const graph = readFileSync(join(git.dir, '.git/objects/info/commit-graph'));
    assert.ok(
      graph.includes('BDAT'),
      'the commit-graph has changed-path Bloom filters'
    );
    git.run(['commit-graph', 'verify']);
  });

  it('continues the same history with the git CLI', async () => {
    const material = new Material('test', Material.notebookVersions(60) + 1);
    const git = await material.createRepository(join(tmp, 'cli'), tmp, 59);
    material.commitWithCli(git, 60);
    assert.equal(
      git.run(['rev-list', '--count', 'HEAD']).toString().trim(),
      '60'
    );
    assert.deepEqual(
      git.run(['show', '--name-only', '--format=', 'HEAD']).toString().trim(),
      NOTEBOOK
    );
    assert.ok(
      git.run(['show', `HEAD:${NOTEBOOK}`]).equals(material.notebook.bytes(6))
    );
  });
});
