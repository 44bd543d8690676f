/** The median of a list of numbers. */
export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const ms = value => (value < 10 ? value.toFixed(2) : value.toFixed(1));
const mb = bytes => (bytes === null ? 'n/a' : (bytes / 2 ** 20).toFixed(1));

function table(header, rows) {
  return [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
    ...rows.map(row => `| ${row.join(' | ')} |`)
  ].join('\n');
}

/** The comparison table: one row per size and operation, engine against git. */
export function comparisonTable(sizes) {
  const rows = [];
  for (const size of sizes) {
    for (const c of size.comparisons) {
      const ratio = c.engine.median / c.git.median;
      rows.push([
        size.commits.toLocaleString('en-US'),
        c.operation,
        c.git.command,
        ms(c.engine.median),
        ms(c.git.median),
        ratio.toFixed(2),
        `<= ${c.target}`,
        ratio <= c.target ? 'met' : '**missed**'
      ]);
    }
  }
  return table(
    [
      'commits',
      'engine',
      'git CLI',
      'engine ms',
      'git ms',
      'ratio',
      'target',
      ''
    ],
    rows
  );
}

/** The one-off figures of each size: setup, index build, catch-up, memory. */
export function setupTable(sizes) {
  return table(
    [
      'commits',
      'fast-import s',
      'open ms',
      'index build ms',
      'catch-up 100 ms',
      'engine peak RSS MB',
      'git peak RSS MB (log / show / add+commit)',
      'fresh home peak RSS MB (engine / git clone)'
    ],
    sizes.map(size => [
      size.commits.toLocaleString('en-US'),
      (size.generateMs / 1000).toFixed(1),
      ms(size.openMs),
      ms(size.indexBuildMs),
      ms(size.catchUpMs),
      mb(size.rss.engine),
      `${mb(size.rss.gitLog)} / ${mb(size.rss.gitShow)} / ${mb(size.rss.gitCommit)}`,
      `${mb(size.rss.freshHome.engine)} / ${mb(size.rss.freshHome.git)}`
    ])
  );
}

/** The hottest functions of each profiled phase. */
export function profileReport(profiles) {
  return profiles
    .map(p =>
      [
        `${p.label}: ${p.calls} engine calls took ${ms(p.engineMs)} ms; ` +
          `CPU on its main thread ${ms(p.summary.totalMs)} ms`,
        '  self: ' +
          p.summary.self.map(f => `${f.name} ${ms(f.ms)}`).join('; '),
        '  total (engine): ' +
          p.summary.total.map(f => `${f.name} ${ms(f.ms)}`).join('; ')
      ].join('\n')
    )
    .join('\n');
}

/** The storage table (issue 8): disk after packing and save latency while packing, against git. */
export function storageTable(storage) {
  const { disk, latency, versions } = storage;
  const diskRatio = disk.engineBytes / disk.gitBytes;
  const rows = [
    [
      `.git after ${versions} checkpoints, engine's own packing (MB)`,
      'copy after git gc (MB)',
      mb(disk.engineBytes),
      mb(disk.gitBytes),
      diskRatio.toFixed(2),
      `<= ${disk.target}`,
      diskRatio <= disk.target ? 'met' : '**missed**'
    ]
  ];
  if (latency.p95WhilePacking !== null) {
    const ratio = latency.p95WhilePacking / latency.p95NoPacking;
    rows.push([
      `save p95 while packing (ms, ${latency.whilePacking.length} saves)`,
      `save p95, no packing (ms, ${latency.noPacking.length} saves)`,
      ms(latency.p95WhilePacking),
      ms(latency.p95NoPacking),
      ratio.toFixed(2),
      `<= ${latency.target}`,
      ratio <= latency.target ? 'met' : '**missed**'
    ]);
  }
  return table(
    ['engine', 'reference', 'engine', 'reference', 'ratio', 'target', ''],
    rows
  );
}
