import { PromiseDelegate } from '@lumino/coreutils';
import type { IGitCheckpointsClient, IStatus } from '../../src/tokens';
import { CheckpointStatus } from '../../src/ui/statusModel';
import { statusOf } from '../helpers/status';

/**
 * The status model's timing, driven by jest's fake clock: which requests it
 * sends when, and which answer it keeps when answers cross. The client is
 * scripted (each `status()` call is answered when the test says so), since
 * what is under test is the model's schedule, not the server.
 */

function status(partial: Partial<IStatus> = {}): IStatus {
  return statusOf(partial);
}

/** A client whose `status()` calls wait for the test to answer them. */
class ScriptedClient {
  readonly calls: Array<{ at: number; answer: PromiseDelegate<IStatus> }> = [];
  /** When set, every call is answered at once with it. */
  auto: (() => IStatus) | null = null;
  push = jest.fn(async () => status({ state: 'pushing', pending: 1 }));

  status(): Promise<IStatus> {
    const answer = new PromiseDelegate<IStatus>();
    this.calls.push({ at: Date.now(), answer });
    if (this.auto) {
      answer.resolve(this.auto());
    }
    return answer.promise;
  }

  /** The gaps between successive calls, in ms. */
  gaps(): number[] {
    return this.calls.slice(1).map((call, i) => call.at - this.calls[i].at);
  }
}

describe('CheckpointStatus', () => {
  let client: ScriptedClient;
  let model: CheckpointStatus;
  const page = { hidden: false };

  beforeEach(() => {
    jest.useFakeTimers({ now: 0 });
    page.hidden = false;
    (globalThis as any).document = page;
    client = new ScriptedClient();
  });

  afterEach(() => {
    model.dispose();
    jest.useRealTimers();
    delete (globalThis as any).document;
  });

  function open(): CheckpointStatus {
    model = new CheckpointStatus({
      client: client as unknown as IGitCheckpointsClient,
      minInterval: 2000,
      maxInterval: 60000
    });
    return model;
  }

  /** Lets the fake clock run `ms`, settling the promises each timer starts. */
  const elapse = (ms: number) => jest.advanceTimersByTimeAsync(ms);
  /**
   * Runs what is due now: the fake clock gives a zero delay set from inside a
   * timer 1 ms (as browsers clamp nested timers), so "at once" is 1 ms later.
   */
  const settle = () => elapse(1);

  it('asks once at start and then stands by while settled', async () => {
    client.auto = () => status({ state: 'pushed' });
    const changes = jest.fn();
    open().changed.connect(changes);
    await settle();
    expect(client.calls).toHaveLength(1);
    expect(model.status?.state).toBe('pushed');
    expect(model.error).toBeNull();
    expect(changes).toHaveBeenCalledTimes(1);
    await elapse(30 * 60000);
    expect(client.calls).toHaveLength(1);
  });

  it('backs off from the shortest to the longest interval while nothing moves', async () => {
    client.auto = () => status({ state: 'pending', pending: 3 });
    open();
    await settle();
    await elapse(2000 + 4000 + 8000 + 16000 + 32000 + 60000 + 60000);
    expect(client.gaps()).toEqual([
      2000, 4000, 8000, 16000, 32000, 60000, 60000
    ]);
  });

  it('returns to the shortest interval when the push moves, and stops once pushed', async () => {
    let pending = 3;
    client.auto = () =>
      status({ state: pending ? 'pending' : 'pushed', pending });
    open();
    await settle();
    await elapse(2000 + 4000); // two unchanged answers: the next wait is 8 s
    expect(client.gaps()).toEqual([2000, 4000]);
    pending = 2;
    await elapse(8000); // moved: back to 2 s
    pending = 0;
    await elapse(2000); // pushed: settled
    await elapse(10 * 60000);
    expect(client.gaps()).toEqual([2000, 4000, 8000, 2000]);
    expect(model.status?.state).toBe('pushed');
  });

  it('refreshes at once on a kick, and watches closely again', async () => {
    client.auto = () => status({ state: 'pushed' });
    open();
    await settle();
    await elapse(5 * 60000);
    client.auto = () => status({ state: 'pending', pending: 1 });
    const kicked = Date.now();
    model.kick();
    await settle();
    expect(client.calls.map(c => c.at)).toEqual([1, kicked]);
    await elapse(2000);
    expect(client.calls.map(c => c.at)).toEqual([1, kicked, kicked + 2000]);
  });

  it('keeps the newest request’s answer when an older one arrives later', async () => {
    open();
    await settle();
    model.kick();
    await settle();
    expect(client.calls).toHaveLength(2);
    const [older, newer] = client.calls;
    newer.answer.resolve(status({ state: 'pushed', head: 'b'.repeat(40) }));
    await settle();
    older.answer.resolve(status({ state: 'pending', pending: 5 }));
    await settle();
    expect(model.status).toMatchObject({
      state: 'pushed',
      head: 'b'.repeat(40)
    });
  });

  it('ignores an older request’s failure after a newer answer', async () => {
    open();
    await settle();
    model.kick();
    await settle();
    const [older, newer] = client.calls;
    newer.answer.resolve(status({ state: 'pushed' }));
    await settle();
    older.answer.reject(new Error('server gone'));
    await settle();
    expect(model.error).toBeNull();
    expect(model.status?.state).toBe('pushed');
  });

  it('reports a failure and sends nothing more until the next kick', async () => {
    open();
    await settle();
    client.calls[0].answer.reject(new Error('503 the engine is not running'));
    const changes = jest.fn();
    model.changed.connect(changes);
    await settle();
    expect(model.error).toBe('503 the engine is not running');
    expect(model.status).toBeNull();
    expect(changes).toHaveBeenCalledTimes(1);
    await elapse(10 * 60000);
    expect(client.calls).toHaveLength(1);
    client.auto = () => status();
    model.kick();
    await settle();
    expect(client.calls).toHaveLength(2);
    expect(model.error).toBeNull();
  });

  it('sends nothing while the page is hidden', async () => {
    client.auto = () => status({ state: 'pending', pending: 1 });
    open();
    await settle();
    page.hidden = true;
    await elapse(10 * 60000);
    expect(client.calls).toHaveLength(1);
    page.hidden = false;
    await elapse(2000);
    expect(client.calls).toHaveLength(2);
  });

  it('shows the push answer at once, then watches the push', async () => {
    client.auto = () => status({ state: 'pushed' });
    open();
    await settle();
    client.auto = () => status({ state: 'pushing', pending: 1 });
    await model.pushNow();
    expect(client.push).toHaveBeenCalledTimes(1);
    expect(model.status).toMatchObject({ state: 'pushing', pending: 1 });
    await settle();
    expect(client.calls).toHaveLength(2);
  });
});
