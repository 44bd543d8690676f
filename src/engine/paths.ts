import { InvalidPathError } from './errors';

/**
 * Checks a repository-relative path and returns it normalised ("a/./b" -> "a/b").
 *
 * Refuses what could leave the working tree or touch git's own files: absolute
 * paths, `..`, `.git` components, empty names and NUL bytes. Symlinks are
 * checked against the fs separately (`assertNoSymlinks`).
 */
export function normalizePath(path: string): string {
  if (typeof path !== 'string' || path.length === 0) {
    throw new InvalidPathError(String(path), 'empty path');
  }
  if (path.includes('\0')) {
    throw new InvalidPathError(path, 'NUL byte');
  }
  if (path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path)) {
    throw new InvalidPathError(path, 'absolute path');
  }
  const parts = path.split('/').filter(part => part !== '' && part !== '.');
  if (parts.length === 0) {
    throw new InvalidPathError(path, 'the repository root is not a file');
  }
  for (const part of parts) {
    if (part === '..') {
      throw new InvalidPathError(path, "'..' leaves the repository");
    }
    if (part.toLowerCase() === '.git') {
      throw new InvalidPathError(path, "git's own directory");
    }
  }
  return parts.join('/');
}

/** `dir` + `/` + `path`, without doubling slashes. */
export function join(dir: string, path: string): string {
  return dir.endsWith('/') ? dir + path : `${dir}/${path}`;
}

/** The parent directory of a repository-relative path, '' at the top. */
export function dirname(path: string): string {
  const at = path.lastIndexOf('/');
  return at < 0 ? '' : path.slice(0, at);
}

/** Whether `path` is `dir` itself or inside it. */
export function isWithin(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir + '/');
}
