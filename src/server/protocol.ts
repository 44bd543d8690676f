import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { CheckpointError, HTTP_STATUS, type IErrorJSON } from '../engine';
import { HOST_ERROR_STATUS } from '../contract';
import type { Log } from './log';

/**
 * Newline-delimited JSON-RPC over a pair of streams (the engine process's
 * stdin and stdout): one request per line `{"id", "method", "params"}`, one
 * answer per line `{"id", "result"}` or `{"id", "error": {code, message, data}}`.
 *
 * Each request runs as soon as it arrives, so a slow read never holds up a
 * status call; the engine serialises its own writes.
 */
export class Protocol {
  constructor(private readonly _options: Protocol.IOptions) {}

  /** Serves requests until the input ends; resolves once every answer is written. */
  serve(): Promise<void> {
    const lines = createInterface({
      input: this._options.input,
      crlfDelay: Infinity
    });
    const inFlight = new Set<Promise<void>>();
    lines.on('line', line => {
      if (!line.trim()) {
        return;
      }
      const task = this._answer(line).finally(() => inFlight.delete(task));
      inFlight.add(task);
    });
    return new Promise(resolve => {
      lines.on('close', () => {
        void Promise.all(inFlight).then(() => resolve());
      });
    });
  }

  private async _answer(line: string): Promise<void> {
    let id: Protocol.RequestId = null;
    try {
      const message = parseJSON(line);
      id =
        typeof message?.id === 'string' || typeof message?.id === 'number'
          ? message.id
          : null;
      const request = parseRequest(message);
      const result = await this._options.handle(request.method, request.params);
      this._send({ id, result: result === undefined ? null : result });
    } catch (error) {
      this._send({ id, error: this._toErrorJSON(error) });
    }
  }

  private _toErrorJSON(error: unknown): Protocol.IWireError {
    if (error instanceof CheckpointError) {
      // The status travels with the error so that no other host copies HTTP_STATUS.
      return {
        ...error.toJSON(),
        status: HTTP_STATUS[error.code] ?? HOST_ERROR_STATUS.Internal
      };
    }
    // Unknown failures reach the log with their stack, the client with no details.
    this._options.log(
      'error',
      `internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`
    );
    return {
      code: 'Internal',
      message: 'Internal error in the checkpoint engine (see the server log)',
      data: {},
      status: HOST_ERROR_STATUS.Internal
    };
  }

  private _send(message: object): void {
    this._options.output.write(JSON.stringify(message) + '\n');
  }
}

export namespace Protocol {
  export type RequestId = string | number | null;
  export type Handler = (
    method: string,
    params: Record<string, unknown>
  ) => Promise<unknown>;

  export interface IOptions {
    input: Readable;
    output: Writable;
    handle: Handler;
    /** Where diagnostics go (stderr); never given a secret. */
    log: Log;
  }

  /** An error as it crosses the pipe: the engine's JSON plus its HTTP status. */
  export type IWireError = (
    | IErrorJSON
    | { code: 'Internal'; message: string; data: Record<string, never> }
  ) & { status: number };

  export interface IRequest {
    id: RequestId;
    method: string;
    params: Record<string, unknown>;
  }
}

function parseJSON(line: string): any {
  try {
    return JSON.parse(line);
  } catch {
    throw new CheckpointError('InvalidArgument', 'The request is not JSON');
  }
}

function parseRequest(message: any): Protocol.IRequest {
  const id = message?.id;
  if (typeof id !== 'string' && typeof id !== 'number') {
    throw new CheckpointError('InvalidArgument', 'The request has no id');
  }
  if (typeof message.method !== 'string') {
    throw new CheckpointError('InvalidArgument', 'The request has no method');
  }
  const params = message.params ?? {};
  if (typeof params !== 'object' || Array.isArray(params)) {
    throw new CheckpointError('InvalidArgument', 'params must be an object');
  }
  return { id, method: message.method, params };
}
