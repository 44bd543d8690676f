import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Zip } from '../../src/browser/zip';

const bytes = (text: string) => new TextEncoder().encode(text);

/** Python's zipfile, a reader and writer independent of ours. */
function python(script: string, ...args: string[]): string {
  return execFileSync('python3', ['-c', script, ...args], {
    encoding: 'utf8'
  });
}

describe('Zip', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gc-zip-'));

  describe('write', () => {
    it('writes an archive that zipfile reads back, CRCs checked', () => {
      const path = join(dir, 'ours.zip');
      writeFileSync(
        path,
        Zip.write([
          { path: '.git/HEAD', data: bytes('ref: refs/heads/main\n') },
          { path: '.git/objects/ab/cdé', data: new Uint8Array([0, 1, 255]) }
        ])
      );
      const listed = python(
        `import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None
for i in z.infolist(): print(i.filename, list(z.read(i)))`,
        path
      );
      expect(listed.trim().split('\n')).toEqual([
        `.git/HEAD ${JSON.stringify([...bytes('ref: refs/heads/main\n')]).replace(/,/g, ', ')}`,
        '.git/objects/ab/cdé [0, 1, 255]'
      ]);
    });
  });

  describe('read', () => {
    it('reads what it wrote', async () => {
      const entries = [
        { path: 'a.txt', data: bytes('one') },
        { path: 'dir/b.bin', data: new Uint8Array(70000).fill(7) }
      ];
      expect(await Zip.read(Zip.write(entries))).toEqual(entries);
    });

    it('reads deflated entries and skips directories, as zip -r writes them', async () => {
      const path = join(dir, 'theirs.zip');
      python(
        `import sys, zipfile
with zipfile.ZipFile(sys.argv[1], 'w', zipfile.ZIP_DEFLATED) as z:
    z.writestr('.git/', '')
    z.writestr('.git/config', '[core]\\n' * 100)`,
        path
      );
      const entries = await Zip.read(new Uint8Array(readFileSync(path)));
      expect(entries.map(e => e.path)).toEqual(['.git/config']);
      expect(new TextDecoder().decode(entries[0].data)).toBe(
        '[core]\n'.repeat(100)
      );
    });

    it('refuses what is not a zip archive', async () => {
      await expect(Zip.read(bytes('not a zip'))).rejects.toThrow(
        'Not a zip archive'
      );
    });
  });
});
