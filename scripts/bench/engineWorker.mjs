/**
 * The engine process of the benchmark: one CheckpointEngine, opened once and
 * kept, as the server's engine process runs it.
 *
 * Usage (started by engineHost.mjs): engineWorker.mjs <bundleDir> <repoDir>
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { Session } from 'node:inspector/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { serve } from './ipc.mjs';

const [bundleDir, dir] = process.argv.slice(2);
const load = path => import(pathToFileURL(join(bundleDir, path)).href);
const { CheckpointEngine } = await load('engine/index.js');
const { nodeCodec } = await load('server/nodeCodec.js');
const { default: http } = await import('isomorphic-git/http/node');

let engine = null;
let profiler = null;

const sha1 = bytes => createHash('sha1').update(bytes).digest('hex');

/** Each operation: the timed engine call, then what the host checks it against (untimed). */
const openEngine = () =>
  CheckpointEngine.open({
    fs,
    dir,
    codec: nodeCodec,
    author: { name: 'bench', email: 'bench@example.invalid' },
    branch: 'bench'
  });

const operations = {
  open: {
    run: openEngine,
    report: opened => {
      engine = opened;
      return null;
    }
  },
  // An empty home brought back from the remote until it is ready for use:
  // the branch fetched, its files in place, its history listed.
  freshHome: {
    run: async ({ url, username, password, path, limit }) => {
      engine = await openEngine();
      const sync = engine.remoteSync({
        http,
        remote: { url, username, password }
      });
      await sync.syncOnOpen();
      const status = sync.status();
      const listed = await engine.listCheckpoints(path, limit);
      await sync.dispose();
      return { status, listed };
    },
    report: ({ status, listed }) => ({
      state: status.state,
      error: status.last_error ?? null,
      ids: listed.map(c => c.id)
    })
  },
  list: {
    run: ({ path, limit }) => engine.listCheckpoints(path, limit),
    report: checkpoints => checkpoints.map(c => c.id)
  },
  read: {
    run: ({ path, id }) => engine.readCheckpoint(path, id),
    report: bytes => sha1(bytes)
  },
  create: {
    run: ({ path }) => engine.createCheckpoint(path),
    report: checkpoint => checkpoint.id
  },
  rss: {
    run: async () => null,
    report: () => process.resourceUsage().maxRSS * 1024
  },
  // CPU profile of the calls between start and stop, to find what dominates a phase.
  profileStart: {
    run: async () => {
      profiler = new Session();
      profiler.connect();
      await profiler.post('Profiler.enable');
      await profiler.post('Profiler.start');
    },
    report: () => null
  },
  profileStop: {
    run: async ({ file }) => {
      const { profile } = await profiler.post('Profiler.stop');
      profiler.disconnect();
      fs.writeFileSync(file, JSON.stringify(profile));
    },
    report: () => null
  },
  dispose: {
    run: () => engine.dispose(),
    report: () => null
  }
};

serve(operations);
