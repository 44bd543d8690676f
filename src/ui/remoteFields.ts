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
    const proxy = text('corsProxy');
    return {
      url: text('remoteUrl'),
      username: text('userName'),
      email: text('email'),
      environment: text('environment'),
      push: typeof push === 'boolean' ? push : null,
      // Browser mode only; left out otherwise, so a server never sees it.
      ...(proxy ? { cors_proxy: proxy } : {})
    };
  }

  /** Whether two updates ask for the same thing. */
  export function equal(
    a: IRemoteSettingsUpdate,
    b: IRemoteSettingsUpdate
  ): boolean {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every(
      key =>
        a[key as keyof IRemoteSettingsUpdate] ===
        b[key as keyof IRemoteSettingsUpdate]
    );
  }
}
