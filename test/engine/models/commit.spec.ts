import {
  parseCommit,
  parseCommitHeader,
  serializeCommit
} from '../../../src/engine/models/commit';
import { utf8 } from '../../../src/engine/models/bytes';

const TREE = 'a'.repeat(40);
const P1 = 'b'.repeat(40);
const P2 = 'c'.repeat(40);

describe('parseCommitHeader', () => {
  it('reads the tree, parents and committer time parseCommit reads', () => {
    const bytes = serializeCommit({
      tree: TREE,
      parents: [P1, P2],
      author: { name: 'A', email: 'a@x', timestamp: 100, timezoneOffset: 60 },
      committer: {
        name: 'C',
        email: 'c@x',
        timestamp: 1700000123,
        timezoneOffset: -120
      },
      message: 'subject\n\ntree in the body\nparent too\n'
    });
    const full = parseCommit(bytes);
    expect(parseCommitHeader(bytes)).toEqual({
      tree: full.tree,
      parents: full.parents,
      time: full.committer.timestamp
    });
    expect(parseCommitHeader(bytes)).toEqual({
      tree: TREE,
      parents: [P1, P2],
      time: 1700000123
    });
  });

  it('skips other headers and their continuation lines (a signature)', () => {
    const bytes = utf8(
      [
        `tree ${TREE}`,
        `author A <a@x> 5 +0000`,
        `committer C <c@x> 7 +0000`,
        'gpgsig -----BEGIN PGP SIGNATURE-----',
        ` tree ${P1}`,
        ' -----END PGP SIGNATURE-----',
        '',
        `parent ${P2}`
      ].join('\n')
    );
    expect(parseCommitHeader(bytes)).toEqual({
      tree: TREE,
      parents: [],
      time: 7
    });
  });
});
