import { PassThrough } from 'node:stream';
import { NotFoundError } from '../../src/engine';
import { Protocol } from '../../src/server/protocol';

/** Runs a Protocol over in-memory streams; `send` writes lines, `answers` collects them. */
function harness(handle: Protocol.Handler) {
  const input = new PassThrough();
  const output = new PassThrough();
  const logged: string[] = [];
  const answers: any[] = [];
  let buffered = '';
  output.on('data', chunk => {
    buffered += chunk;
    const lines = buffered.split('\n');
    buffered = lines.pop()!;
    answers.push(...lines.map(line => JSON.parse(line)));
  });
  const protocol = new Protocol({
    input,
    output,
    handle,
    log: (level, message) => logged.push(`${level} ${message}`)
  });
  const served = protocol.serve();
  return {
    answers,
    logged,
    send: (...lines: string[]) => input.write(lines.join('\n') + '\n'),
    /** Ends the input and waits until every answer is written. */
    finish: async () => {
      input.end();
      await served;
      await new Promise(resolve => setImmediate(resolve));
    }
  };
}

describe('Protocol', () => {
  describe('serve', () => {
    it('answers each request with its id and result', async () => {
      const h = harness(async (method, params) => ({ method, params }));
      h.send(JSON.stringify({ id: 7, method: 'list', params: { path: 'a' } }));
      await h.finish();
      expect(h.answers).toEqual([
        { id: 7, result: { method: 'list', params: { path: 'a' } } }
      ]);
    });

    it('answers out of order: a slow request does not hold up a quick one', async () => {
      let release!: () => void;
      const slow = new Promise<void>(resolve => (release = resolve));
      const h = harness(async method => {
        if (method === 'slow') {
          await slow;
        }
        return method;
      });
      h.send(
        JSON.stringify({ id: 1, method: 'slow' }),
        JSON.stringify({ id: 2, method: 'quick' })
      );
      await new Promise(resolve => setTimeout(resolve, 20));
      expect(h.answers).toEqual([{ id: 2, result: 'quick' }]);
      release();
      await h.finish();
      expect(h.answers.map(a => a.id)).toEqual([2, 1]);
    });

    it('sends engine errors as JSON with their HTTP status', async () => {
      const h = harness(async () => {
        throw new NotFoundError("File 'a.txt'", { path: 'a.txt' });
      });
      h.send(JSON.stringify({ id: 'x', method: 'create', params: {} }));
      await h.finish();
      expect(h.answers).toEqual([
        {
          id: 'x',
          error: {
            code: 'NotFound',
            message: "File 'a.txt' not found",
            data: { path: 'a.txt' },
            status: 404
          }
        }
      ]);
    });

    it('hides unknown failures from the client and logs them', async () => {
      const h = harness(async () => {
        throw new Error('boom at /secret/place');
      });
      h.send(JSON.stringify({ id: 3, method: 'read' }));
      await h.finish();
      expect(h.answers[0].error.code).toBe('Internal');
      expect(h.answers[0].error.status).toBe(500);
      expect(JSON.stringify(h.answers)).not.toContain('boom');
      expect(h.logged.join('\n')).toContain(
        'error internal error: Error: boom at /secret/place'
      );
    });

    it('refuses malformed requests, keeping the id when there is one', async () => {
      const h = harness(async () => 'never');
      h.send(
        'not json',
        JSON.stringify({ method: 'list' }),
        JSON.stringify({ id: 4 }),
        JSON.stringify({ id: 5, method: 'list', params: [1] }),
        ''
      );
      await h.finish();
      expect(h.answers).toEqual([
        expect.objectContaining({
          id: null,
          error: expect.objectContaining({ code: 'InvalidArgument' })
        }),
        expect.objectContaining({
          id: null,
          error: expect.objectContaining({ code: 'InvalidArgument' })
        }),
        expect.objectContaining({
          id: 4,
          error: expect.objectContaining({ code: 'InvalidArgument' })
        }),
        expect.objectContaining({
          id: 5,
          error: expect.objectContaining({ code: 'InvalidArgument' })
        })
      ]);
    });

    it('resolves after the input ends, once the requests in flight are answered', async () => {
      const h = harness(
        () => new Promise(resolve => setTimeout(() => resolve('late'), 30))
      );
      h.send(JSON.stringify({ id: 1, method: 'status' }));
      await h.finish();
      expect(h.answers).toEqual([{ id: 1, result: 'late' }]);
    });
  });
});
