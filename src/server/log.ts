/**
 * The engine process's log: one line per message on stderr, led by its level,
 * which the Python side maps onto the server's logger. Never given a secret.
 */
export type LogLevel = 'debug' | 'info' | 'warning' | 'error';

export type Log = (level: LogLevel, message: string) => void;

export const stderrLog: Log = (level, message) => {
  process.stderr.write(`${level} ${message.replace(/\n/g, '\n  ')}\n`);
};
