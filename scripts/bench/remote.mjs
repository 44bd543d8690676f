import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The credentials the benchmarks' loopback remote asks for. */
export const REMOTE_USER = 'bench';
export const REMOTE_PASSWORD = 'bench-password';

/**
 * Starts scripts/git-remote.mjs (`git http-backend` on loopback) serving the
 * bare repositories under `root`, `repos` created empty. Resolves with its
 * process, URL and a log of each request's bytes (`pack`: a push's).
 */
export function startRemote(root, repos = []) {
  const child = spawn(
    process.execPath,
    [
      join(ROOT, 'scripts/git-remote.mjs'),
      '--root',
      root,
      ...repos.flatMap(r => ['--init', r])
    ],
    {
      env: {
        ...process.env,
        GIT_REMOTE_USER: REMOTE_USER,
        GIT_REMOTE_PASSWORD: REMOTE_PASSWORD
      },
      stdio: ['ignore', 'pipe', 'pipe']
    }
  );
  const log = [];
  createInterface({ input: child.stderr }).on('line', line => {
    const match = / (\S+) out=(\d+) in=(\d+) (\d+)$/.exec(line);
    if (match) {
      log.push({
        pack: match[1].endsWith('/git-receive-pack'),
        out: Number(match[2]),
        in: Number(match[3])
      });
    }
  });
  return new Promise((resolve, reject) => {
    child.once('exit', code =>
      reject(new Error(`git-remote exited with ${code}`))
    );
    createInterface({ input: child.stdout }).once('line', line =>
      resolve({ child, root, log, url: JSON.parse(line).url })
    );
  });
}
