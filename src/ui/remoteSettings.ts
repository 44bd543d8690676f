import { Notification } from '@jupyterlab/apputils';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { TranslationBundle } from '@jupyterlab/translation';
import {
  ICheckpointStatus,
  IGitCheckpointsClient,
  IRemoteSettingsUpdate
} from '../tokens';
import { RemoteFields } from './remoteFields';

/**
 * Sends the remote fields of the settings to the server (`PUT remote`) when
 * they change. The server keeps them, so nothing is sent at start.
 */
export class RemoteSettingsSync {
  constructor(options: RemoteSettingsSync.IOptions) {
    this._client = options.client;
    this._status = options.status;
    this._trans = options.trans;
    this._last = RemoteFields.fromUser(options.settings.user);
    options.settings.changed.connect(this._onChanged, this);
  }

  private _onChanged(settings: ISettingRegistry.ISettings): void {
    const fields = RemoteFields.fromUser(settings.user);
    if (!RemoteFields.equal(fields, this._last)) {
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
}
