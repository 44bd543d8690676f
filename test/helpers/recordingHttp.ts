/**
 * Test fixture: isomorphic-git's Node http client, recording each request
 * (method, URL, headers, body) and how many bytes its answer had.
 */
import type { HttpClient } from 'isomorphic-git';
import http from 'isomorphic-git/http/node';

export interface IRecordedRequest {
  method: string;
  url: string;
  headers: Record<string, string>;
  body: string;
  status: number;
  /** Bytes of the answer's body, counted once it has been read. */
  received: number;
}

export function recordingHttp(): {
  http: HttpClient;
  requests: IRecordedRequest[];
} {
  const requests: IRecordedRequest[] = [];
  return {
    requests,
    http: {
      async request(request) {
        const chunks: Uint8Array[] = [];
        for await (const chunk of request.body ?? []) {
          chunks.push(chunk);
        }
        const body = Buffer.concat(chunks);
        const response = await http.request({
          ...request,
          body: request.body ? [body] : undefined
        } as any);
        const record: IRecordedRequest = {
          method: request.method ?? 'GET',
          url: request.url,
          headers: { ...(request.headers ?? {}) },
          body: body.toString('latin1'),
          status: response.statusCode,
          received: 0
        };
        requests.push(record);
        const source = response.body;
        // By hand: isomorphic-git's body iterator has no `return`, which `for await` would call.
        const counted: AsyncIterableIterator<Uint8Array> = {
          async next() {
            const step = source
              ? await source.next()
              : { done: true as const, value: undefined };
            if (!step.done) {
              record.received += step.value.length;
            }
            return step;
          },
          async return() {
            return { done: true as const, value: undefined };
          },
          [Symbol.asyncIterator]: () => counted
        };
        return { ...response, body: counted };
      }
    }
  };
}
