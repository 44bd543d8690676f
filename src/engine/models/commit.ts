import { fromUtf8, utf8 } from './bytes';

/** A signature line: who and when, with the offset of their local time. */
export interface ISignature {
  name: string;
  email: string;
  /** Seconds since the epoch. */
  timestamp: number;
  /** Minutes east of UTC, as git records it (+0100 is 60). */
  timezoneOffset: number;
}

export interface ICommit {
  tree: string;
  parents: string[];
  author: ISignature;
  committer: ISignature;
  message: string;
}

export function formatSignature(sig: ISignature): string {
  const sign = sig.timezoneOffset < 0 ? '-' : '+';
  const abs = Math.abs(sig.timezoneOffset);
  const hh = String(Math.floor(abs / 60)).padStart(2, '0');
  const mm = String(abs % 60).padStart(2, '0');
  return `${clean(sig.name)} <${clean(sig.email)}> ${sig.timestamp} ${sign}${hh}${mm}`;
}

// Names and emails cannot hold '<', '>' or newlines in a signature line.
function clean(text: string): string {
  return text.replace(/[<>\n\r]/g, '').trim();
}

function parseSignature(text: string): ISignature {
  const match = /^(.*) <(.*)> (\d+) ([+-])(\d\d)(\d\d)$/.exec(text);
  if (!match) {
    return { name: text, email: '', timestamp: 0, timezoneOffset: 0 };
  }
  const offset = Number(match[5]) * 60 + Number(match[6]);
  return {
    name: match[1],
    email: match[2],
    timestamp: Number(match[3]),
    timezoneOffset: match[4] === '-' ? -offset : offset
  };
}

export function serializeCommit(commit: ICommit): Uint8Array {
  const lines = [`tree ${commit.tree}`];
  for (const parent of commit.parents) {
    lines.push(`parent ${parent}`);
  }
  lines.push(`author ${formatSignature(commit.author)}`);
  lines.push(`committer ${formatSignature(commit.committer)}`);
  const message = commit.message.endsWith('\n')
    ? commit.message
    : `${commit.message}\n`;
  return utf8(`${lines.join('\n')}\n\n${message}`);
}

export function parseCommit(content: Uint8Array): ICommit {
  const text = fromUtf8(content);
  const split = text.indexOf('\n\n');
  const header = split < 0 ? text : text.slice(0, split);
  const commit: ICommit = {
    tree: '',
    parents: [],
    author: parseSignature(''),
    committer: parseSignature(''),
    message: split < 0 ? '' : text.slice(split + 2)
  };
  for (const line of header.split('\n')) {
    const space = line.indexOf(' ');
    const key = line.slice(0, space);
    const value = line.slice(space + 1);
    if (key === 'tree') {
      commit.tree = value;
    } else if (key === 'parent') {
      commit.parents.push(value);
    } else if (key === 'author') {
      commit.author = parseSignature(value);
    } else if (key === 'committer') {
      commit.committer = parseSignature(value);
    }
  }
  return commit;
}

/** What a history walk needs of a commit. */
export interface ICommitHeader {
  tree: string;
  parents: string[];
  /** The committer's time, seconds since the epoch. */
  time: number;
}

const NEWLINE = 0x0a;

/**
 * The tree, parents and committer time of a commit, read from its header
 * lines only: no message, names or signature objects are made (a branch walk
 * reads every commit once, and that garbage grew the heap).
 */
export function parseCommitHeader(content: Uint8Array): ICommitHeader {
  const header: ICommitHeader = { tree: '', parents: [], time: 0 };
  for (let at = 0; at < content.length && content[at] !== NEWLINE;) {
    let end = content.indexOf(NEWLINE, at);
    if (end < 0) {
      end = content.length;
    }
    const line = content.subarray(at, end);
    if (startsWith(line, TREE)) {
      header.tree = fromUtf8(line.subarray(TREE.length));
    } else if (startsWith(line, PARENT)) {
      header.parents.push(fromUtf8(line.subarray(PARENT.length)));
    } else if (startsWith(line, COMMITTER)) {
      header.time = parseSignature(
        fromUtf8(line.subarray(COMMITTER.length))
      ).timestamp;
    }
    at = end + 1;
  }
  return header;
}

const TREE = utf8('tree ');
const PARENT = utf8('parent ');
const COMMITTER = utf8('committer ');

function startsWith(line: Uint8Array, prefix: Uint8Array): boolean {
  if (line.length < prefix.length) {
    return false;
  }
  for (let k = 0; k < prefix.length; k++) {
    if (line[k] !== prefix[k]) {
      return false;
    }
  }
  return true;
}

/** The first line of a message. */
export function subject(message: string): string {
  const end = message.indexOf('\n');
  return end < 0 ? message : message.slice(0, end);
}
