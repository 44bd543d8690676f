import { InvalidArgumentError } from '../errors';

/** Where checkpoints are pushed, and as whom. */
export interface IRemote {
  url: string;
  username?: string;
  password?: string;
}

/**
 * Checks a remote and returns it with its URL normalised.
 *
 * Credentials go to the server only through `onAuth`: a URL that carries them
 * (`https://user:pass@host/repo.git`) is refused, since it would end up in
 * `.git/config`, logs and status. The error never repeats the secret.
 */
export function validateRemote(remote: IRemote): IRemote {
  let url: URL;
  try {
    url = new URL(remote.url);
  } catch {
    throw new InvalidArgumentError('The remote URL is not a valid URL', {
      field: 'url'
    });
  }
  if (url.username || url.password) {
    url.username = '';
    url.password = '';
    throw new InvalidArgumentError(
      `The remote URL must not contain a user name or password: use ${stripSlash(url.href)} and set the user name and password separately`,
      { field: 'url' }
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new InvalidArgumentError(
      `The remote URL must start with https:// or http://, not ${url.protocol}//`,
      { field: 'url' }
    );
  }
  if (url.search || url.hash) {
    throw new InvalidArgumentError(
      'The remote URL must not have a query or fragment',
      { field: 'url' }
    );
  }
  return { ...remote, url: stripSlash(url.href) };
}

function stripSlash(href: string): string {
  return href.replace(/\/+$/, '');
}
