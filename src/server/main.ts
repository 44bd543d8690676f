/**
 * The engine process: one per Jupyter server, started by the Python package
 * (`gitcheckpoints/engine_client.py`) as `node main.js`.
 *
 * Configuration comes from `GITCHECKPOINTS_*` variables at start and from
 * `configure` requests; requests arrive on stdin, answers leave on stdout,
 * logs go to stderr. The process ends when stdin closes.
 */
import { EngineHost } from './engineHost';
import { readHostConfig } from './hostConfig';
import { stderrLog } from './log';
import { Protocol } from './protocol';

async function main(): Promise<void> {
  const config = readHostConfig(process.env);
  let opening = EngineHost.open(config, stderrLog);
  // A failed open is answered to every request rather than crashing the process,
  // so that the server shows why (e.g. an unsupported repository); the next
  // request tries again, so that repairing the repository is enough.
  opening.catch(() => undefined);
  const current = async (): Promise<EngineHost> => {
    const tried = opening;
    try {
      return await tried;
    } catch {
      if (opening === tried) {
        opening = EngineHost.open(config, stderrLog);
        opening.catch(() => undefined);
      }
      return opening;
    }
  };
  const protocol = new Protocol({
    input: process.stdin,
    output: process.stdout,
    log: stderrLog,
    handle: async (method, params) => (await current()).handle(method, params)
  });
  await protocol.serve();
  const host = await opening.catch(() => null);
  await host?.dispose();
}

main().then(
  () => process.exit(0),
  error => {
    stderrLog(
      'error',
      `engine process failed: ${error instanceof Error ? error.message : String(error)}`
    );
    process.exit(1);
  }
);
