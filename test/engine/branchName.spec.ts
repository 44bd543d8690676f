import { branchName, sanitizeRefName } from '../../src/engine';
import { gitCli } from './backends';

describe('branchName', () => {
  const template = '<USER>-<DEPLOY_ENV>';

  it('fills the template like the original system', () => {
    expect(branchName(template, { USER: 'ada', DEPLOY_ENV: 'prod' })).toBe(
      'ada-prod'
    );
  });

  it('drops a missing variable together with its separator', () => {
    expect(branchName(template, { USER: 'ada' })).toBe('ada');
    expect(branchName(template, { USER: 'ada', DEPLOY_ENV: ' ' })).toBe('ada');
    expect(branchName(template, { DEPLOY_ENV: 'prod' })).toBe('prod');
  });

  it('falls back to "checkpoints" when nothing is left', () => {
    expect(branchName(template, {})).toBe('checkpoints');
  });

  it.each([
    ['ada lovelace', 'ada-lovelace'],
    ['..ada', 'ada'],
    ['ada.lock', 'ada'],
    ['a~b^c:d?e*f[g\\h', 'a-b-c-d-e-f-g-h'],
    ['ada@{1}', 'ada-1}'],
    ['team/../ada', 'team/ada'],
    ['-ada-', 'ada']
  ])('makes %j a valid ref name', (user, expected) => {
    const name = branchName('<USER>', { USER: user });
    expect(name).toBe(expected);
    // git agrees that it is valid.
    expect(() =>
      gitCli(process.cwd(), 'check-ref-format', '--branch', name)
    ).not.toThrow();
  });

  it('keeps valid names as they are', () => {
    expect(sanitizeRefName('ada-prod/2')).toBe('ada-prod/2');
  });
});
