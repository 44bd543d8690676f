import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { WorkerProcess } from './ipc.mjs';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WORKER = fileURLToPath(new URL('./engineWorker.mjs', import.meta.url));

/**
 * Bundles the engine and the native codec from the TypeScript sources into
 * `outdir` (`engine/index.js`, `server/nodeCodec.js`), as the build would,
 * so the benchmark always runs the code in the tree.
 */
export async function bundleEngine(outdir) {
  await esbuild.build({
    entryPoints: [
      join(ROOT, 'src/engine/index.ts'),
      join(ROOT, 'src/server/nodeCodec.ts')
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

/** A long-lived engine process on one repository (engineWorker.mjs). */
export function startEngine(bundleDir, repoDir) {
  return WorkerProcess.start(WORKER, [bundleDir, repoDir]);
}
