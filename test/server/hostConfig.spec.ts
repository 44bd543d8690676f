import { readHostConfig } from '../../src/server/hostConfig';

describe('readHostConfig', () => {
  const base = { GITCHECKPOINTS_DIR: '/home/alice' };

  it('names the branch <USER>-<DEPLOY_ENV> and the author after the user', () => {
    const config = readHostConfig({
      ...base,
      GITCHECKPOINTS_USER: 'alice',
      GITCHECKPOINTS_ENVIRONMENT: 'prod',
      GITCHECKPOINTS_EMAIL: 'a@example.org'
    });
    expect(config.branch).toBe('alice-prod');
    expect(config.author).toEqual({ name: 'alice', email: 'a@example.org' });
  });

  it('works locally by default: no remote, pushing on, 100 MiB limit, no password awaited', () => {
    expect(readHostConfig({ ...base, GITCHECKPOINTS_USER: 'alice' })).toEqual({
      dir: '/home/alice',
      branch: 'alice',
      author: { name: 'alice', email: '' },
      remoteUrl: null,
      remoteUsername: null,
      push: true,
      maxFileSize: 100 * 2 ** 20,
      awaitPassword: false
    });
  });

  it('takes a branch template, the remote, the push flag and a size limit', () => {
    const config = readHostConfig({
      ...base,
      GITCHECKPOINTS_USER: 'alice',
      GITCHECKPOINTS_BRANCH_TEMPLATE: 'cp/<USER>',
      GITCHECKPOINTS_REMOTE_URL: 'https://git.example.org/r.git',
      GITCHECKPOINTS_REMOTE_USER: 'bot',
      GITCHECKPOINTS_PUSH: '0',
      GITCHECKPOINTS_MAX_FILE_SIZE: '1000',
      GITCHECKPOINTS_AWAIT_PASSWORD: '1'
    });
    expect(config).toMatchObject({
      branch: 'cp/alice',
      remoteUrl: 'https://git.example.org/r.git',
      remoteUsername: 'bot',
      push: false,
      maxFileSize: 1000,
      awaitPassword: true
    });
  });

  it('refuses a missing directory and a bad size limit', () => {
    expect(() => readHostConfig({})).toThrow('GITCHECKPOINTS_DIR');
    expect(() =>
      readHostConfig({ ...base, GITCHECKPOINTS_MAX_FILE_SIZE: 'lots' })
    ).toThrow('positive integer');
  });
});
