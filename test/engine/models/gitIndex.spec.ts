import * as nodeFs from 'node:fs';
import { join } from 'node:path';
import {
  parseIndex,
  serializeIndex
} from '../../../src/engine/models/gitIndex';
import { nodeCodec } from '../../../src/server/nodeCodec';
import { BACKENDS, cliCommit, gitCli, openEngine } from '../backends';

describe('gitIndex', () => {
  it('rewrites an index git accepts, keeping other entries and their flags', async () => {
    const ws = await BACKENDS[0].make();
    gitCli(ws.dir, 'init', '-q');
    cliCommit(ws.dir, 'kept.txt', 'k', 'first');
    cliCommit(ws.dir, 'sparse.txt', 's', 'second');
    gitCli(ws.dir, 'update-index', '--skip-worktree', 'sparse.txt');
    nodeFs.writeFileSync(join(ws.dir, 'intent.txt'), 'i');
    gitCli(ws.dir, 'add', '-N', 'intent.txt');
    const flags = () =>
      gitCli(ws.dir, 'ls-files', '-v', '--', 'kept.txt', 'sparse.txt');
    const before = flags();

    const engine = await openEngine(ws);
    await engine.createCheckpoint('new.txt', {
      content: new TextEncoder().encode('n')
    });
    await engine.dispose();

    expect(flags()).toBe(before);
    expect(gitCli(ws.dir, 'ls-files', '-s', 'intent.txt')).toMatch(
      /^100644 e69de29/
    );
    expect(
      gitCli(ws.dir, 'status', '--porcelain', '--', 'new.txt', 'kept.txt')
    ).toBe('');
    expect(gitCli(ws.dir, 'fsck', '--strict', '--no-dangling')).toBe('');
  });

  it('round-trips entries and checks its trailer with the SHA-1 git expects', async () => {
    const ws = await BACKENDS[0].make();
    gitCli(ws.dir, 'init', '-q');
    cliCommit(ws.dir, 'a/b.txt', 'b', 'one');
    cliCommit(ws.dir, 'c.txt', 'c', 'two');
    const buffer = nodeFs.readFileSync(join(ws.dir, '.git/index'));
    const index = parseIndex(buffer);
    expect(index.entries.map(e => e.path)).toEqual(['a/b.txt', 'c.txt']);
    const written = await serializeIndex(index, nodeCodec.sha1);
    nodeFs.writeFileSync(join(ws.dir, '.git/index'), written);
    // git verifies the trailing checksum and every entry on read.
    expect(gitCli(ws.dir, 'ls-files', '-s')).toContain('c.txt');
    expect(gitCli(ws.dir, 'status', '--porcelain')).toBe('');
  });
});
