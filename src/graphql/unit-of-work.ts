/**
 * A mutation request is one unit of work: everything it writes, and its access-log entries,
 * commit together or not at all (AVG issue item 4: "if the entry cannot be written, the data is
 * not returned" — and for a change, the change does not stay either).
 *
 * - Every request gets a `UnitOfWork`; `ctx.dataSource` is its `dataSource`, a stand-in for the
 *   application's DataSource. Outside a unit (queries) it IS that DataSource: reads autocommit.
 * - For a mutation, the access-log plugin calls `begin()` when execution starts: from then on
 *   the stand-in sends `getRepository`, `query`, `createQueryBuilder`, `transaction` and
 *   `manager` to one connection inside one transaction. A service's own
 *   `ctx.dataSource.transaction(...)` becomes a savepoint within it (TypeORM nests with
 *   SAVEPOINT), so services need not know.
 * - Each mutation root field runs in a savepoint of its own (`savepoint`, applied by the
 *   `mutationSavepoint` middleware): a field that fails leaves nothing behind and the
 *   transaction usable, so the other fields and the log still commit, as they did when each
 *   service committed on its own.
 * - After execution the plugin writes the access log through the stand-in and calls `commit()`;
 *   if either fails it calls `rollback()` and the response carries no data. `release()` in the
 *   plugin's last hook makes sure a connection never outlives its request.
 * Every statement of a mutation request runs on the unit's one connection, so a burst of
 * concurrent mutations never waits for a second connection while holding a first.
 */
import { DataSource, EntityManager, QueryRunner } from 'typeorm';
import type { MiddlewareFn } from 'type-graphql';
import type { Context } from './context';

/** DataSource members that, inside a unit, go to the unit's transaction. */
const ROUTED = new Set<PropertyKey>(['getRepository', 'getTreeRepository', 'query', 'createQueryBuilder', 'transaction']);

export class UnitOfWork {
  private runner: QueryRunner | null = null;
  /** The stand-in for the DataSource that resolvers and services use (`ctx.dataSource`). */
  readonly dataSource: DataSource;

  constructor(private readonly base: DataSource) {
    this.dataSource = new Proxy(base, {
      get: (target, property) => {
        const manager: EntityManager | undefined = this.runner?.manager;
        if (manager) {
          if (property === 'manager') return manager;
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

  /** Whether a transaction is open. */
  get active(): boolean {
    return this.runner !== null;
  }

  /** Opens the request's transaction on one connection. */
  async begin(): Promise<void> {
    if (this.runner) return;
    const runner = this.base.createQueryRunner();
    try {
      await runner.connect();
      await runner.startTransaction();
    } catch (error) {
      await runner.release();
      throw error;
    }
    this.runner = runner;
  }

  /** Runs `fn` in a savepoint: undone (and rethrown) if it throws, kept otherwise. Outside a unit, just runs it. */
  async savepoint<T>(fn: () => Promise<T>): Promise<T> {
    const runner = this.runner;
    if (!runner) return fn();
    await runner.startTransaction();
    try {
      const result = await fn();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      await runner.rollbackTransaction();
      throw error;
    }
  }

  /** Commits the request's transaction and gives the connection back. */
  async commit(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    try {
      await runner.commitTransaction();
    } finally {
      await this.release();
    }
  }

  /** Undoes the request's transaction (if open) and gives the connection back. */
  async rollback(): Promise<void> {
    const runner = this.runner;
    if (!runner) return;
    try {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
    } finally {
      await this.release();
    }
  }

  /** Gives the connection back, rolling back a transaction still open. */
  async release(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (!runner || runner.isReleased) return;
    if (runner.isTransactionActive) {
      try {
        await runner.rollbackTransaction();
      } catch {
        // The connection is released below either way.
      }
    }
    await runner.release();
  }
}

/** type-graphql middleware: each mutation root field in a savepoint of the request's unit of work. */
export const mutationSavepoint: MiddlewareFn<Context> = ({ info, context }, next) => {
  if (info.parentType !== info.schema.getMutationType() || !context.unitOfWork?.active) return next();
  return context.unitOfWork.savepoint(() => Promise.resolve(next()));
};
