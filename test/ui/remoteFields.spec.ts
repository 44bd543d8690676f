import { RemoteFields } from '../../src/ui/remoteFields';

describe('RemoteFields', () => {
  describe('fromUser', () => {
    it('sends null for every field the user did not set', () => {
      expect(RemoteFields.fromUser({})).toEqual({
        url: null,
        username: null,
        email: null,
        environment: null,
        push: null
      });
    });

    it('trims what the user typed and treats blanks as not set', () => {
      expect(
        RemoteFields.fromUser({
          remoteUrl: ' https://git.example.org/team.git ',
          userName: 'alice',
          email: '   ',
          environment: 'prod',
          pushAfterCheckpoint: false,
          historyLength: 5
        })
      ).toEqual({
        url: 'https://git.example.org/team.git',
        username: 'alice',
        email: null,
        environment: 'prod',
        push: false
      });
    });

    it('adds the CORS proxy only when the user set one (browser mode)', () => {
      expect(
        RemoteFields.fromUser({ corsProxy: ' http://proxy.test ' })
      ).toEqual({
        url: null,
        username: null,
        email: null,
        environment: null,
        push: null,
        cors_proxy: 'http://proxy.test'
      });
    });

    it('ignores values of the wrong type', () => {
      expect(
        RemoteFields.fromUser({ remoteUrl: 42, pushAfterCheckpoint: 'yes' })
      ).toMatchObject({
        url: null,
        push: null
      });
    });
  });

  describe('equal', () => {
    it('compares every field', () => {
      const a = RemoteFields.fromUser({ email: 'a@b' });
      expect(
        RemoteFields.equal(a, RemoteFields.fromUser({ email: 'a@b' }))
      ).toBe(true);
      expect(
        RemoteFields.equal(a, RemoteFields.fromUser({ email: 'c@d' }))
      ).toBe(false);
      expect(
        RemoteFields.equal(
          a,
          RemoteFields.fromUser({ email: 'a@b', pushAfterCheckpoint: true })
        )
      ).toBe(false);
      expect(
        RemoteFields.equal(
          a,
          RemoteFields.fromUser({ email: 'a@b', corsProxy: 'http://p' })
        )
      ).toBe(false);
    });
  });
});
