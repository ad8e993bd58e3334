/**
 * The process's logs: pino, one JSON object a line (or readable lines in development). What is
 * written is decided here and in the request log (src/graphql/observation.ts): never a token, a
 * request's variables or query text, nor a response body; a request is named by its id, its
 * user by id and roles.
 */
import pino from 'pino';
import type { ObservabilitySettings } from '../config';

export type Logger = pino.Logger;

/**
 * A logger at `settings.logLevel`, writing to `destination` (default: stdout, synchronously, so
 * nothing is lost when the process exits). `pretty` needs pino-pretty (a development
 * dependency); without it the lines stay JSON.
 */
export function createLogger(settings: Pick<ObservabilitySettings, 'logLevel' | 'logFormat'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: settings.logLevel,
    base: { pid: process.pid },
    // Belt and braces: should a caller ever hand one of these over, it is not written.
    redact: { paths: ['authorization', 'headers.authorization', 'req.headers.authorization', 'token', 'variables', 'body'], remove: true },
  };
  if (destination) return pino(options, destination);
  if (settings.logFormat === 'pretty') {
    const pretty = loadPretty();
    if (pretty) return pino(options, pretty({ destination: 1, sync: true, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }));
  }
  return pino(options, pino.destination({ dest: 1, sync: true }));
}

type PrettyFactory = (options: Record<string, unknown>) => pino.DestinationStream;

/** pino-pretty when installed (development), else null. */
function loadPretty(): PrettyFactory | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    return require('pino-pretty') as PrettyFactory;
  } catch {
    return null;
  }
}

let processLogger: Logger | undefined;

/** The logger of the process (set by src/main.ts; until then JSON at `info` on stdout). */
export function processLog(): Logger {
  return (processLogger ??= createLogger({ logLevel: 'info', logFormat: 'json' }));
}

/** Makes `logger` the process's logger (src/main.ts at start; the test harness, to capture). */
export function setProcessLogger(logger: Logger): void {
  processLogger = logger;
}
