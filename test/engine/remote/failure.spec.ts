import git from 'isomorphic-git';
import { RemoteError } from '../../../src/engine/errors';
import { redact, toRemoteError } from '../../../src/engine/remote/failure';
import { RemoteTimeoutError } from '../../../src/engine/remote/timeoutHttp';

const httpError = (statusCode: number) =>
  new git.Errors.HttpError(statusCode, 'status', 'body');

/** The typed error's kind and message (its code checked). */
function describeFailure(error: unknown, secrets: string[]) {
  const typed = toRemoteError(error, secrets);
  expect(typed).toBeInstanceOf(RemoteError);
  expect(typed.code).toBe('RemoteError');
  expect(typed.data.kind).toBe(typed.kind);
  return { kind: typed.kind, message: typed.message };
}

describe('toRemoteError', () => {
  it.each([401, 403])(
    'calls HTTP %i an authentication failure, not to be retried',
    status => {
      expect(describeFailure(httpError(status), [])).toEqual({
        kind: 'auth',
        message: `authentication failed (HTTP ${status}): check the user name and password`
      });
    }
  );

  it('names a missing repository and other HTTP answers', () => {
    expect(describeFailure(httpError(404), [])).toEqual({
      kind: 'error',
      message: 'repository not found (HTTP 404)'
    });
    expect(describeFailure(httpError(500), [])).toEqual({
      kind: 'error',
      message: 'the remote answered (HTTP 500)'
    });
  });

  it('calls refused connections and time-outs network failures', () => {
    const refused = Object.assign(
      new Error('connect ECONNREFUSED 127.0.0.1:9'),
      { code: 'ECONNREFUSED' }
    );
    expect(describeFailure(refused, [])).toEqual({
      kind: 'network',
      message: 'connection refused'
    });
    expect(describeFailure(new RemoteTimeoutError(30000), [])).toEqual({
      kind: 'network',
      message: 'the remote did not answer within 30 s'
    });
  });

  it('says when the URL is no git server', () => {
    expect(
      describeFailure(new git.Errors.SmartHttpError('<html>', '<html>'), [])
        .message
    ).toBe('the URL does not serve a git repository');
  });

  it('removes secrets from any other message', () => {
    const error = new Error(
      'failed for https://bob:pw1@host/r.git with pw1 and Ym9iOnB3MQ=='
    );
    expect(describeFailure(error, ['pw1', 'Ym9iOnB3MQ=='])).toEqual({
      kind: 'error',
      message: 'failed for https://host/r.git with *** and ***'
    });
  });
});

describe('redact', () => {
  it('leaves a message without secrets alone', () => {
    expect(redact('plain message', ['x-secret', undefined])).toBe(
      'plain message'
    );
  });
});
