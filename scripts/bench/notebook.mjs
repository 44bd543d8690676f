import { crc32 } from 'node:zlib';
import { Random } from './random.mjs';

const CELLS = 200;
const MARKDOWN_SHARE = 0.35;
const IMAGE_SHARE = 0.35;
const STREAM_SHARE = 0.4;
// Raw PNG sizes; with ~45 image cells this puts the notebook at about 2 MB.
const PNG_MIN = 18000;
const PNG_MAX = 38000;

const WORDS = (
  'the model data series sample mean variance error signal rate window ' +
  'filter baseline result figure run cohort feature weight score estimate ' +
  'trend outlier threshold batch epoch loss metric average region'
).split(' ');

const METADATA = {
  kernelspec: {
    display_name: 'Python 3 (ipykernel)',
    language: 'python',
    name: 'python3'
  },
  language_info: {
    codemirror_mode: { name: 'ipython', version: 3 },
    file_extension: '.py',
    mimetype: 'text/x-python',
    name: 'python',
    nbconvert_exporter: 'python',
    pygments_lexer: 'ipython3',
    version: '3.11.7'
  }
};

/**
 * The versions of one realistic ~2 MB notebook (nbformat 4.5, 200 cells,
 * code and markdown, base64 PNG outputs), 1 to 3 cells changed per version.
 *
 * Any version can be drawn in any order: each cell's content depends only on
 * (seed, cell, the version it last changed in), and serialised cells are
 * memoised, so a version costs one string join.
 */
export class NotebookHistory {
  /**
   * @param {string} seed
   * @param {number} versions how many versions (0 .. versions - 1) may be asked for
   */
  constructor(seed, versions) {
    this._seed = seed;
    this._fragments = new Map();
    this._revisions = [new Int32Array(CELLS)];
    for (let v = 1; v < versions; v++) {
      const revs = Int32Array.from(this._revisions[v - 1]);
      const random = new Random(seed, 'changes', v);
      for (const cell of random.distinct(random.int(1, 3), CELLS)) {
        revs[cell] = v;
      }
      this._revisions.push(revs);
    }
  }

  get versions() {
    return this._revisions.length;
  }

  /** The notebook file's bytes at `version`, as Jupyter writes it. */
  bytes(version) {
    const revs = this._revisions[version];
    if (!revs) {
      throw new RangeError(
        `notebook version ${version} is beyond ${this.versions - 1}`
      );
    }
    const cells = Array.from(revs, (rev, cell) => this._fragment(cell, rev));
    return Buffer.from(
      '{\n "cells": [\n' +
        cells.join(',\n') +
        '\n ],\n "metadata": ' +
        JSON.stringify(METADATA, null, 1).replace(/\n/g, '\n ') +
        ',\n "nbformat": 4,\n "nbformat_minor": 5\n}\n'
    );
  }

  _fragment(cell, rev) {
    const key = cell * 1e6 + rev;
    let text = this._fragments.get(key);
    if (text === undefined) {
      text = indent(
        JSON.stringify(makeCell(this._seed, cell, rev), null, 1),
        '  '
      );
      this._fragments.set(key, text);
    }
    return text;
  }
}

/** Indents every line of a JSON text, as `json.dumps(indent=1)` nests it. */
function indent(text, prefix) {
  return prefix + text.replace(/\n/g, '\n' + prefix);
}

/** One cell, keys sorted as nbformat writes them. */
function makeCell(seed, cell, rev) {
  const shape = new Random(seed, 'cell-shape', cell);
  const id = shape.bytes(4).toString('hex');
  const isMarkdown = shape.next() < MARKDOWN_SHARE;
  const outputKind = shape.next();
  const random = new Random(seed, 'cell', cell, rev);
  if (isMarkdown) {
    return {
      cell_type: 'markdown',
      id,
      metadata: {},
      source: lines(prose(random, cell))
    };
  }
  let outputs = [];
  if (outputKind < IMAGE_SHARE) {
    outputs = [image(random)];
  } else if (outputKind < IMAGE_SHARE + STREAM_SHARE) {
    outputs = [stream(random)];
  }
  return {
    cell_type: 'code',
    execution_count: random.int(1, 999),
    id,
    metadata: {},
    outputs,
    source: lines(code(random))
  };
}

function code(random) {
  const count = random.int(4, 20);
  const out = [];
  for (let k = 0; k < count; k++) {
    const a = random.int(0, 99);
    const b = random.int(0, 999);
    const f = (random.next() * 10).toFixed(3);
    out.push(
      random.pick([
        `df_${a} = pd.read_csv("data/run_${b}.csv")`,
        `x_${a} = np.linspace(0, ${f}, ${b + 10})`,
        `ax.plot(x_${a}, np.sin(x_${a} * ${f}), label="series ${b}")`,
        `result_${a} = model.fit(features[${b}:], target[${b}:])`,
        `print(f"score {b}: {result_${a}.score:.4f}")`,
        `# tune the threshold around ${f}`,
        `summary_${a} = df_${a}.groupby("cohort").agg({"value": "mean"})`
      ])
    );
  }
  return out.join('\n');
}

function prose(random, cell) {
  const sentences = [];
  for (let k = random.int(2, 6); k > 0; k--) {
    const words = [];
    for (let w = random.int(6, 16); w > 0; w--) {
      words.push(random.pick(WORDS));
    }
    sentences.push(words.join(' ') + '.');
  }
  return `## Section ${cell}\n\n${sentences.join(' ')}`;
}

function stream(random) {
  const out = [];
  for (let k = random.int(1, 8); k > 0; k--) {
    out.push(
      `epoch ${k}: loss=${random.next().toFixed(4)} accuracy=${random.next().toFixed(4)}`
    );
  }
  return {
    name: 'stdout',
    output_type: 'stream',
    text: lines(out.join('\n') + '\n')
  };
}

function image(random) {
  return {
    data: {
      'image/png': png(random, random.int(PNG_MIN, PNG_MAX)).toString('base64'),
      'text/plain': ['<Figure size 640x480 with 1 Axes>']
    },
    metadata: {},
    output_type: 'display_data'
  };
}

/** nbformat's multiline strings: a list of lines, each but the last ending in "\n". */
function lines(text) {
  return text.split(/(?<=\n)/).filter(line => line !== '');
}

/** A PNG-shaped byte string: signature, IHDR, one IDAT of random bytes, IEND. */
function png(random, size) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(640, 0);
  header.writeUInt32BE(480, 4);
  header.set([8, 6, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', random.bytes(size)),
    chunk('IEND', Buffer.alloc(0))
  ]);
}

function chunk(type, data) {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(data, crc32(head.subarray(4))), 0);
  return Buffer.concat([head, data, crc]);
}
