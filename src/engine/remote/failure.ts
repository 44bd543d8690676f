import { RemoteError } from '../errors';
import { RemoteTimeoutError } from './timeoutHttp';

const NETWORK_CODES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection closed',
  ETIMEDOUT: 'connection timed out',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable'
};

/**
 * Any failure of a transfer as the engine's typed `RemoteError`, in words fit
 * for a status line, with every secret removed. A `RemoteError` already is one.
 */
export function toRemoteError(
  error: unknown,
  secrets: Array<string | undefined>
): RemoteError {
  if (error instanceof RemoteError) {
    const message = redact(error.message, secrets);
    return message === error.message
      ? error
      : new RemoteError(error.kind, message);
  }
  const err = error as {
    code?: string;
    message?: string;
    data?: { statusCode?: number; statusMessage?: string };
    cause?: { code?: string };
  };
  const status = err?.code === 'HttpError' ? err.data?.statusCode : undefined;
  if (status !== undefined) {
    return httpFailure(status);
  }
  if (error instanceof RemoteTimeoutError) {
    return new RemoteError('network', error.message);
  }
  const code = err?.code ?? err?.cause?.code;
  if (code && NETWORK_CODES[code]) {
    return new RemoteError('network', NETWORK_CODES[code]);
  }
  if (err?.code === 'SmartHttpError') {
    return notGit();
  }
  return new RemoteError(
    'error',
    redact(String(err?.message ?? error), secrets)
  );
}

/** The failure an HTTP status other than 200 means. */
export function httpFailure(status: number): RemoteError {
  if (status === 401 || status === 403) {
    return new RemoteError(
      'auth',
      `authentication failed (HTTP ${status}): check the user name and password`,
      { status }
    );
  }
  const reason =
    status === 404 ? 'repository not found' : 'the remote answered';
  return new RemoteError('error', `${reason} (HTTP ${status})`, { status });
}

/** An answer that is no git protocol. */
export function notGit(): RemoteError {
  return new RemoteError('error', 'the URL does not serve a git repository');
}

/** Removes every secret, and any credentials written into a URL, from a message. */
export function redact(
  text: string,
  secrets: Array<string | undefined>
): string {
  let clean = text.replace(/\/\/[^/@\s]*@/g, '//');
  for (const secret of secrets) {
    if (secret) {
      clean = clean.split(secret).join('***');
    }
  }
  return clean;
}
