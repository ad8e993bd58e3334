/**
 * A real API server for a test file: its own data source on the test database and an HTTP
 * server on a free port. Tests talk to it over HTTP, as clients do.
 */
import 'reflect-metadata';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { GraphQLClient } from 'graphql-request';
import { DataSource } from 'typeorm';
import { mintDevelopmentToken } from '../../src/auth/authenticate';
import { Config, loadConfig } from '../../src/config';
import { createDataSource, openDatabase } from '../../src/app/database';
import { withRole } from '../../src/db/database-url';
import { Clock, fixedClock } from '../../src/domain/clock';
import { startServer } from '../../src/graphql/server';
import { createLogger, setProcessLogger } from '../../src/observability/logger';
import { getSdk } from '../generated/sdk';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
}

export interface TestApp {
  url: string;
  baseUrl: string;
  config: Config;
  /** The owner's connection (every partnership, no RLS): for the test's own set-up and checks. */
  dataSource: DataSource;
  /** The server's own pool, as the API's role. */
  apiDataSource: DataSource;
  clock: Clock & { set(at: Date): void };
  /** A signed development token for the user with this subject (e-mail). */
  token(subject: string): Promise<string>;
  /** POST a GraphQL operation with `token` (or raw `Authorization` header value). */
  gql<T = Record<string, unknown>>(auth: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** Marks the server as shutting down (`/readyz` answers 503), as SIGTERM does. */
  drain(): void;
  /** The database URL this app uses (its own with `ownDatabase`). */
  databaseUrl: string;
  /** What the server logged (at LOG_LEVEL, `info` unless the test sets it), one JSON line each, kept in memory: nothing is printed. */
  logText(): string;
  /** The log lines, parsed. */
  logs(): Array<Record<string, unknown>>;
  /** Where `/metrics` is served (on the API's port unless METRICS_PORT says otherwise). */
  metricsUrl: string | undefined;
  /** The typed SDK (generated from test/operations/*.graphql) acting as `subject`. */
  sdk(subject: string): Promise<ReturnType<typeof getSdk>>;
  stop(): Promise<void>;
}

export const TEST_NOW = new Date('2026-03-16T10:00:00Z');

/**
 * Access tests probe with deliberately large queries (every path to a student in one request),
 * and every test sends its requests from one address as fast as it can: they run under a
 * generous query budget and without rate limits. Both are tested with their defaults
 * (`defaultBudget: true`: test/graphql/limits.test.ts, test/graphql/rate-limit.test.ts).
 */
const PROBE_BUDGET = { QUERY_MAX_DEPTH: '40', QUERY_MAX_ALIASES: '500', QUERY_MAX_COST: '1000000000000', MUTATION_MAX_FIELDS: '100', RATE_LIMIT_ENABLED: 'false' };

/** A new database beside the suite's, not migrated: its owner's URL, the API role's, and how to drop it. */
export async function emptyDatabase(): Promise<{ url: string; apiUrl: string; drop(): Promise<void> }> {
  const shared = new URL(process.env.TEST_DATABASE_URL!);
  const name = `${shared.pathname.slice(1)}_${process.pid}_${randomUUID().slice(0, 8)}`;
  const admin = new URL(shared);
  admin.pathname = '/postgres';
  const run = async (sql: string) => {
    const client = new Client({ connectionString: admin.toString() });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE "${name}"`);
  const url = new URL(shared);
  url.pathname = `/${name}`;
  const api = new URL(process.env.TEST_API_DATABASE_URL!);
  const apiUrl = withRole(url.toString(), decodeURIComponent(api.username), decodeURIComponent(api.password));
  return { url: url.toString(), apiUrl, drop: () => run(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`) };
}

/**
 * A database of its own, migrated and empty, for a test file that needs one (the demo data
 * lives in one partnership with fixed ids, so a file that seeds it must not share the suite's
 * database with another that does); dropped when the app stops.
 */
export async function ownDatabase(): Promise<{ url: string; apiUrl: string; drop(): Promise<void> }> {
  const db = await emptyDatabase();
  const migrator = await openDatabase({ url: db.url, apiUrl: db.apiUrl, poolSize: 1 });
  await migrator.destroy();
  return db;
}

export interface TestAppOptions {
  env?: NodeJS.ProcessEnv;
  now?: Date;
  defaultBudget?: boolean;
  ownDatabase?: boolean;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', ...(options.defaultBudget ? {} : PROBE_BUDGET), ...options.env });
  const own = options.ownDatabase ? await ownDatabase() : undefined;
  // The server connects as the API's role; the test's own set-up and checks as the owner.
  const apiDataSource = createDataSource({ url: own?.apiUrl ?? process.env.TEST_API_DATABASE_URL!, logSql: config.logSql, ...config.database, poolSize: options.env?.DATABASE_POOL_SIZE ? config.database.poolSize : 5 });
  await apiDataSource.initialize();
  const dataSource = createDataSource({ url: own?.url ?? process.env.TEST_DATABASE_URL!, logSql: config.logSql, poolSize: 3 });
  await dataSource.initialize();
  const clock = fixedClock(options.now ?? TEST_NOW);
  // The logs stay in memory (the last 5000 lines), for the tests that read them.
  let lines: string[] = [];
  const logger = createLogger({ logFormat: 'json', logLevel: options.env?.LOG_LEVEL ? config.observability.logLevel : 'info' }, {
    write: (line: string) => {
      lines.push(line);
      if (lines.length > 10_000) lines = lines.slice(-5_000);
    },
  });
  setProcessLogger(logger);
  const server = await startServer({ config, dataSource: apiDataSource, clock, logger }, 0, '127.0.0.1');
  const token = (subject: string) => mintDevelopmentToken(config, subject);
  return {
    url: server.url,
    baseUrl: server.url.replace(/\/graphql$/, ''),
    config,
    dataSource,
    apiDataSource,
    clock,
    token,
    drain: () => server.drain(),
    logText: () => lines.join(''),
    logs: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
    metricsUrl: server.metricsUrl,
    databaseUrl: own?.url ?? process.env.TEST_DATABASE_URL!,
    async gql(auth, query, variables) {
      const headers: Record<string, string> = { 'content-type': 'application/json' };
      if (auth !== null) headers.authorization = auth.startsWith('Bearer ') || auth.includes(' ') ? auth : `Bearer ${await token(auth)}`;
      const response = await fetch(server.url, { method: 'POST', headers, body: JSON.stringify({ query, variables }) });
      return { status: response.status, body: await response.json() } as GraphQLResponse<never>;
    },
    async sdk(subject) {
      return getSdk(new GraphQLClient(server.url, { headers: { authorization: `Bearer ${await token(subject)}` } }));
    },
    async stop() {
      // Closes whatever is still open, also when a test closed the server's pool itself (a
      // database outage): a pool left open keeps the Jest worker from exiting.
      try {
        await server.stop();
      } finally {
        for (const source of [apiDataSource, dataSource]) if (source.isInitialized) await source.destroy();
        await own?.drop();
      }
    },
  };
}
