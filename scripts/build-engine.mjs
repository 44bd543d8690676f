#!/usr/bin/env node
/**
 * Bundles the engine process (src/server/main.ts) into gitcheckpoints/engine/main.js,
 * one CommonJS file for Node 20 with isomorphic-git inside: the wheel ships it,
 * so an installed server needs only `node`, no node_modules.
 *
 *   node scripts/build-engine.mjs [--watch]
 */
import { build, context } from 'esbuild';
import { writeContract } from './build-contract.mjs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));

const options = {
  absWorkingDir: root,
  entryPoints: ['src/server/main.ts'],
  outfile: 'gitcheckpoints/engine/main.js',
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  legalComments: 'linked',
  logLevel: 'warning'
};

if (process.argv.includes('--watch')) {
  await (await context(options)).watch();
} else {
  await build(options);
}
// What the bundle speaks, as JSON for the Python side (scripts/build-contract.mjs).
await writeContract();
