import { existsSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The functions that dominate a V8 CPU profile (`.cpuprofile`), by self time
 * and by total time (a function counted once per sample however deep it
 * recurses). Frames in the esbuild bundle are named by their source module,
 * from the `// src/...ts` comments esbuild writes before each module.
 *
 * @returns {{totalMs: number, self: {name: string, ms: number}[], total: {name: string, ms: number}[]}}
 */
export function summarizeProfile(file, top = 8) {
  const profile = JSON.parse(readFileSync(file, 'utf8'));
  const modules = new ModuleMap();
  const byId = new Map(profile.nodes.map(node => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) {
    for (const child of node.children ?? []) {
      parent.set(child, node.id);
    }
  }
  const self = new Map();
  const total = new Map();
  const add = (map, key, ms) => map.set(key, (map.get(key) ?? 0) + ms);
  let totalMs = 0;
  // A sample lasts until the next one (timeDeltas[k] is the gap before sample k).
  const lastAt =
    profile.startTime + profile.timeDeltas.reduce((sum, d) => sum + d, 0);
  profile.samples.forEach((id, k) => {
    const us =
      k + 1 < profile.samples.length
        ? profile.timeDeltas[k + 1]
        : profile.endTime - lastAt;
    const ms = us / 1000;
    const node = byId.get(id);
    if (node.callFrame.functionName === '(idle)') {
      return;
    }
    totalMs += ms;
    add(self, modules.name(node.callFrame), ms);
    const seen = new Set();
    for (let at = id; at !== undefined; at = parent.get(at)) {
      const frame = byId.get(at).callFrame;
      if (modules.isBundled(frame)) {
        seen.add(modules.name(frame));
      }
    }
    for (const key of seen) {
      add(total, key, ms);
    }
  });
  const best = map =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms }));
  return { totalMs, self: best(self), total: best(total) };
}

/** Maps bundle lines back to source modules. */
class ModuleMap {
  constructor() {
    this._files = new Map();
  }

  isBundled(frame) {
    return (
      frame.url.includes('/engine/index.js') ||
      frame.url.includes('/server/nodeCodec.js')
    );
  }

  name(frame) {
    const fn = frame.functionName || '(anonymous)';
    if (!frame.url) {
      return fn;
    }
    if (this.isBundled(frame)) {
      return `${fn} (${this._module(frame.url, frame.lineNumber) ?? basename(frame.url)})`;
    }
    return `${fn} (${basename(frame.url)}:${frame.lineNumber + 1})`;
  }

  /** The source module a bundle line belongs to, e.g. `src/engine/engine.ts`. */
  _module(url, line) {
    let starts = this._files.get(url);
    if (!starts) {
      starts = [];
      const path = fileURLToPath(url);
      if (!existsSync(path)) {
        return null;
      }
      readFileSync(path, 'utf8')
        .split('\n')
        .forEach((text, k) => {
          const match = /^\/\/ ((?:src|node_modules)\/\S+)$/.exec(text);
          if (match) {
            starts.push([k, match[1].replace(/^node_modules\//, '')]);
          }
        });
      this._files.set(url, starts);
    }
    let found = null;
    for (const [start, module] of starts) {
      if (start > line) {
        break;
      }
      found = module;
    }
    return found;
  }
}
