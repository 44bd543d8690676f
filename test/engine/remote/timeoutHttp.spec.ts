import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import http from 'isomorphic-git/http/node';
import {
  RemoteTimeoutError,
  withTimeout
} from '../../../src/engine/remote/timeoutHttp';

/** A loopback server whose handler decides when (if ever) to answer. */
async function serve(
  handler: (res: ServerResponse) => void
): Promise<{ url: string; server: Server }> {
  const server = createServer((_req, res) => handler(res));
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    server
  };
}

async function readAll(
  body: AsyncIterableIterator<Uint8Array>
): Promise<string> {
  let text = '';
  for await (const chunk of body) {
    text += Buffer.from(chunk).toString();
  }
  return text;
}

describe('withTimeout', () => {
  const servers: Server[] = [];
  afterEach(() => {
    for (const server of servers.splice(0)) {
      server.closeAllConnections();
      server.close();
    }
  });

  async function start(
    handler: (res: ServerResponse) => void
  ): Promise<string> {
    const { url, server } = await serve(handler);
    servers.push(server);
    return url;
  }

  it('passes a prompt answer through', async () => {
    const url = await start(res => res.end('hello'));
    const response = await withTimeout(http, 1000).request({ url });
    expect(response.statusCode).toBe(200);
    expect(await readAll(response.body!)).toBe('hello');
  });

  it('fails a request whose answer does not start in time', async () => {
    const url = await start(() => undefined);
    const started = Date.now();
    await expect(
      withTimeout(http, 200).request({ url })
    ).rejects.toBeInstanceOf(RemoteTimeoutError);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fails a body that stops arriving', async () => {
    const url = await start(res => {
      res.writeHead(200);
      res.write('first part');
    });
    const response = await withTimeout(http, 200).request({ url });
    await expect(readAll(response.body!)).rejects.toBeInstanceOf(
      RemoteTimeoutError
    );
  });

  it('aborts requests under way when closed', async () => {
    const url = await start(() => undefined);
    const closed = new AbortController();
    const client = withTimeout(http, 10000, closed.signal);
    const pending = client.request({ url });
    setTimeout(() => closed.abort(), 50);
    const started = Date.now();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
    expect(Date.now() - started).toBeLessThan(2000);
    await expect(client.request({ url })).rejects.toThrow(/closed/);
  });
});
