import type { IRemoteSettingsUpdate } from '../tokens';

/**
 * The remote fields of the user's settings, as `PUT remote` takes them: only
 * what the user set; the rest is null so that the server's configuration applies.
 */
export namespace RemoteFields {
  /** The update to send, from the user's own settings (not the defaults). */
  export function fromUser(
    user: Record<string, unknown>
  ): IRemoteSettingsUpdate {
    const text = (key: string) => {
      const value = user[key];
      return typeof value === 'string' && value.trim() ? value.trim() : null;
    };
    const push = user.pushAfterCheckpoint;
    return {
      url: text('remoteUrl'),
      username: text('userName'),
      email: text('email'),
      environment: text('environment'),
      push: typeof push === 'boolean' ? push : null
    };
  }

  /** Whether two updates ask for the same thing. */
  export function equal(
    a: IRemoteSettingsUpdate,
    b: IRemoteSettingsUpdate
  ): boolean {
    return (Object.keys(a) as (keyof IRemoteSettingsUpdate)[]).every(
      key => a[key] === b[key]
    );
  }
}
