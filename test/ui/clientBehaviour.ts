import { UNSET_REMOTE_SETTINGS } from '../../src/contract';
import type { IGitCheckpointsClient } from '../../src/tokens';

/**
 * What every `IGitCheckpointsClient` must do, whichever host runs the engine:
 * the REST client against the server (client.spec.ts) and an engine in the
 * page can run the same suite. The host starts with no remote, a user
 * `alice` <a@example.org> on the branch `alice-test`, and an empty home.
 */
export interface IClientHost {
  client: IGitCheckpointsClient;
  /** Writes a file as a save would (the file on disk, or the page's drive). */
  write(path: string, text: string): Promise<void>;
  read(path: string): Promise<string>;
  /** A remote URL nothing answers on. */
  deadRemote(): Promise<string>;
}

/** Registers the suite; `host()` is called in each test, after `beforeAll` started it. */
export function behavesAsCheckpointClient(host: () => IClientHost): void {
  /** A rejection, as the contract says it is: a status and a code. */
  async function refusal(promise: Promise<unknown>) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(Error);
    const { status, code } = error as { status: number; code: string };
    return { status, code };
  }

  it('creates, lists, reads and restores checkpoints', async () => {
    const { client, write, read } = host();
    await write('a.txt', 'one\n');
    const first = await client.createCheckpoint('a.txt', 'first');
    expect(first).toEqual({
      id: expect.stringMatching(/^[0-9a-f]{40}$/),
      last_modified: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      message: 'first',
      author: { name: 'alice', email: 'a@example.org' },
      pushed: false
    });
    await write('a.txt', 'two\n');
    const second = await client.createCheckpoint('a.txt');
    expect(second.message).toBe('Checkpoint a.txt: 1 line added, 1 removed');

    expect(await client.history('a.txt')).toEqual({
      path: 'a.txt',
      checkpoints: [first, second]
    });
    expect((await client.history('a.txt', 1)).checkpoints).toEqual([second]);
    expect(await client.content('a.txt', first.id)).toEqual({
      path: 'a.txt',
      id: first.id,
      format: 'text',
      content: 'one\n'
    });

    await client.restoreCheckpoint('a.txt', first.id);
    expect(await read('a.txt')).toBe('one\n');
    const messages = (await client.history('a.txt')).checkpoints.map(
      c => c.message
    );
    expect(messages.at(-1)).toBe(`Restore a.txt to ${first.id.slice(0, 7)}`);
  });

  it('answers the status and a push without a remote', async () => {
    const { client } = host();
    expect(await client.status()).toMatchObject({
      repository: expect.any(String),
      branch: 'alice-test',
      head: expect.stringMatching(/^[0-9a-f]{40}$/),
      remote: null,
      state: 'local',
      pending: 0,
      last_error: null
    });
    expect(await client.push()).toMatchObject({ state: 'local', remote: null });
  });

  it('reads and changes the remote settings, never showing the password', async () => {
    const { client, deadRemote } = host();
    expect(await client.getRemote()).toEqual({
      url: null,
      username: null,
      email: 'a@example.org',
      environment: 'test',
      push: true,
      has_password: false
    });
    const url = await deadRemote();
    const changed = await client.setRemote({
      ...UNSET_REMOTE_SETTINGS,
      url,
      username: 'alice',
      push: false
    });
    expect(changed).toMatchObject({ url, username: 'alice', push: false });
    await client.setPassword('s3cret');
    const remote = await client.getRemote();
    expect(remote.has_password).toBe(true);
    expect(JSON.stringify(remote)).not.toContain('s3cret');
    await client.setRemote(UNSET_REMOTE_SETTINGS);
    expect((await client.getRemote()).url).toBeNull();
  });

  it('rejects with the status and code of each refusal', async () => {
    const { client } = host();
    const unknown = 'f'.repeat(40);
    expect(await refusal(client.createCheckpoint('nope.txt'))).toEqual({
      status: 404,
      code: 'NotFound'
    });
    expect(await refusal(client.content('a.txt', unknown))).toEqual({
      status: 404,
      code: 'NotACheckpoint'
    });
    expect(await refusal(client.restoreCheckpoint('a.txt', unknown))).toEqual({
      status: 404,
      code: 'NotACheckpoint'
    });
    expect(await refusal(client.history('a.txt', 0))).toEqual({
      status: 400,
      code: 'InvalidArgument'
    });
    expect(await refusal(client.history('.git/config'))).toEqual({
      status: 400,
      code: 'InvalidPath'
    });
    expect(
      await refusal(
        client.setRemote({
          ...UNSET_REMOTE_SETTINGS,
          url: 'https://alice:pw@git.example/r.git'
        })
      )
    ).toEqual({ status: 400, code: 'InvalidArgument' });
  });
}
