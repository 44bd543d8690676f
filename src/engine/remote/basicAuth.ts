import type { GitHttpRequest, HttpClient } from 'isomorphic-git';
import { utf8 } from '../models/bytes';

export interface ICredentials {
  username: string;
  password: string;
}

/** What one remote is known to want; kept for the remote's life. */
export interface IAuthMemory {
  wantsBasic: boolean;
}

/**
 * An http client that sends HTTP Basic credentials, got from `credentials`
 * (never from a URL), on every request once the remote has asked for them:
 * after the first 401 the request is sent again at once, and every later one
 * carries them from the start, so a push is two round trips, not three.
 * A request with a body that cannot be sent twice is not repeated; the 401
 * goes back to the caller.
 */
export function withBasicAuth(
  http: HttpClient,
  credentials: () => ICredentials | null,
  memory: IAuthMemory
): HttpClient {
  const authorized = (request: GitHttpRequest): GitHttpRequest => {
    const given = credentials();
    if (!given) {
      return request;
    }
    const token = btoa(
      String.fromCharCode(...utf8(`${given.username}:${given.password}`))
    );
    return {
      ...request,
      headers: { ...request.headers, Authorization: `Basic ${token}` }
    };
  };
  return {
    async request(request) {
      if (memory.wantsBasic) {
        return http.request(authorized(request));
      }
      const response = await http.request(request);
      const challenge = header(response.headers, 'www-authenticate');
      if (
        response.statusCode !== 401 ||
        !/^\s*basic\b/i.test(challenge ?? 'basic') ||
        !credentials()
      ) {
        return response;
      }
      memory.wantsBasic = true;
      if (request.body !== undefined && !Array.isArray(request.body)) {
        return response;
      }
      await drain(response.body);
      return http.request(authorized(request));
    }
  };
}

function header(
  headers: Record<string, string> | undefined,
  name: string
): string | undefined {
  for (const [key, value] of Object.entries(headers ?? {})) {
    if (key.toLowerCase() === name) {
      return value;
    }
  }
  return undefined;
}

/** Reads the 401's text to its end (and drops it), so the connection can be reused. */
async function drain(body: AsyncIterableIterator<Uint8Array> | undefined) {
  while (body && !(await body.next()).done) {
    continue;
  }
}
