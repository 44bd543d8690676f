/**
 * Times git CLI commands from a small process. Forking a process costs in
 * proportion to its memory: from the benchmark's own process, holding the
 * generated material, each git spawn took up to 45 ms more here.
 *
 * Usage (started by git.mjs): gitWorker.mjs
 */
import { createHash } from 'node:crypto';
import { serve } from './ipc.mjs';
import { runGit } from './git.mjs';

serve({
  /** Runs the commands one after another; reports the last stdout as text or its SHA-1. */
  time: {
    run: ({ dir, env, commands }) =>
      commands.map(args => runGit(dir, env, args)).pop(),
    report: stdout =>
      stdout.length > 65536
        ? { sha1: createHash('sha1').update(stdout).digest('hex') }
        : { text: stdout.toString() }
  }
});
