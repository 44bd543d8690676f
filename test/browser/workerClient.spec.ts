import { WorkerClient } from '../../src/browser/workerClient';

/**
 * The part of a Web Worker the client uses. Jest runs in Node, which has no
 * Web Worker; the real one runs in Chromium in the JupyterLite journey.
 */
class StandInWorker {
  onmessage: ((event: { data: unknown }) => void) | null = null;
  onerror: ((event: any) => void) | null = null;
  onmessageerror: (() => void) | null = null;
  posted: any[] = [];
  postMessage(message: unknown): void {
    this.posted.push(message);
  }
  terminate(): void {
    return;
  }
  /** What a worker whose script threw while loading fires at the page. */
  crash(message: string): { prevented: boolean } {
    const event = {
      message,
      prevented: false,
      preventDefault() {
        this.prevented = true;
      }
    };
    this.onerror!(event);
    return event;
  }
}

describe('WorkerClient', () => {
  it('answers a call with the result posted back for its id', async () => {
    const worker = new StandInWorker();
    const client = new WorkerClient(worker as unknown as Worker);
    const answer = client.call('status');
    expect(worker.posted).toEqual([{ id: 1, method: 'status', args: [] }]);
    worker.onmessage!({ data: { id: 1, result: { branch: 'b' } } });
    await expect(answer).resolves.toEqual({ branch: 'b' });
  });

  it('rejects pending and later calls when the worker dies, instead of waiting forever', async () => {
    const worker = new StandInWorker();
    const client = new WorkerClient(worker as unknown as Worker);
    const pending = client.call('status');
    const event = worker.crash(
      "Cannot read properties of undefined (reading 'call')"
    );
    // Handled here: the page's console does not get the raw error as well.
    expect(event.prevented).toBe(true);
    await expect(pending).rejects.toMatchObject({
      code: 'EngineUnavailable',
      message: expect.stringContaining("reading 'call'")
    });
    await expect(client.call('status')).rejects.toMatchObject({
      code: 'EngineUnavailable'
    });
    expect(worker.posted).toHaveLength(1);
  });
});
