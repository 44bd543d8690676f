#!/usr/bin/env node
/**
 * `node scripts/bench-diff.mjs`: how long the browser-side diff of the compare
 * view takes (src/ui/notebookDiff.ts, bundled as the extension bundles it).
 * Not a test: it prints the median of several runs for
 *   - a 2,000-cell notebook with 20 cells edited, 5 added, 5 removed (target <= 100 ms),
 *   - a 20 MB notebook (outputs of 200 cells), outputs hidden (target <= 300 ms),
 * JSON parsing (which the view does once per version) printed apart.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUNS = 7;

const dir = mkdtempSync(join(os.tmpdir(), 'bench-diff-'));
const out = join(dir, 'notebookDiff.mjs');
await build({
  entryPoints: [join(ROOT, 'src/ui/notebookDiff.ts')],
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  outfile: out,
  logLevel: 'error'
});
const { NotebookDiff } = await import(pathToFileURL(out).href);
rmSync(dir, { recursive: true, force: true });

const code = (i, source, outputs = []) => ({
  id: `cell-${i}`,
  cell_type: 'code',
  execution_count: i,
  metadata: {},
  source,
  outputs
});
const lines = (i, n) =>
  Array.from(
    { length: n },
    (_, k) => `value_${i}_${k} = compute(${i}, ${k})\n`
  );

function pair(count, outputsOf) {
  const before = Array.from({ length: count }, (_, i) =>
    code(i, lines(i, 8), outputsOf(i))
  );
  const after = before.map((cell, i) =>
    i % 100 === 7
      ? { ...cell, source: [...cell.source, `print(${i})\n`] }
      : cell
  );
  after.splice(500, 5); // 5 removed
  for (let k = 0; k < 5; k++) {
    after.splice(1000 + k, 0, code(count + k, lines(count + k, 3)));
  }
  return [{ cells: before }, { cells: after }];
}

function median(fn) {
  const times = [];
  let result;
  for (let r = 0; r < RUNS; r++) {
    const start = performance.now();
    result = fn();
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return { ms: times[RUNS >> 1], result };
}

const [a, b] = pair(2000, () => []);
const small = median(() => NotebookDiff.compute(a, b));
console.log(
  `2,000 cells: ${small.ms.toFixed(1)} ms (target <= 100 ms); ` +
    `${small.result.changed} changed, ${small.result.added} added, ${small.result.removed} removed`
);

// 200 cells with ~100 KB of text and image output each: about 20 MB of JSON.
const blob = 'iVBORw0KGgo'.repeat(6500);
const [c, d] = pair(2000, i =>
  i % 10 === 0
    ? [
        {
          output_type: 'display_data',
          data: { 'image/png': blob, 'text/plain': ['<Figure>'] },
          metadata: {}
        },
        { output_type: 'stream', name: 'stdout', text: 'x'.repeat(30000) }
      ]
    : []
);
const json = [JSON.stringify(c), JSON.stringify(d)];
const megabytes = (json[0].length / 2 ** 20).toFixed(1);
const parse = median(() => json.map(text => JSON.parse(text)));
const [p, q] = parse.result;
const big = median(() => NotebookDiff.compute(p, q, { outputs: false }));
const withOutputs = median(() => NotebookDiff.compute(p, q));
console.log(
  `${megabytes} MB notebook, outputs hidden: ${big.ms.toFixed(1)} ms (target <= 300 ms); ` +
    `outputs compared: ${withOutputs.ms.toFixed(1)} ms; JSON.parse of both versions: ${parse.ms.toFixed(1)} ms`
);
