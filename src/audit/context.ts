/**
 * What the access log needs of a request, declared here so that the log does not import the
 * layer above it: src/graphql/context.ts provides it (its `Context` is one).
 */
import type { DataSource } from 'typeorm';
import type { Actor } from '../authz/actor';
import type { Clock } from '../domain/clock';
import type { AccessRecorder } from './access-recorder';
import type { CommittingUnit } from './access-log-writer';

/** The request as the access log sees it. */
export interface AccessLogContext {
  requestId: string;
  actor: Actor;
  dataSource: DataSource;
  clock: Clock;
  /** The request's calendar day (YYYY-MM-DD, Europe/Amsterdam): the grounds' consents hold on it. */
  today: string;
  /** Collects this request's access-log entries. */
  access?: AccessRecorder;
  /** The request's unit of work: the entries are sent with its COMMIT (./access-log-writer.ts). */
  unitOfWork?: CommittingUnit;
}
