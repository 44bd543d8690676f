import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import * as esbuild from 'esbuild';
import { WorkerProcess } from './ipc.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./engineWorker.mjs', import.meta.url));

/**
 * Bundles the engine and the native codec from the TypeScript sources into
 * `outdir` (`engine/index.js`, `server/nodeCodec.js`, and the contract's
 * `contract/defaults.js` for the engine's Node flags), as the build would,
 * so the benchmark always runs the code in the tree.
 */
export async function bundleEngine(outdir) {
  await esbuild.build({
    entryPoints: [
      join(ROOT, 'src/engine/index.ts'),
      join(ROOT, 'src/server/nodeCodec.ts'),
      join(ROOT, 'src/contract/defaults.ts')
    ],
    bundle: true,
    platform: 'node',
    format: 'esm',
    outdir,
    // Module comments in the bundle then name src/... paths (see profile.mjs).
    absWorkingDir: ROOT,
    logLevel: 'warning',
    // CommonJS dependencies that require() Node built-ins need a require in ESM.
    banner: {
      js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);"
    }
  });
  return outdir;
}

/** A long-lived engine process on one repository (engineWorker.mjs), with the server's Node flags. */
export async function startEngine(bundleDir, repoDir) {
  const { ENGINE_NODE_FLAGS } = await import(
    pathToFileURL(join(bundleDir, 'contract/defaults.js')).href
  );
  return WorkerProcess.start(WORKER, [bundleDir, repoDir], ENGINE_NODE_FLAGS);
}
