#!/usr/bin/env node
/**
 * Writes the wire contract (src/contract/) as JSON: the engine's method table,
 * error codes with their HTTP statuses, the environment it starts with and the
 * defaults. The Python side reads it at run time (defaults, statuses), and
 * tests/python/test_contract.py checks gitcheckpoints/ against it.
 *
 * It is a build output beside the engine bundle it describes (gitignored, in
 * the wheel), so it can never disagree with the TypeScript it comes from.
 *
 *   node scripts/build-contract.mjs [outfile]   (default gitcheckpoints/engine/contract.json)
 */
import { build } from 'esbuild';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

export const CONTRACT_FILE = 'gitcheckpoints/engine/contract.json';

/** Bundles src/contract in memory, runs `describeContract()`, writes the JSON. */
export async function writeContract(outfile = resolve(root, CONTRACT_FILE)) {
  const bundle = await build({
    absWorkingDir: root,
    entryPoints: ['src/contract/index.ts'],
    bundle: true,
    write: false,
    platform: 'neutral',
    format: 'esm',
    logLevel: 'warning'
  });
  const source = Buffer.from(bundle.outputFiles[0].contents).toString('base64');
  const contract = await import(`data:text/javascript;base64,${source}`);
  await mkdir(dirname(outfile), { recursive: true });
  await writeFile(
    outfile,
    JSON.stringify(contract.describeContract(), null, 1) + '\n'
  );
  return outfile;
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  await writeContract(process.argv[2] ? resolve(process.argv[2]) : undefined);
}
