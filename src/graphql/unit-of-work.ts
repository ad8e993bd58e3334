/**
 * A request is one unit of work: one transaction on one connection, bound to the caller's
 * partnership (row-level security, src/db/tenancy.ts). Everything a mutation writes, and its
 * access-log entries, commit together or not at all (AVG rule 5: "if the entry cannot be
 * written, the data is not returned" — and for a change, the change does not stay either); a
 * query's reads (READ COMMITTED, as every transaction here) and its log entries run in it too.
 *
 * - Every request gets a `UnitOfWork`; `ctx.dataSource` is its `dataSource`, a stand-in for the
 *   application's DataSource. Before the unit begins it IS that DataSource, whose connections
 *   see no tenant rows at all.
 * - Its plugin (`unitOfWorkPlugin`, below) calls `begin()` when execution starts: from then on
 *   the stand-in sends `getRepository`, `query`, `createQueryBuilder`, `transaction` and `manager` to one
 *   connection inside one transaction. A service's own `ctx.dataSource.transaction(...)` becomes
 *   a savepoint within it (TypeORM nests with SAVEPOINT), so services need not know.
 * - Each mutation root field runs in a savepoint of its own (`savepoint`, applied by
 *   `withinUnitOfWork`, which src/graphql/schema.ts puts on every root field): a field that fails leaves nothing behind and the
 *   transaction usable, so the other fields and the log still commit, as they did when each
 *   service committed on its own.
 * - After execution the plugin runs its before-commit steps (the access log, src/audit) through
 *   the stand-in and calls `commit()`; if either fails it calls `rollback()` and the response
 *   carries no data. `release()` in the plugin's last hook makes sure a connection never
 *   outlives its request.
 * Every statement of a request runs on the unit's one connection, so a burst of
 * concurrent requests never waits for a second connection while holding a first; statements
 * issued at the same time (DataLoader batches of the answer) are queued on it, one at a time.
 *
 * A request has a deadline (REQUEST_TIMEOUT_MS): past it no statement starts and no field
 * resolves, the statement running on the connection is cancelled, and the plugin rolls the
 * whole request back and answers TIMEOUT alone.
 *
 * TypeORM's public API has no way to ask a query runner its savepoint depth, nor to release a
 * broken connection without returning it to the pool: `RunnerInternals` below names the two
 * internals the unit relies on, in this one place. Each statement is also bounded by PostgreSQL's
 * statement_timeout.
 *
 * The unit keeps track of its own savepoint depth. If code inside a root field leaves the
 * transaction at another depth than it found it (a failed SAVEPOINT makes TypeORM unwind one
 * level too many), the unit is BROKEN: it refuses every further statement and the request ends
 * in a rollback, never in a partial commit. Row locks taken by a mutation (e.g. the caseload
 * assignment's team locks) are held until the request commits, after its answer is resolved.
 */
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import type { GraphQLError, GraphQLResolveInfo } from 'graphql';
import type { Context } from './context';
import { isDatabaseUnavailable } from '../db/availability';
import { startTenantTransactionSql } from '../db/tenancy';
import { inSpan, tracingOn } from '../observability/tracing';
import { timedOut, unavailable } from './errors';
import { assertOperationPolicy } from './policy';

/** DataSource members that, inside a unit, go to the unit's transaction. */
const ROUTED = new Set<PropertyKey>(['getRepository', 'getTreeRepository', 'query', 'createQueryBuilder', 'transaction']);

/** What TypeORM keeps private about a Postgres query runner and the unit needs. */
interface RunnerInternals {
  transactionDepth: number;
  releasePostgresConnection?(error?: unknown): Promise<void>;
}

const depthOf = (runner: QueryRunner): number => (runner as unknown as RunnerInternals).transactionDepth;

/** A request's execution deadline (REQUEST_TIMEOUT_MS). */
export interface Deadline {
  /** Epoch milliseconds after which nothing more of the request runs. */
  at: number;
  limitMs: number;
  /** Cancels the statement running on backend `pid`, from another connection. */
  cancel(pid: number): Promise<unknown>;
}

export class UnitOfWork {
  private runner: QueryRunner | null = null;
  /** The text the next START TRANSACTION is sent as (with the tenant binding), set by `begin`. */
  private startAs: string | undefined;
  /** A statement sent in one text with the COMMIT (the access log's append), set by `commitWith`. */
  private atCommit: { statement: string; written: (seconds: number) => void } | undefined;
  /** Set while `commit` asks TypeORM to commit: the text it sends must be the COMMIT. */
  private committing = false;
  /** Set once the deadline has passed: no statement starts and no field resolves any more. */
  private expiredError: GraphQLError | null = null;
  private timer: NodeJS.Timeout | undefined;
  /** Statements sent on the unit's connection and not yet answered (0 or 1: they are queued). */
  private inFlight = 0;
  /** Set when the transaction is no longer where the unit left it: nothing more may run or commit. */
  private broken: Error | null = null;
  /** Set when the transaction could not begin: nothing of the request may reach the database. */
  private unbegun: Error | null = null;
  /** The stand-in for the DataSource that resolvers and services use (`ctx.dataSource`). */
  readonly dataSource: DataSource;

  constructor(private readonly base: DataSource, private readonly deadline?: Deadline) {
    this.dataSource = new Proxy(base, {
      get: (target, property) => {
        const manager: EntityManager | undefined = this.runner?.manager;
        if (this.unbegun && (ROUTED.has(property) || property === 'manager' || property === 'createQueryRunner')) throw this.unbegun;
        if (manager) {
          if (this.broken) throw this.broken;
          if (property === 'manager') return manager;
          if (property === 'transaction') {
            return (...args: unknown[]) => {
              if (typeof args[0] === 'string') {
                throw new Error('A mutation runs in one transaction: an isolation level for a nested one would be ignored; set it for the request instead.');
              }
              return (manager.transaction as (...a: unknown[]) => unknown).apply(manager, args);
            };
          }
          if (ROUTED.has(property)) {
            const member = (manager as unknown as Record<PropertyKey, unknown>)[property] as (...args: unknown[]) => unknown;
            return member.bind(manager);
          }
          if (property === 'createQueryRunner') {
            return () => {
              throw new Error('A mutation runs on its unit of work: open a transaction with ctx.dataSource.transaction instead of a second connection.');
            };
          }
        }
        return Reflect.get(target, property, target);
      },
    });
  }

  /** Whether the request ran past its deadline (and must answer TIMEOUT, changing nothing). */
  get expired(): boolean {
    return this.expiredError !== null || (this.deadline !== undefined && Date.now() > this.deadline.at);
  }

  /** Throws TIMEOUT once the deadline has passed: checked before every statement and every field. */
  checkDeadline(): void {
    if (!this.deadline) return;
    if (!this.expiredError && Date.now() <= this.deadline.at) return;
    throw (this.expiredError ??= timedOut(this.deadline.limitMs));
  }

  /** The answer of an expired request. */
  get timeoutError(): GraphQLError | null {
    return this.expired && this.deadline ? (this.expiredError ??= timedOut(this.deadline.limitMs)) : null;
  }

  /** Whether a transaction is open. */
  get active(): boolean {
    return this.runner !== null;
  }

  /**
   * Opens the request's transaction on one connection, bound to the caller's partnership: row-level
   * security shows and accepts that partnership's rows only (src/db/tenancy.ts).
   */
  async begin(partnershipId: string): Promise<void> {
    if (this.runner) return;
    const runner = this.base.createQueryRunner();
    try {
      await runner.connect();
      this.serialiseQueries(runner);
      this.armDeadline(runner);
      // TypeORM's START TRANSACTION carries the tenant binding: one round trip, not two.
      this.startAs = startTenantTransactionSql(partnershipId);
      await runner.startTransaction();
    } catch (error) {
      this.unbegun = error instanceof Error ? error : new Error(String(error));
      await runner.release();
      throw error;
    }
    this.broken = null;
    this.runner = runner;
  }

  /** Runs `fn` in a savepoint: undone (and rethrown) if it throws, kept otherwise. Outside a unit, just runs it. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const runner = this.runner;
    if (!runner) return fn();
    if (this.broken) throw this.broken;
    const depth = depthOf(runner) + 1;
    try {
      await runner.startTransaction();
    } catch (error) {
      this.break(depth);
      throw error;
    }
    let result: T;
    try {
      result = await fn();
    } catch (error) {
      if (depthOf(runner) === depth && runner.isTransactionActive) await runner.rollbackTransaction();
      else this.break(depth);
      throw error;
    }
    if (depthOf(runner) !== depth || !runner.isTransactionActive) {
      this.break(depth);
      throw this.broken;
    }
    await runner.commitTransaction();
    return result;
  }

  /**
   * Queues the statements issued on `runner` so one connection runs them one at a time, and
   * refuses to start one past the deadline.
   */
  private serialiseQueries(runner: QueryRunner): void {
    const query = runner.query.bind(runner);
    let tail: Promise<unknown> = Promise.resolve();
    runner.query = ((...args: Parameters<QueryRunner['query']>) => {
      if (args[0] === 'START TRANSACTION' && this.startAs) {
        args[0] = this.startAs;
        this.startAs = undefined;
      } else if (this.committing && this.atCommit) {
        // What goes with the COMMIT (the access log) must never be left behind: a commit sent as
        // any other text than the one expected is refused, before it reaches the database.
        if (args[0] !== 'COMMIT') {
          return Promise.reject(new Error(`Expected TypeORM to send COMMIT, not "${String(args[0]).slice(0, 40)}": the statement that goes with it would be left out, so nothing commits.`));
        }
        // One text, run in order: when the statement fails, PostgreSQL skips the COMMIT.
        args[0] = `${this.atCommit.statement};\nCOMMIT`;
      }
      const run = tail.then(async () => {
        // ROLLBACK must still run after the deadline; nothing else may start.
        if (args[0] !== 'ROLLBACK') this.checkDeadline();
        this.inFlight++;
        try {
          return await query(...args);
        } finally {
          this.inFlight--;
        }
      });
      tail = run.catch(() => undefined);
      return run;
    }) as QueryRunner['query'];
  }

  /** At the deadline, cancels the statement the unit's connection is running (statement_timeout bounds each one; this bounds the request). */
  private armDeadline(runner: QueryRunner): void {
    if (!this.deadline) return;
    const { cancel } = this.deadline;
    const pid = (runner as unknown as { databaseConnection?: { processID?: number } }).databaseConnection?.processID;
    this.timer = setTimeout(() => {
      if (!this.deadline) return;
      this.expiredError ??= timedOut(this.deadline.limitMs);
      if (this.inFlight > 0 && pid) cancel(pid).catch(() => undefined);
    }, Math.max(0, this.deadline.at - Date.now()));
    this.timer.unref();
  }

  private break(expected: number): void {
    this.broken ??= new Error(`The request's transaction is no longer at savepoint depth ${expected}: it is rolled back as a whole.`);
  }

  /**
   * Sends `statement` with the request's COMMIT, in one text and one round trip (the access log's
   * append, src/audit/access-log-writer.ts): it runs right before the COMMIT, and when it fails
   * nothing commits. `written` is told the seconds both took once they ran. One per request.
   */
  commitWith(statement: string, written: (seconds: number) => void): void {
    if (!this.runner || !this.runner.isTransactionActive) throw new Error('There is no open transaction to send the statement with.');
    if (this.atCommit) throw new Error('The request sends a statement with its COMMIT already.');
    this.atCommit = { statement, written };
  }

  /** Commits the request's transaction (with the statement given to `commitWith`, if any) and gives the connection back. */
  async commit(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    try {
      if (this.broken) throw this.broken;
      if (depthOf(runner) !== 1 || !runner.isTransactionActive) {
        this.break(1);
        throw this.broken;
      }
      const withCommit = this.atCommit;
      const started = process.hrtime.bigint();
      this.committing = true;
      try {
        await runner.commitTransaction();
      } finally {
        this.committing = false;
      }
      withCommit?.written(Number(process.hrtime.bigint() - started) / 1e9);
    } finally {
      await this.release();
    }
  }

  /** Undoes the request's transaction (if open) and gives the connection back. */
  async rollback(): Promise<void> {
    await this.release();
  }

  /**
   * Gives the connection back, rolling the whole transaction back if it is still open (a plain
   * ROLLBACK, whatever the depth). A connection that cannot be rolled back is destroyed, not
   * returned to the pool.
   */
  async release(): Promise<void> {
    clearTimeout(this.timer);
    const runner = this.runner;
    this.runner = null;
    // Not committed: what was to be sent with the COMMIT goes with it.
    this.atCommit = undefined;
    if (!runner || runner.isReleased) return;
    let failure: unknown;
    if (runner.isTransactionActive) {
      try {
        await runner.query('ROLLBACK');
      } catch (error) {
        failure = error;
      }
    }
    const internals = runner as unknown as RunnerInternals;
    if (failure && internals.releasePostgresConnection) await internals.releasePostgresConnection(failure);
    else await runner.release();
  }
}

/**
 * A Query or Mutation root field: it does not start past the request's deadline, without a
 * declared policy, or with a filter on a field the caller may not read (./policy.ts); a mutation
 * root field runs in a savepoint of the request's unit of work. (The other fields check the
 * deadline in the field guard, src/graphql/schema.ts.)
 */
export async function withinUnitOfWork(context: Context, info: GraphQLResolveInfo, args: Record<string, unknown>, resolve: () => unknown): Promise<unknown> {
  context.unitOfWork?.checkDeadline();
  assertOperationPolicy(info, context.ability, args);
  // A span per root field when tracing is on: its statements become its children.
  if (tracingOn()) return inSpan(`${info.parentType.name}.${info.fieldName}`, { 'graphql.field.path': String(info.path.key) }, () => withinSavepoint(context, info, resolve));
  return withinSavepoint(context, info, resolve);
}

async function withinSavepoint(context: Context, info: GraphQLResolveInfo, resolve: () => unknown): Promise<unknown> {
  if (info.parentType !== info.schema.getMutationType() || !context.unitOfWork?.active) return resolve();
  try {
    return await context.unitOfWork.savepoint(() => Promise.resolve(resolve()));
  } catch (error) {
    // What this field's loaders saw was undone with it: later fields start from the database.
    context.loaders.clear();
    throw error;
  }
}

/** A step that runs inside the request's transaction after execution, before it commits (the access log). */
export type BeforeCommit = (requestContext: GraphQLRequestContext<Context>) => Promise<void>;

const WITHHELD = { message: 'Something went wrong on our side. Please try again later.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

/** The answer becomes `error` alone, without data: 500 when withheld, 503 when the database or the deadline stopped it. */
function withhold(requestContext: GraphQLRequestContext<Context>, error: { message: string; extensions: Record<string, unknown> }): void {
  requestContext.response.body = { kind: 'single', singleResult: { errors: [error] } };
  requestContext.response.http.status = error === WITHHELD ? 500 : 503;
}

/** Past the deadline: nothing the request did stays, and it answers TIMEOUT alone. */
async function timeOut(requestContext: GraphQLRequestContext<Context>, unitOfWork: UnitOfWork): Promise<void> {
  await unitOfWork.rollback();
  const timeout = unitOfWork.timeoutError!;
  withhold(requestContext, { message: timeout.message, extensions: { code: 'TIMEOUT', limitMs: timeout.extensions.limitMs } });
}

/**
 * The owner of the request's transaction: begins it, bound to the caller's partnership, when
 * execution starts; after execution runs `beforeCommit` (the access log) inside it and commits;
 * rolls back and withholds the answer when any of that fails (no log, no data), when execution
 * itself failed, or when the deadline passed; releases the connection before the response
 * leaves. Apollo runs the `executionDidEnd` hooks of different plugins concurrently, so the steps
 * that must precede the commit are given to this plugin rather than being plugins of their own.
 */
export function unitOfWorkPlugin(beforeCommit: readonly BeforeCommit[]): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse(requestContext) {
          // Never let a connection outlive its request (normally committed or rolled back already).
          await requestContext.contextValue.unitOfWork?.release();
        },
        async executionDidStart(startContext) {
          const unitOfWork = startContext.contextValue.unitOfWork;
          // If it cannot begin, every statement of the request fails with it, and the answer is
          // that error alone (an error thrown from this hook would become an unformatted 500).
          const unbegun = await unitOfWork?.begin(startContext.contextValue.actor.partnershipId).then(() => null, (error: unknown) => error);
          return {
            async executionDidEnd(executionError) {
              const requestContext = startContext as unknown as GraphQLRequestContext<Context>;
              if (!unitOfWork) return;
              if (unitOfWork.expired) return timeOut(requestContext, unitOfWork);
              if (unbegun) {
                if (!isDatabaseUnavailable(unbegun)) startContext.contextValue.log.error({ err: unbegun }, 'the request\'s transaction could not begin; response withheld');
                withhold(requestContext, isDatabaseUnavailable(unbegun) ? { message: unavailable().message, extensions: { code: 'UNAVAILABLE' } } : WITHHELD);
                return;
              }
              if (executionError) {
                // Execution itself failed: the response carries no data, and a mutation's changes go.
                await unitOfWork.rollback();
                return;
              }
              try {
                for (const step of beforeCommit) await step(requestContext);
                await unitOfWork.commit();
              } catch (error) {
                // No log entry, no data (AVG rule 5); and for a mutation, no change.
                await unitOfWork.rollback().catch(() => undefined);
                if (unitOfWork.expired) return timeOut(requestContext, unitOfWork);
                startContext.contextValue.log.error({ err: error }, 'could not finish the request (access log or commit); response withheld');
                withhold(requestContext, WITHHELD);
              }
            },
          };
        },
      };
    },
  };
}
