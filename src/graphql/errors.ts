/**
 * The error vocabulary of the README. Every error a client sees carries one of these codes and
 * a plain-English message; nothing else (no stack, SQL, table or constraint names) leaves
 * the server: `formatError` replaces anything unexpected by INTERNAL_SERVER_ERROR.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError, GraphQLFormattedError } from 'graphql';
import { isDatabaseUnavailable } from '../db/availability';

export type ErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'BAD_USER_INPUT'
  | 'CONFLICT'
  | 'INVALID_TRANSITION'
  | 'CONSENT_REQUIRED'
  | 'NOT_ELIGIBLE'
  | 'QUERY_TOO_COMPLEX'
  | 'RATE_LIMITED'
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'INTERNAL_SERVER_ERROR';

const CODES = new Set<string>([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'BAD_USER_INPUT', 'CONFLICT', 'INVALID_TRANSITION',
  'CONSENT_REQUIRED', 'NOT_ELIGIBLE', 'QUERY_TOO_COMPLEX', 'RATE_LIMITED', 'UNAVAILABLE', 'TIMEOUT', 'INTERNAL_SERVER_ERROR',
]);

/** An error meant for the client, with a stable code. */
export function appError(code: ErrorCode, message: string, extensions: Record<string, unknown> = {}): GraphQLError {
  return new GraphQLError(message, { extensions: { ...extensions, code } });
}

/**
 * "Not found", for a record that does not exist and for one the caller may not see: the
 * two must be indistinguishable (AVG rule 2, src/authz/README.md), so the message names only the kind.
 */
export function notFound(kind: string): GraphQLError {
  return appError('NOT_FOUND', `${kind} not found.`);
}

/** Bad input, naming the offending field (`input.brinCode`, `first`, …). */
export function badInput(field: string, message: string): GraphQLError {
  return appError('BAD_USER_INPUT', message, { field });
}

export function forbidden(message = 'You are not allowed to do this.'): GraphQLError {
  return appError('FORBIDDEN', message);
}

export function conflict(message: string): GraphQLError {
  return appError('CONFLICT', message);
}

/** 401: no usable identity. Thrown from the context, so no operation runs. */
export function unauthenticated(message = 'A valid bearer token is required.'): GraphQLError {
  return appError('UNAUTHENTICATED', message, { http: { status: 401 } });
}

/** 429: this user's requests come too fast; `Retry-After` says when to try again (./rate-limit.ts). */
export function rateLimited(seconds: number): GraphQLError {
  return appError('RATE_LIMITED', `Too many requests: retry after ${seconds} s.`, { retryAfter: seconds, http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) } });
}

const UNAVAILABLE_MESSAGE = 'The service is busy or its database is unavailable. Please try again shortly.';

/** 503: the database cannot serve now (down, restarting, pool exhausted, statement timeout); retry. */
export function unavailable(): GraphQLError {
  return appError('UNAVAILABLE', UNAVAILABLE_MESSAGE, { http: { status: 503, headers: new HeaderMap([['retry-after', '2']]) } });
}

/** 503: the request ran past its execution deadline (REQUEST_TIMEOUT_MS) and was stopped; nothing it did stays. */
export function timedOut(limitMs: number): GraphQLError {
  return appError('TIMEOUT', `The request took longer than its limit of ${limitMs / 1000} s and was stopped; nothing was changed. Ask for less (a smaller page, fewer fields) or try again later.`, { limitMs, http: { status: 503 } });
}

/** Apollo built-in codes for bad documents or variables; all are the client's input. */
const CLIENT_INPUT_CODES = new Set(['GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_USER_INPUT', 'BAD_REQUEST', 'PERSISTED_QUERY_NOT_FOUND', 'PERSISTED_QUERY_NOT_SUPPORTED', 'OPERATION_RESOLUTION_FAILURE']);

/** graphql-js appends "Did you mean …?" to some messages; in production that leaks schema names. */
const SUGGESTION = / ?Did you mean [^?]*\?/g;

/**
 * Apollo `formatError`: keeps our coded errors, maps Apollo's own client-input codes to
 * BAD_USER_INPUT, and masks everything else (a bug, a database error) as
 * INTERNAL_SERVER_ERROR after logging it with the request's path. In production it also
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
  const code = String(formatted.extensions?.code ?? '');
  const base = { message: formatted.message, locations: formatted.locations, path: formatted.path };
  if (CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR') {
    const { stacktrace: _stack, exception: _exception, http: _http, ...extensions } = formatted.extensions ?? {};
    return { ...base, extensions: { ...extensions, code } };
  }
  if (CLIENT_INPUT_CODES.has(code)) {
    return { ...base, extensions: { code: 'BAD_USER_INPUT' } };
  }
  if (isDatabaseUnavailable(error)) {
    // Not a bug: the database is down, restarting or too busy (the response becomes a 503: server.ts).
    return { ...base, message: UNAVAILABLE_MESSAGE, extensions: { code: 'UNAVAILABLE' } };
  }
  console.error('[graphql] internal error at', formatted.path?.join('.') ?? '(operation)', error);
  return { ...base, message: 'Something went wrong on our side. Please try again later.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
}
