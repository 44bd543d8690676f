import { ENGINE_METHODS } from '../../src/contract';
import { readParams } from '../../src/server/params';

/** What the engine process accepts is the contract's method table, nothing else. */
describe('readParams', () => {
  function refusal(read: () => unknown) {
    try {
      read();
    } catch (error) {
      return error;
    }
    throw new Error('accepted');
  }

  it('returns the params of the table, absent optional ones left out', () => {
    expect(readParams('create', { path: 'a.txt', message: null })).toEqual({
      path: 'a.txt'
    });
    expect(
      readParams('list', { path: 'a.txt', limit: 3, pushed: true })
    ).toEqual({ path: 'a.txt', limit: 3, pushed: true });
    expect(readParams('status', {})).toEqual({});
  });

  it.each([
    ['read', { path: 'a.txt' }, 'id', "'id' must be a string"],
    ['create', { path: 7 }, 'path', "'path' must be a string"],
    ['list', { path: 'a', limit: 1.5 }, 'limit', "'limit' must be an integer"],
    [
      'create',
      { path: 'a', pushed: 'yes' },
      'pushed',
      "'pushed' must be true or false"
    ],
    ['create', { path: 'a', mesage: 'x' }, 'mesage', "Unknown param 'mesage'"],
    ['push', { now: true }, 'now', "Unknown param 'now'"],
    [
      'configure',
      { remote: [] },
      'remote',
      "'remote' must be an object or null"
    ],
    [
      'configure',
      { remote: {} },
      'remote.url',
      "'remote.url' must be a string"
    ],
    [
      'configure',
      { remote: { url: 'u', user: 'x' } },
      'remote.user',
      "Unknown param 'remote.user'"
    ]
  ] as const)(
    "refuses %s %j: InvalidArgument naming '%s'",
    (method, params, field, message) => {
      expect(refusal(() => readParams(method, params))).toMatchObject({
        code: 'InvalidArgument',
        message,
        data: { field }
      });
    }
  );

  it('keeps null where it means something: no remote, no password', () => {
    expect(readParams('configure', { remote: null, password: null })).toEqual({
      remote: null,
      password: null
    });
    expect(
      readParams('configure', {
        remote: { url: 'https://x/r.git' },
        push: false
      })
    ).toEqual({ remote: { url: 'https://x/r.git' }, push: false });
  });

  it('covers every method of the table', () => {
    for (const method of Object.keys(ENGINE_METHODS)) {
      const required = Object.entries(
        ENGINE_METHODS[method as keyof typeof ENGINE_METHODS].params
      ).filter(([, spec]) => 'required' in spec && spec.required);
      const params = Object.fromEntries(required.map(([name]) => [name, 'x']));
      expect(readParams(method as keyof typeof ENGINE_METHODS, params)).toEqual(
        params
      );
    }
  });
});
