/**
 * What the access log needs of a request, declared here so that the log does not import the
 * layer above it: src/graphql/context.ts provides it (its `Context` is one), and
 * src/graphql/unit-of-work.ts the transaction.
 */
import type { GraphQLError } from 'graphql';
import type { DataSource } from 'typeorm';
import type { Actor } from '../authz/actor';
import type { Clock } from '../domain/clock';
import type { AccessRecorder } from './access-recorder';

/** The request's transaction: a mutation's changes and its access-log entries commit together. */
export interface AccessLogTransaction {
  /** Whether the request ran past its deadline (and must answer TIMEOUT, changing nothing). */
  readonly expired: boolean;
  /** The TIMEOUT error once expired (its `limitMs` in the extensions). */
  readonly timeoutError: GraphQLError | null;
  begin(partnershipId: string): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  release(): Promise<void>;
}

/** The request as the access log sees it. */
export interface AccessLogContext {
  requestId: string;
  actor: Actor;
  dataSource: DataSource;
  unitOfWork?: AccessLogTransaction;
  clock: Clock;
  /** The request's calendar day (YYYY-MM-DD, Europe/Amsterdam): the grounds' consents hold on it. */
  today: string;
  /** Collects this request's access-log entries. */
  access?: AccessRecorder;
}
