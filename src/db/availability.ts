/** When the database cannot serve: told apart from a bad request, so the client may retry. */

/**
 * SQLSTATEs (and pg-pool messages) that say the database cannot serve right now, not that the
 * request was wrong: the server answers 503 with Retry-After, and the client may retry.
 * 57014 query_canceled (statement_timeout), 57P01–57P03 shutdown and cannot-connect-now,
 * 08xxx connection exceptions, 53300 too_many_connections.
 */
const UNAVAILABLE_CODES = /^(57014|57P0[1-3]|08\w{3}|53300)$/;
const UNAVAILABLE_MESSAGES = /timeout exceeded when trying to connect|Connection terminated|ECONNREFUSED|ECONNRESET|connect ETIMEDOUT|Client has encountered a connection error|the database system is (starting up|shutting down)|is not currently accepting connections/i;

/** Whether `error` (or what caused it) says the database is unavailable or too busy. */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let e = error as { code?: unknown; message?: unknown; driverError?: unknown; originalError?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && UNAVAILABLE_CODES.test(e.code)) return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGES.test(e.message)) return true;
    e = (e.driverError ?? e.originalError ?? e.cause) as typeof e;
  }
  return false;
}
