/**
 * The error vocabulary of the README: every error a client sees carries one of these codes and
 * a plain-English message. Its home is here, below every layer that throws them (authz refuses
 * with FORBIDDEN, db turns a unique violation into CONFLICT, the access log answers UNAVAILABLE);
 * src/graphql/errors.ts re-exports them and formats what leaves the server.
 */
import { HeaderMap } from '@apollo/server';
import { GraphQLError } from 'graphql';

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

/** 429: this user's requests come too fast; `Retry-After` says when to try again (src/graphql/rate-limit.ts). */
export function rateLimited(seconds: number): GraphQLError {
  return appError('RATE_LIMITED', `Too many requests: retry after ${seconds} s.`, { retryAfter: seconds, http: { status: 429, headers: new HeaderMap([['retry-after', String(seconds)]]) } });
}

/** What UNAVAILABLE says, also where the database's own error is masked (src/graphql/errors.ts, `formatError`). */
export const UNAVAILABLE_MESSAGE = 'The service is busy or its database is unavailable. Please try again shortly.';

/** 503: the database cannot serve now (down, restarting, pool exhausted, statement timeout); retry. */
export function unavailable(): GraphQLError {
  return appError('UNAVAILABLE', UNAVAILABLE_MESSAGE, { http: { status: 503, headers: new HeaderMap([['retry-after', '2']]) } });
}

/** 503: the request ran past its execution deadline (REQUEST_TIMEOUT_MS) and was stopped; nothing it did stays. */
export function timedOut(limitMs: number): GraphQLError {
  return appError('TIMEOUT', `The request took longer than its limit of ${limitMs / 1000} s and was stopped; nothing was changed. Ask for less (a smaller page, fewer fields) or try again later.`, { limitMs, http: { status: 503 } });
}
