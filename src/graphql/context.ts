import { DataSource } from 'typeorm';
import type { AccessRecorder } from '../audit/access-recorder';
import type { AppAbility } from '../authz/ability';
import type { Actor } from '../authz/actor';
import type { Config } from '../config';
import type { Clock } from '../domain/clock';
import type { Logger } from '../observability/logger';
import type { Loaders } from './loaders';
import type { UnitOfWork } from './unit-of-work';

/** Everything a resolver may use, built once per request. */
export interface Context {
  requestId: string;
  actor: Actor;
  ability: AppAbility;
  /** The request's stand-in for the DataSource: inside a mutation, one transaction (./unit-of-work.ts). */
  dataSource: DataSource;
  /** The request's unit of work: a mutation's changes and its access-log entries commit together. */
  unitOfWork?: UnitOfWork;
  loaders: Loaders;
  config: Config;
  clock: Clock;
  /**
   * The request's calendar day (YYYY-MM-DD, Europe/Amsterdam), taken from the clock once when the
   * request starts: the ability, consent validity, due dates and the access log's grounds all
   * use this one day, also for a request that straddles midnight.
   */
  today: string;
  /** Collects this request's access-log entries (written before the request commits, src/audit/access-log.ts). */
  access?: AccessRecorder;
  /**
   * Set while the compiled execution (./compiled-execution.ts) runs the root fields: it loads the
   * relations below their rows itself, from the plan it checked before they ran, so the root
   * field's guard (./schema.ts) does not prefetch them.
   */
  compiledRead?: boolean;
  /** The process's logger with this request's id (src/observability/logger.ts): never log variables or answers. */
  log: Logger;
}
