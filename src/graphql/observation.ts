/**
 * What each request to `/graphql` leaves for the operator: ONE log line, its metrics and, when
 * tracing is on, its span (src/observability). The Express middleware (first on `/graphql`,
 * before the rate limit) gives the request its id and starts the clock, the SQL statement count
 * and the span; the context function adds the user, the Apollo plugin the operation and the
 * error codes of the answer; when the answer has gone, the line is written and the metrics
 * observed, also for a request refused before it reached Apollo (429, 401, a body that cannot
 * be read).
 *
 * The line carries the request id, user id and roles, operation name and type, duration, SQL
 * statements, HTTP status and outcome (OK or the error codes). Never the token, the variables,
 * the query text or the answer: they may carry personal data.
 */
import { randomUUID } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import type { NextFunction, Request, Response } from 'express';
import { StatementScope, statementCounter } from '../db/data-source';
import type { Logger } from '../observability/logger';
import { observeRequest } from '../observability/metrics';
import { RequestSpan, startRequestSpan } from '../observability/tracing';
import type { Actor } from '../authz/actor';
import type { Context } from './context';
import { publicCode } from './errors';

/** A client's `X-Request-Id` is used when it looks like one; otherwise the server makes one. */
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * One request as it is observed. It is also the request's SQL statement scope (`count`,
 * src/db/data-source.ts): the one AsyncLocalStorage store of the request.
 */
export class RequestObservation implements StatementScope {
  /** SQL statements so far (counted by the data source's logger). */
  count = 0;
  readonly started = process.hrtime.bigint();
  userId?: string;
  roles?: string[];
  /** The operation's name, null when anonymous; undefined when none was resolved (a bad document). */
  operationName?: string | null;
  operationType?: string;
  /** Which executor answered the operation (./compiled-execution.ts); undefined when none ran. */
  executor?: 'compiled' | 'graphql-js' | 'fallback';
  /** The codes of the answer's errors (empty: OK); undefined when Apollo did not answer. */
  codes?: string[];

  constructor(readonly requestId: string, readonly span: RequestSpan | null) {}
}

/** The request being observed (in the context function and Apollo's hooks). */
export function observation(): RequestObservation | undefined {
  const scope = statementCounter.getStore();
  return scope instanceof RequestObservation ? scope : undefined;
}

/** Outcomes of requests Apollo did not answer, from their status (429 from the rate limit, 413/400 from the body parser). */
function codeOfStatus(status: number): string | null {
  if (status < 400) return null;
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 429) return 'RATE_LIMITED';
  if (status === 503) return 'UNAVAILABLE';
  return status < 500 ? 'BAD_USER_INPUT' : 'INTERNAL_SERVER_ERROR';
}

/** Outcomes that are the server's failure (the span's status ERROR); the rest are the client's or none. */
const SERVER_FAILURES = new Set(['INTERNAL_SERVER_ERROR', 'UNAVAILABLE', 'TIMEOUT']);

/** Operation names become a metric label: a client sending ever new names must not grow the series without bound. */
const MAX_OPERATION_LABELS = 200;
const operationLabels = new Set<string>();
function operationLabel(name: string | null | undefined): string {
  if (name === undefined) return '(none)';
  if (name === null) return '(anonymous)';
  if (operationLabels.has(name)) return name;
  if (operationLabels.size >= MAX_OPERATION_LABELS) return '(other)';
  operationLabels.add(name);
  return name;
}

/** Express middleware, first on `/graphql`: observes the request until its answer has gone. */
export function observeRequests(log: Logger) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const header = req.headers['x-request-id'];
    const requestId = typeof header === 'string' && REQUEST_ID.test(header) ? header : randomUUID();
    const observed = new RequestObservation(requestId, startRequestSpan(req.headers));
    res.setHeader('x-request-id', requestId);
    res.once('close', () => finish(log, observed, res.statusCode));
    if (observed.span) observed.span.run(() => statementCounter.run(observed, next));
    else statementCounter.run(observed, next);
  };
}

function finish(log: Logger, o: RequestObservation, status: number): void {
  const seconds = Number(process.hrtime.bigint() - o.started) / 1e9;
  const fallback = codeOfStatus(status);
  const codes = o.codes ?? (fallback ? [fallback] : []);
  const outcome = codes[0] ?? 'OK';
  const type = o.operationType ?? 'none';
  observeRequest({ operation: operationLabel(o.operationName), type, outcome }, seconds, o.count);
  o.span?.end(`${type} ${o.operationName ?? (o.operationName === null ? '(anonymous)' : '/graphql')}`, {
    'graphql.operation.type': type,
    ...(o.operationName ? { 'graphql.operation.name': o.operationName } : {}),
    'http.response.status_code': status,
    'toptrajecten.outcome': outcome,
    'toptrajecten.sql_statements': o.count,
    'toptrajecten.request_id': o.requestId,
  }, SERVER_FAILURES.has(outcome));
  const line = {
    requestId: o.requestId,
    userId: o.userId ?? null,
    roles: o.roles ?? [],
    operation: o.operationName ?? null,
    operationType: o.operationType ?? null,
    durationMs: Math.round(seconds * 10_000) / 10,
    sqlStatements: o.count,
    ...(o.executor ? { executor: o.executor } : {}),
    status,
    outcome,
    ...(codes.length > 1 ? { codes } : {}),
  };
  if (status >= 500) log.warn(line, 'request');
  else log.info(line, 'request');
}

/** The caller, once known (the context function). */
export function noteActor(actor: Actor): void {
  const o = observation();
  if (!o) return;
  o.userId = actor.userId;
  o.roles = [...new Set(actor.memberships.map((m) => String(m.role)))].sort();
}

/**
 * A request that failed before Apollo ran it (in the context function: no token, rate limited,
 * the database away): its code for the line; logged when it was unexpected.
 */
function noteContextFailure(log: Logger, error: unknown): void {
  const carried = String((error as { extensions?: { code?: unknown } })?.extensions?.code ?? '');
  const code = publicCode(carried, error);
  const o = observation();
  if (o) o.codes = [code];
  if (code === 'INTERNAL_SERVER_ERROR') log.error({ requestId: o?.requestId, err: error }, 'the request could not be prepared (authentication or actor)');
}

/** The Apollo plugin: the operation, the answer's error codes, and unexpected errors logged with the request's id. */
export function observationPlugin(log: Logger): ApolloServerPlugin<Context> {
  return {
    async contextCreationDidFail({ error }) {
      noteContextFailure(log, error);
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, operationName }) {
          const o = observation();
          if (!o || !operation) return;
          o.operationType = operation.operation;
          o.operationName = operationName ?? null;
        },
        async didEncounterErrors({ errors, contextValue }) {
          for (const error of errors) {
            if (publicCode(String(error.extensions?.code ?? ''), error) !== 'INTERNAL_SERVER_ERROR') continue;
            contextValue.log.error({ err: error.originalError ?? error, path: error.path?.join('.') ?? null }, 'internal error');
          }
        },
        async willSendResponse({ response }) {
          const o = observation();
          if (!o || response.body.kind !== 'single') return;
          o.codes = [...new Set((response.body.singleResult.errors ?? []).map((e) => String(e.extensions?.code ?? 'INTERNAL_SERVER_ERROR')))];
        },
      };
    },
  };
}
