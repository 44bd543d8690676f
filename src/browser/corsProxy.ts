import type { HttpClient } from 'isomorphic-git';

/**
 * The http client with each request sent through the CORS proxy, when one is
 * set: browsers cannot reach most git hosts directly. The proxy URL is read
 * per request, so a changed setting applies to the next push. The rewrite is
 * isomorphic-git's own (`<proxy>/<host>/<path>`); credentials stay in headers.
 */
export function corsProxied(
  http: HttpClient,
  proxy: () => string | null
): HttpClient {
  return {
    request(request) {
      const base = proxy();
      if (!base) {
        return http.request(request);
      }
      const url = base.endsWith('?')
        ? `${base}${request.url}`
        : `${base.replace(/\/+$/, '')}/${request.url.replace(/^https?:\/\//, '')}`;
      return http.request({ ...request, url });
    }
  };
}
