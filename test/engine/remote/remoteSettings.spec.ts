import { InvalidArgumentError } from '../../../src/engine';
import { validateRemote } from '../../../src/engine/remote/remoteSettings';

describe('validateRemote', () => {
  it('keeps a plain https or http URL, without a trailing slash', () => {
    expect(
      validateRemote({
        url: 'https://git.example.org/team/repo.git/',
        username: 'u',
        password: 'p'
      })
    ).toEqual({
      url: 'https://git.example.org/team/repo.git',
      username: 'u',
      password: 'p'
    });
    expect(validateRemote({ url: 'http://127.0.0.1:8080/r.git' }).url).toBe(
      'http://127.0.0.1:8080/r.git'
    );
  });

  it.each([
    [
      'https://alice:s3cret@git.example.org/r.git',
      /must not contain a user name or password: use https:\/\/git\.example\.org\/r\.git/
    ],
    [
      'https://ghp_token1234@git.example.org/r.git',
      /must not contain a user name or password/
    ],
    ['ssh://git@git.example.org/r.git', /must not contain a user name/],
    ['git://git.example.org/r.git', /must start with https:\/\/ or http:\/\//],
    ['file:///srv/r.git', /must start with https:\/\/ or http:\/\//],
    ['https://git.example.org/r.git?token=s3cret', /must not have a query/],
    ['not a url', /not a valid URL/]
  ])('refuses %s with a clear error that repeats no secret', (url, message) => {
    let error: unknown;
    try {
      validateRemote({ url });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidArgumentError);
    expect((error as Error).message).toMatch(message);
    const json = JSON.stringify(error);
    for (const secret of ['s3cret', 'ghp_token1234', 'alice']) {
      expect(json).not.toContain(secret);
    }
  });
});
