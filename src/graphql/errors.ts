/**
 * The error vocabulary of the README. Every error a client sees carries one of these codes and
 * a plain-English message; nothing else (no stack, SQL, table or constraint names) leaves
 * the server: `formatError` replaces anything unexpected by INTERNAL_SERVER_ERROR. The codes
 * and their constructors live in src/domain/errors.ts (authz, db and the access log throw them
 * too) and are re-exported here.
 */
import { GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/availability';
import { UNAVAILABLE_MESSAGE } from '../domain/errors';

export {
  appError, badInput, conflict, forbidden, notFound, rateLimited, timedOut, unauthenticated, unavailable, UNAVAILABLE_MESSAGE,
} from '../domain/errors';
export type { ErrorCode } from '../domain/errors';

const CODES = new Set<string>([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'INVALID_TRANSITION',
  'CONSENT_REQUIRED', 'NOT_ELIGIBLE', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'INTERNAL_SERVER_ERROR',
]);

/** Apollo built-in codes for bad documents or variables; all are the client's input. */
const CLIENT_INPUT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/** graphql-js appends "Did you mean …?" to some messages; in production that leaks schema names. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * The code a client sees for an error, from the code it carries (`code`, Apollo's default for
 * one without is INTERNAL_SERVER_ERROR) and the error itself: ours stay, Apollo's client-input
 * codes become BAD_USER_INPUT, a database that cannot serve UNAVAILABLE, anything else
 * INTERNAL_SERVER_ERROR. `formatError` answers with it; the request log (./observation.ts)
 * records it and logs the unexpected ones.
 */
export function publicCode(code: string, error: unknown): string {
  if (CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') return code;
  if (CLIENT_INPUT_CODES.has(code)) return 'BAD_USER_INPUT';
  if (isDatabaseUnavailable(error)) return 'UNAVAILABLE';
  return 'INTERNAL_SERVER_ERROR';
}

/**
 * Apollo `formatError`: keeps our coded errors, maps Apollo's own client-input codes to
 * BAD_USER_INPUT, and masks everything else (a bug, a database error) as
 * INTERNAL_SERVER_ERROR (logged with the request's id by ./observation.ts). In production it also
 * strips "Did you mean" suggestions, which Apollo only removes from validation errors, not
 * from errors about variable values.
 */
export function createFormatError(options: { production: boolean }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const result = formatError(formatted, error);
    return options.production ? { ...result, message: result.message.replace(SUGGESTION, '') } : result;
  };
}

function formatError(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const carried = String(formatted.extensions?.code ?? '');
  const code = publicCode(carried, error);
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (code === carried && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _stack, exception: _exception, http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions: { ...extensions, code } };
  }
  // Apollo's own codes for a bad document or bad variables.
  if (code === 'BAD_USER_INPUT') return { ...base, extensions: { code } };
  // Not a bug: the database is down, restarting or too busy (the response becomes a 503: server.ts).
  if (code === 'UNAVAILABLE') return { ...base, message: UNAVAILABLE_MESSAGE, extensions: { code } };
  return { ...base, message: 'Something went wrong on our side. Please try again later.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
