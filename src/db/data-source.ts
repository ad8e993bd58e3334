/**
 * The TypeORM data source. Schema changes go only through the migrations in `migrations/`
 * (never `synchronize`); `openDatabase` applies pending ones before the API serves. The tables
 * it maps are handed in (`entities`): the product's list is a composition concern
 * (src/app/entities.ts, bound in src/app/database.ts); db imports no feature.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import pg from 'pg';
import { AbstractLogger, AfterQueryEvent, BeforeQueryEvent, DataSource, EntitySubscriberInterface, EventSubscriber, LogLevel, LogMessage, QueryRunner } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import { processLog } from '../observability/logger';
import type { PoolStats } from '../observability/metrics';
import { sqlStatementEnded, sqlStatementStarted, tracingOn } from '../observability/tracing';
import { SnakeNamingStrategy } from './naming';
import { usePreparedStatements } from './prepared-statements';
import { allTenantsConnectionOptions, grantApiRole, roleOf } from './tenancy';

// A PostgreSQL `date` is a calendar day; pg would turn it into a JS Date at local midnight,
// which shifts it by a day in some time zones. Keep it the 'YYYY-MM-DD' string it is.
pg.types.setTypeParser(pg.types.builtins.DATE, (value: string) => value);
// bigint (sequence numbers, counts) stays a string unless we choose otherwise per query.

/** One scope of statements: a request, a test block. */
export interface StatementScope {
  count: number;
}

/**
 * Counts SQL statements per scope (one GraphQL request, one test block). A request's scope is
 * its observation (src/graphql/observation.ts), which keeps the rest of what is known of the
 * request on the same store: one AsyncLocalStorage for both, so each request pays for one.
 */
export const statementCounter = new AsyncLocalStorage<StatementScope>();

/** Runs `fn` and reports how many SQL statements it issued, including those of its loaders. */
export async function countStatements<T>(fn: () => Promise<T>): Promise<{ result: T; statements: number }> {
  const scope: StatementScope = { count: 0 };
  const result = await statementCounter.run(scope, fn);
  return { result, statements: scope.count };
}

class CountingLogger extends AbstractLogger {
  constructor(private readonly printSql: boolean) {
    super(printSql ? ['query', 'error'] : ['error']);
  }

  override logQuery(query: string, parameters?: unknown[], queryRunner?: QueryRunner): void {
    // Counted even when not printed: the statement-count tests and benchmarks rely on it.
    const scope = statementCounter.getStore();
    if (scope) scope.count++;
    super.logQuery(query, parameters, queryRunner);
  }

  protected writeLog(level: LogLevel, message: LogMessage | string | number | (LogMessage | string | number)[]): void {
    if (!this.printSql && level !== 'error') return;
    for (const m of this.prepareLogMessages(message)) {
      const line = `[sql:${m.type ?? level}] ${String(m.message)}`;
      if (level === 'error') processLog().error(line);
      else processLog().info(line);
    }
  }
}

/**
 * A span per SQL statement (src/observability/tracing.ts). Registered only on a data source
 * created while tracing is on (src/main.ts starts tracing first): without it TypeORM calls no
 * subscriber per statement.
 */
@EventSubscriber()
class StatementSpans implements EntitySubscriberInterface {
  beforeQuery(event: BeforeQueryEvent): void {
    sqlStatementStarted(event.queryRunner, event.query);
  }

  afterQuery(event: AfterQueryEvent): void {
    sqlStatementEnded(event.queryRunner, event.success ? undefined : event.error);
  }
}

export interface DatabaseOptions {
  url: string;
  logSql?: boolean;
  /** Connections in the pool (default 10). */
  poolSize?: number;
  /** How long a request waits for a free connection before it fails (default 5 s): never a hang. */
  poolWaitMs?: number;
  /** PostgreSQL `statement_timeout` of every connection (default: none): a statement running longer is cancelled. */
  statementTimeoutMs?: number;
  /** Long statements each connection keeps prepared, planned once (./prepared-statements.ts; default: none). */
  preparedStatements?: number;
  /**
   * Whole-database work (migrations, demo data, the retention run, audit tools, the identity
   * lookup): connections see every partnership through row-level security (./tenancy.ts).
   * Without it a connection sees only what a transaction binds it to.
   */
  allTenants?: boolean;
}

/** The entity classes a data source maps. */
export type EntityList = Function[];

/** Creates (but does not open) the data source for a PostgreSQL URL, mapping `entities`. */
export function createDataSource(options: DatabaseOptions & { entities: EntityList }): DataSource {
  const dataSource = new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: MIGRATIONS,
    migrationsTableName: 'migrations',
    migrationsTransactionMode: 'each',
    namingStrategy: new SnakeNamingStrategy(),
    synchronize: false,
    // gen_random_uuid() is built into PostgreSQL 13+: no extension (and no superuser) needed.
    uuidExtension: 'pgcrypto',
    installExtensions: false,
    logger: new CountingLogger(options.logSql ?? false),
    logging: true,
    subscribers: tracingOn() ? [StatementSpans] : [],
    extra: {
      max: options.poolSize ?? 10,
      application_name: 'toptrajecten-api',
      connectionTimeoutMillis: options.poolWaitMs ?? 5_000,
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
      ...(options.allTenants ? allTenantsConnectionOptions() : {}),
    },
  });
  if (options.preparedStatements) {
    // The pool exists once the data source is initialized.
    const initialize = dataSource.initialize.bind(dataSource);
    dataSource.initialize = async () => {
      await initialize();
      usePreparedStatements(dataSource, options.preparedStatements!);
      return dataSource;
    };
  }
  return dataSource;
}

/**
 * The advisory lock (two keys, as `pg_advisory_lock(int, int)` takes them) that one process at
 * a time holds while it prepares the database at start. The access log's appends lock
 * (7513, a partnership's hash); this one's first key is 7514, so the two never meet.
 */
const START_UP_LOCK = [7514, 0] as const;

/**
 * Opens the data source as the owner of the schema (every partnership), applies pending
 * migrations, makes sure the access log has its partitions for this month and the next three,
 * and, when the API connects as another role (`apiUrl`), grants that role its privileges
 * (./tenancy.ts). Processes starting at once on one database (replicas, a tool beside the API)
 * take turns (`START_UP_LOCK`): two would otherwise apply the same migration twice or change the
 * same grants at the same moment, and PostgreSQL refuses one of them ("tuple concurrently
 * updated"), which ended that process's start.
 */
export async function openDatabase(options: DatabaseOptions & { entities: EntityList; apiUrl?: string }): Promise<DataSource> {
  const dataSource = createDataSource({ ...options, allTenants: true });
  await dataSource.initialize();
  // A connection of its own, outside the pool, which the migrations may need whole.
  const turn = new pg.Client({ connectionString: options.url, application_name: 'toptrajecten-api start-up' });
  try {
    await turn.connect();
    await turn.query('SELECT pg_advisory_lock($1, $2)', [...START_UP_LOCK]);
    await dataSource.runMigrations({ transaction: 'each' });
    // The access log's month partitions for now and the next three months (migration AccessLogByMonth).
    await dataSource.query('SELECT access_log_ensure_partitions(3)');
    if (options.apiUrl && roleOf(options.apiUrl) !== roleOf(options.url)) await grantApiRole(dataSource, roleOf(options.apiUrl));
  } catch (error) {
    await dataSource.destroy().catch(() => undefined);
    throw error;
  } finally {
    // Ending the session releases the lock, also where the start failed.
    await turn.end().catch(() => undefined);
  }
  return dataSource;
}

/**
 * A small second pool on the same database and role as `dataSource`, onto every partnership:
 * for the identity lookup of a token's subject, which has to happen before the caller's
 * partnership is known (./tenancy.ts).
 */
export function allTenantsPool(dataSource: DataSource, poolSize = 2): DataSource {
  const options = dataSource.options as DataSource['options'] & { extra?: Record<string, unknown> };
  return new DataSource({ ...options, migrations: [], extra: { ...options.extra, max: poolSize, ...allTenantsConnectionOptions() } } as DataSource['options']);
}

/** The connection pool's counts (pg's Pool behind TypeORM's driver), for the pool metrics; undefined until it is open. */
export function poolStats(dataSource: DataSource): PoolStats | undefined {
  const pool = (dataSource.driver as unknown as { master?: { totalCount: number; idleCount: number; waitingCount: number; options?: { max?: number } } }).master;
  if (!dataSource.isInitialized || !pool) return undefined;
  return { totalCount: pool.totalCount, idleCount: pool.idleCount, waitingCount: pool.waitingCount, max: pool.options?.max ?? 0 };
}
