import { Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  ICheckpointStatus,
  IGitCheckpointsClient,
  IRemoteSettingsUpdate
} from '../tokens';

/**
 * Sends the remote fields of the settings to the server (`PUT remote`): at
 * start if the user set any of them (the server may have restarted since),
 * then whenever they change. Fields the user did not set are sent as null, so
 * the server's own configuration (traitlets, environment) applies to them.
 */
export class RemoteSettingsSync {
  constructor(options: RemoteSettingsSync.IOptions) {
    this._client = options.client;
    this._status = options.status;
    this._trans = options.trans;
    const settings = options.settings;
    this._last = RemoteSettingsSync.fieldsOf(settings);
    const userSet = Object.keys(settings.user).some(key =>
      RemoteSettingsSync.KEYS.includes(key)
    );
    if (userSet) {
      void this._send(this._last);
    }
    settings.changed.connect(this._onChanged, this);
  }

  /** The remote fields of a settings object. */
  static fieldsOf(settings: ISettingRegistry.ISettings): IRemoteSettingsUpdate {
    const text = (key: string) => {
      const value = settings.user[key];
      return typeof value === 'string' && value.trim() ? value.trim() : null;
    };
    const push = settings.user.pushAfterCheckpoint;
    return {
      url: text('remoteUrl'),
      username: text('userName'),
      email: text('email'),
      environment: text('environment'),
      push: typeof push === 'boolean' ? push : null
    };
  }

  private _onChanged(settings: ISettingRegistry.ISettings): void {
    const fields = RemoteSettingsSync.fieldsOf(settings);
    if (JSON.stringify(fields) !== JSON.stringify(this._last)) {
      this._last = fields;
      void this._send(fields);
    }
  }

  private async _send(fields: IRemoteSettingsUpdate): Promise<void> {
    try {
      await this._client.setRemote(fields);
      // The branch and the push state may have changed.
      this._status.kick();
    } catch (error) {
      Notification.error(
        this._trans.__(
          'Git checkpoints: the remote settings were not applied: %1',
          (error as Error).message
        )
      );
    }
  }

  private _client: IGitCheckpointsClient;
  private _status: ICheckpointStatus;
  private _trans: TranslationBundle;
  private _last: IRemoteSettingsUpdate;
}

export namespace RemoteSettingsSync {
  export interface IOptions {
    client: IGitCheckpointsClient;
    status: ICheckpointStatus;
    settings: ISettingRegistry.ISettings;
    trans: TranslationBundle;
  }

  /** The settings keys that describe the remote. */
  export const KEYS = [
    'remoteUrl',
    'userName',
    'email',
    'environment',
    'pushAfterCheckpoint'
  ];
}
