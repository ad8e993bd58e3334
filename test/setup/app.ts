/**
 * A real API server for a test file: its own data source on the test database and an HTTP
 * server on a free port. Tests talk to it over HTTP, as clients do.
 */
import 'reflect-metadata';
import { GraphQLClient } from 'graphql-request';
import { DataSource } from 'typeorm';
import { mintDevelopmentToken } from '../../src/auth/authenticate';
import { Config, loadConfig } from '../../src/config';
import { createDataSource } from '../../src/db/data-source';
import { Clock, fixedClock } from '../../src/domain/clock';
import { startServer } from '../../src/graphql/server';
import { getSdk } from '../generated/sdk';

export interface GraphQLResponse<T = Record<string, unknown>> {
  status: number;
  body: { data?: T | null; errors?: Array<{ message: string; path?: string[]; extensions?: Record<string, unknown> }> };
}

export interface TestApp {
  url: string;
  baseUrl: string;
  config: Config;
  dataSource: DataSource;
  clock: Clock & { set(at: Date): void };
  /** A signed development token for the user with this subject (e-mail). */
  token(subject: string): Promise<string>;
  /** POST a GraphQL operation with `token` (or raw `Authorization` header value). */
  gql<T = Record<string, unknown>>(auth: string | null, query: string, variables?: Record<string, unknown>): Promise<GraphQLResponse<T>>;
  /** The typed SDK (generated from test/operations/*.graphql) acting as `subject`. */
  sdk(subject: string): Promise<ReturnType<typeof getSdk>>;
  stop(): Promise<void>;
}

export const TEST_NOW = new Date('2026-03-16T10:00:00Z');

export async function startTestApp(options: { env?: NodeJS.ProcessEnv; now?: Date } = {}): Promise<TestApp> {
  const config = loadConfig({ NODE_ENV: 'test', ...options.env });
  const dataSource = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 5, logSql: config.logSql });
  await dataSource.initialize();
  const clock = fixedClock(options.now ?? TEST_NOW);
  const server = await startServer({ config, dataSource, clock }, 0, '127.0.0.1');
  const token = (subject: string) => mintDevelopmentToken(config, subject);
  return {
    url: server.url,
    baseUrl: server.url.replace(/\/graphql$/, ''),
    config,
    dataSource,
    clock,
    token,
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
      await server.stop();
      await dataSource.destroy();
    },
  };
}
