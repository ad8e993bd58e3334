/**
 * The HTTP server: `POST /graphql` (Apollo Server 5 on Express 5), `GET /healthz`,
 * `GET /readyz`, `GET /metrics` (here or on a port of its own: METRICS_PORT) and, when
 * configured, the reference dashboard page at `/dashboard`. Each
 * GraphQL request authenticates, loads the actor and builds one ability and one set of
 * loaders before any resolver runs; a request without a usable identity never reaches the
 * schema.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer } from '@apollo/server';
import { expressMiddleware } from '@as-integrations/express5';
import { ApolloServerPluginCacheControlDisabled } from '@apollo/server/plugin/disabled';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import express from 'express';
import { DataSource } from 'typeorm';
import { accessLogStep } from '../audit/access-log';
import { AccessRecorder } from '../audit/access-recorder';
import { allTenantsPool, poolStats, statementCounter } from '../db/data-source';
import { UnitOfWork, unitOfWorkPlugin } from './unit-of-work';
import { abilityFor } from '../authz/ability';
import { loadActor } from '../authz/actor';
import { createAuthenticator } from '../auth/authenticate';
import { Config } from '../config';
import { dashboardPage } from '../modules/dashboards/page';
import { amsterdamDate, Clock, systemClock } from '../domain/clock';
import type { Context } from './context';
import { createFormatError, rateLimited, unauthenticated, unavailable } from './errors';
import { isDatabaseUnavailable } from '../db/availability';
import { idempotencyPlugin } from './idempotency';
import { queryBudgetPlugin } from './limits';
import { RateLimits } from './rate-limit';
import { Loaders } from './loaders';
import { getSchema } from './schema';
import { compiledGateway } from './compiled-execution';
import { noteActor, observation, observationPlugin, observeRequests } from './observation';
import { Logger, processLog } from '../observability/logger';
import { enableRuntimeMetrics, scrape, trackPool } from '../observability/metrics';

export interface AppOptions {
  config: Config;
  dataSource: DataSource;
  clock?: Clock;
  /** Where the request log and errors go (default: the process's logger, src/observability/logger.ts). */
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  httpServer: http.Server;
  /** Where Prometheus scrapes: `<url>/metrics` on the API's port or on METRICS_PORT; undefined when off. */
  metricsUrl: string | undefined;
  /** From now on `/readyz` answers 503: the process is shutting down. */
  drain(): void;
  stop(): Promise<void>;
}

/** Starts the API on `port` (0: a free one) and resolves once it listens. */
export async function startServer(options: AppOptions, port = options.config.port, host = options.config.host): Promise<RunningServer> {
  const { config, dataSource } = options;
  const clock = options.clock ?? systemClock;
  const log = options.logger ?? processLog();
  const production = config.nodeEnv === 'production';
  const authenticator = createAuthenticator(config);
  const app = express();
  app.disable('x-powered-by');
  if (config.trustProxy) app.set('trust proxy', /^\d+$/.test(config.trustProxy) ? Number(config.trustProxy) : config.trustProxy);
  const limits = new RateLimits(config.rateLimits);
  const httpServer = http.createServer(app);
  // Who the caller is must be looked up before their partnership is known: on a small pool of
  // its own that sees every partnership (src/db/tenancy.ts); everything after it runs in the
  // request's unit of work, bound to the caller's partnership.
  const identity = allTenantsPool(dataSource);
  await identity.initialize();
  const untrackPools = [trackPool('api', () => poolStats(dataSource)), trackPool('identity', () => poolStats(identity))];

  const apollo = new ApolloServer<Context>({
    // The schema, executed through the compiled read path where a query allows it, else through
    // graphql-js (./compiled-execution.ts); Apollo's hooks run around either.
    gateway: compiledGateway(getSchema()),
    formatError: createFormatError({ production }),
    includeStacktraceInErrorResponses: false,
    introspection: !production,
    hideSchemaDetailsFromClientErrors: production,
    parseOptions: { maxTokens: 10_000 },
    // src/main.ts owns SIGINT/SIGTERM and stops this server as one step of its shutdown;
    // Apollo's own handler would stop it concurrently and then re-raise the signal.
    stopOnTerminationSignals: false,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer }),
      // The request log line, its metrics and span (./observation.ts): the operation and the answer's codes.
      observationPlugin(log),
      // No HTTP caching of answers about students (and no per-field cache-hint wrapper on the hot path).
      ApolloServerPluginCacheControlDisabled(),
      // The query budget (depth, aliases, cost, mutation root fields), checked before execution.
      queryBudgetPlugin(config.queryBudget),
      // The request's transaction (./unit-of-work.ts), and inside it, before it commits, the
      // access log (NEN 7513, src/audit): written in one statement per request (its grounds cost
      // a bounded few more); a mutation's changes commit together with it.
      unitOfWorkPlugin([accessLogStep()]),
      // Idempotency-Key: a retried mutation replays its first answer (after the log, which may replace it).
      idempotencyPlugin(dataSource, config.idempotencyKeyHours),
      // An answer that failed because the database could not serve is a 503 with Retry-After.
      {
        async requestDidStart() {
          return {
            async willSendResponse({ response }) {
              const errors = response.body.kind === 'single' ? response.body.singleResult.errors : undefined;
              if (!errors?.some((e) => e.extensions?.code === 'UNAVAILABLE')) return;
              response.http.status = 503;
              response.http.headers.set('retry-after', '2');
            },
          };
        },
      },
      // Outside production, every response says how many SQL statements its operation cost
      // (auth and actor included): the statement-count tests and the benchmark read it.
      ...(production
        ? []
        : [{
            async requestDidStart() {
              return {
                async willSendResponse({ response }: { response: { http: { headers: Map<string, string> } } }) {
                  const scope = statementCounter.getStore();
                  if (scope) response.http.headers.set('x-sql-statements', String(scope.count));
                },
              };
            },
          }]),
    ],
  });
  await apollo.start();

  app.get('/healthz', (_req, res) => {
    res.status(200).json({ status: 'ok' });
  });
  // Ready while the database answers within a second, and not while shutting down: a load
  // balancer must stop sending before the pool closes, and learn of an outage at once.
  let draining = false;
  app.get('/readyz', async (_req, res) => {
    if (draining) return void res.status(503).json({ status: 'shutting down' });
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        dataSource.query('SELECT 1'),
        new Promise((_, reject) => (timer = setTimeout(() => reject(new Error('readiness check timed out')), 1000))),
      ]);
      res.status(200).json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
  // The reference dashboard page: a client of /graphql like any other (it sends a bearer
  // token), served here so it needs no hosting or build of its own. On outside production;
  // in production only with DASHBOARD_PAGE=true, and then without development tokens.
  if (config.dashboard.page) app.use('/dashboard', dashboardPage(config));

  // Prometheus metrics (src/observability/metrics.ts): on this port outside production, on a
  // port of their own (off the public one) in production; METRICS_PORT decides.
  const { metricsPort, metricsHost } = config.observability;
  const metrics = async (_req: express.Request, res: express.Response) => {
    const { contentType, body } = await scrape();
    res.status(200).type(contentType).send(body);
  };
  if (metricsPort !== 'off') enableRuntimeMetrics();
  if (metricsPort === 'main') app.get('/metrics', metrics);
  let metricsServer: http.Server | undefined;
  let metricsUrl: string | undefined;
  if (typeof metricsPort === 'number') {
    const metricsApp = express();
    metricsApp.disable('x-powered-by');
    metricsApp.get('/metrics', metrics);
    metricsServer = http.createServer(metricsApp);
    const server = metricsServer;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(metricsPort, metricsHost, () => resolve());
    });
    const address = server.address();
    metricsUrl = `http://${metricsHost}:${typeof address === 'object' && address ? address.port : metricsPort}/metrics`;
  }

  app.use(
    '/graphql',
    // The request's id, clock, SQL statement count and span; its log line once answered (./observation.ts).
    observeRequests(log),
    // Per client address, before the body is read or the token verified (./rate-limit.ts).
    limits.addressLimit(),
    express.json({ limit: '256kb' }),
    expressMiddleware(apollo, {
      context: async ({ req }): Promise<Context> => {
        // Given by the request's observation (./observation.ts), which runs first on /graphql.
        const requestId = observation()?.requestId ?? randomUUID();
        const subject = await authenticator.subjectOf(req.headers.authorization);
        if (!subject) {
          limits.failedAuthentication(req);
          throw unauthenticated();
        }
        const wait = limits.userWait(subject);
        if (wait !== null) throw rateLimited(wait);
        const actor = await loadActor(identity, subject).catch((error: unknown) => {
          throw isDatabaseUnavailable(error) ? unavailable() : error;
        });
        if (!actor) throw unauthenticated();
        noteActor(actor);
        const today = amsterdamDate(clock.now());
        const ability = abilityFor(actor, dataSource, today);
        const limitMs = config.requestTimeoutMs;
        const unitOfWork = new UnitOfWork(dataSource, {
          at: Date.now() + limitMs,
          limitMs,
          // From the identity pool: the request's own pool may be what is exhausted.
          cancel: (pid) => identity.query('SELECT pg_cancel_backend($1)', [pid]),
        });
        const db = unitOfWork.dataSource;
        return { requestId, actor, ability, dataSource: db, unitOfWork, loaders: new Loaders(ability, db), config, clock, today, access: new AccessRecorder(), log: log.child({ requestId }) };
      },
    }),
  );
  // A body Express cannot read (not JSON, too large, an unknown encoding) never reaches
  // Apollo: answer it as a GraphQL error in JSON, with a stable code and no stack, in every
  // mode (Express's default handler would send an HTML page with the stack outside production).
  app.use('/graphql', (error: { type?: string; status?: number }, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if (res.headersSent) return next(error);
    const tooLarge = error.type === 'entity.too.large';
    const message = tooLarge ? 'The request body is too large (at most 256 kB).'
      : error.type === 'entity.parse.failed' ? 'The request body is not valid JSON.'
      : 'The request body could not be read.';
    res.status(tooLarge ? 413 : 400).json({ errors: [{ message, extensions: { code: 'BAD_USER_INPUT' } }] });
  });

  await new Promise<void>((resolve, reject) => {
    httpServer.once('error', reject);
    httpServer.listen(port, host, () => resolve());
  });
  const address = httpServer.address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host}:${actualPort}/graphql`;
  return {
    url,
    port: actualPort,
    httpServer,
    metricsUrl: metricsPort === 'main' ? url.replace(/\/graphql$/, '/metrics') : metricsUrl,
    drain: () => {
      draining = true;
    },
    stop: async () => {
      await apollo.stop();
      if (metricsServer) await new Promise((resolve) => metricsServer!.close(resolve));
      for (const untrack of untrackPools) untrack();
      await identity.destroy();
    },
  };
}
