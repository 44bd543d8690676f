import { build } from 'esbuild';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const pkg = JSON.parse(readFileSync(resolve(root, 'package.json'), 'utf8'));

/** The npm packages an esbuild bundle of the worker's entry pulls in. */
async function packagesOfWorker(): Promise<string[]> {
  const { metafile } = await build({
    entryPoints: [resolve(root, 'src/browser/worker.ts')],
    bundle: true,
    write: false,
    metafile: true,
    platform: 'browser',
    format: 'esm',
    logLevel: 'silent'
  });
  const names = new Set<string>();
  for (const input of Object.keys(metafile.inputs)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(input);
    if (match) {
      names.add(match[1]);
    }
  }
  return [...names].sort();
}

describe('the engine worker bundle', () => {
  // The worker is not started through JupyterLab's module federation, so it has
  // no share scope: a shared dependency there is a module that never loads, and
  // the worker dies at its first import (as pako did).
  it('shares none of the dependencies it imports with JupyterLab', async () => {
    const packages = await packagesOfWorker();
    expect(packages).toContain('isomorphic-git');
    const shared = packages.filter(
      name =>
        name in pkg.dependencies &&
        pkg.jupyterlab.sharedPackages?.[name] !== false
    );
    expect(shared).toEqual([]);
  });
});
