import { RemoteTimeoutError } from './timeoutHttp';

/**
 * Why talking to the remote failed, in words fit for a status line.
 *
 * - `auth`: the remote refused the credentials; retrying cannot help.
 * - `network`: the remote could not be reached or stopped answering; retry later.
 * - `error`: anything else the remote or transport reported; retry later.
 */
export interface IRemoteFailure {
  kind: 'auth' | 'network' | 'error';
  message: string;
}

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

export function describeFailure(
  error: unknown,
  secrets: Array<string | undefined>
): IRemoteFailure {
  const err = error as {
    code?: string;
    message?: string;
    data?: { statusCode?: number; statusMessage?: string };
    cause?: { code?: string };
  };
  const status = err?.code === 'HttpError' ? err.data?.statusCode : undefined;
  if (status === 401 || status === 403) {
    return {
      kind: 'auth',
      message: `authentication failed (HTTP ${status}): check the user name and password`
    };
  }
  if (status !== undefined) {
    const reason =
      status === 404 ? 'repository not found' : 'the remote answered';
    return { kind: 'error', message: `${reason} (HTTP ${status})` };
  }
  if (error instanceof RemoteTimeoutError) {
    return { kind: 'network', message: error.message };
  }
  const code = err?.code ?? err?.cause?.code;
  if (code && NETWORK_CODES[code]) {
    return { kind: 'network', message: NETWORK_CODES[code] };
  }
  if (err?.code === 'SmartHttpError') {
    return {
      kind: 'error',
      message: 'the URL does not serve a git repository'
    };
  }
  return {
    kind: 'error',
    message: redact(String(err?.message ?? error), secrets)
  };
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
