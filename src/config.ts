/**
 * Every environment variable the API reads, parsed and validated once.
 *
 * Nothing else in `src/` reads `process.env`; the README's configuration table is
 * written from this file. A bad value stops the process at start with a message that
 * names the variable, instead of failing later on the first request that needs it.
 */
import path from 'node:path';

export type NodeEnv = 'development' | 'test' | 'production';

export interface Config {
  /** `NODE_ENV`: `production` hides stack traces, introspection and suggestions. */
  nodeEnv: NodeEnv;
  /** `PORT`: HTTP port (default 4000; 0 picks a free one). */
  port: number;
  /** `HOST`: interface to listen on (default 127.0.0.1). */
  host: string;
  /** `DATABASE_URL`: a PostgreSQL to use instead of the embedded one. */
  databaseUrl: string | undefined;
  /**
   * `MIGRATION_DATABASE_URL`: the same database as the schema's owner, for migrations (and the
   * grants that give `DATABASE_URL`'s role its privileges). Unset: migrations run as
   * `DATABASE_URL`'s role, which then owns the tables (src/db/tenancy.ts).
   */
  migrationDatabaseUrl: string | undefined;
  /** `DATA_DIR`: where the embedded PostgreSQL keeps its files (default `.data/`). */
  dataDir: string;
  /** `SEED_DEMO_DATA`: load the demo data on start when the database is empty (default: true without DATABASE_URL). */
  seedDemoData: boolean;
  /** Supervision of the embedded PostgreSQL (src/db/supervisor.ts): restarts after it exits unexpectedly. */
  embeddedRestarts: {
    /** `EMBEDDED_POSTGRES_MAX_RESTARTS` (5; 0: never): restart attempts within the window; then the process exits. */
    maxRestarts: number;
    /** `EMBEDDED_POSTGRES_RESTART_WINDOW_SECONDS` (60): the window those attempts are counted in. */
    windowSeconds: number;
  };
  /** `LOG_SQL`: print every SQL statement (default false). */
  logSql: boolean;
  /**
   * `REQUEST_TIMEOUT_MS` (20000): a GraphQL request's execution deadline. Past it no further
   * statement starts, a running one is cancelled, no further field resolves, a mutation's
   * changes roll back, and the answer is 503 `TIMEOUT`; its connection goes back to the pool.
   */
  requestTimeoutMs: number;
  /**
   * `READ_PREFETCH` (true): in a query, load the relations selected below a root field's rows in
   * one statement (src/graphql/prefetch.ts) instead of one batch per relation. The answers and the
   * access log are the same either way (test/graphql/prefetch.test.ts); off is the fallback.
   */
  readPrefetch: boolean;
  /**
   * `READ_COMPILED` (true): answer a query whose every field is a plain property, a prefetched
   * relation or paging with the compiled execution (src/graphql/compiled-execution.ts) instead of
   * graphql-js's field by field execution; any other operation runs through graphql-js. The
   * answers, errors and access log are the same either way (test/graphql/compiled-execution.test.ts);
   * off is the fallback. Needs READ_PREFETCH: with it off, every query runs through graphql-js.
   */
  readCompiled: boolean;
  database: {
    /** `DATABASE_POOL_SIZE` (10): connections of the API's pool. */
    poolSize: number;
    /** `DATABASE_POOL_WAIT_MS` (5000): how long a request waits for a free connection, then 503. */
    poolWaitMs: number;
    /** `DATABASE_STATEMENT_TIMEOUT_MS` (15000): PostgreSQL cancels a statement running longer; the request answers 503. */
    statementTimeoutMs: number;
    /** `DATABASE_PREPARED_STATEMENTS` (64): long statements a connection keeps planned (src/db/prepared-statements.ts); 0: none. */
    preparedStatements: number;
  };
  auth: {
    /** `AUTH_JWT_SECRET`: HS256 secret (development and tests). */
    jwtSecret: string | undefined;
    /** `AUTH_JWKS_URL`: JSON Web Key Set of the OpenID Connect provider (production). */
    jwksUrl: string | undefined;
    /** `AUTH_ISSUER`: expected `iss`; required with JWKS, optional with HS256. */
    issuer: string | undefined;
    /** `AUTH_AUDIENCE`: expected `aud`; required with JWKS, optional with HS256. */
    audience: string | undefined;
    /** `AUTH_MAX_TOKEN_LIFETIME_SECONDS` (43200, 12 hours): tokens valid for longer (exp − iat) are refused. */
    maxTokenLifetimeSeconds: number;
    /** `AUTH_CLOCK_SKEW_SECONDS` (30): how far the issuer's clock may differ from ours (exp, nbf, iat). */
    clockSkewSeconds: number;
  };
  /** `PSEUDONYM_KEY`: HMAC key for the stable per-partnership student pseudonyms. */
  pseudonymKey: string;
  /** The handbook's phase norms (`PHASE_*`), in weeks and months of the Amsterdam calendar. */
  phaseNorms: PhaseNorms;
  /** Caseload: weights per phase and the overflow threshold. */
  caseload: CaseloadSettings;
  /** Retention terms per class (`RETENTION_*_MONTHS`), in months after the class's start event. */
  retention: RetentionTerms;
  dashboard: DashboardSettings;
  /** The query budget (`QUERY_MAX_*`), checked before an operation runs (src/graphql/limits.ts). */
  queryBudget: QueryBudget;
  /** `IDEMPOTENCY_KEY_HOURS` (24): how long a mutation's answer is replayed for its `Idempotency-Key`. */
  idempotencyKeyHours: number;
  rateLimits: RateLimitSettings;
  /** Signed checkpoints of the access log's chain head, outside the database (src/audit/checkpoints.ts). */
  auditCheckpoints: {
    /** `AUDIT_CHECKPOINT_FILE` (`$DATA_DIR/audit-checkpoints.jsonl`): where they are appended; keep it off the database server. */
    file: string;
    /** `AUDIT_CHECKPOINT_KEY` (a development key; required in production, at least 32 characters): the HMAC key, never stored in the database. */
    key: string;
    /** `AUDIT_CHECKPOINT_SECONDS` (60; 0 turns them off): how often the server writes the heads that moved. */
    intervalSeconds: number;
  };
  /** Archived months of the access log (src/audit/archive.ts, `npm run audit:archive`). */
  auditArchive: {
    /** `AUDIT_ARCHIVE_DIR` (`$DATA_DIR/audit-archive`): the archived months and their signed manifest; keep it off the database server. */
    dir: string;
    /** `AUDIT_ARCHIVE_AFTER_MONTHS` (24): a month stays in the database at least this many months after it ended. */
    afterMonths: number;
  };
  /** `TRUST_PROXY` (off): Express's `trust proxy`, so the client address comes from X-Forwarded-For behind a proxy (e.g. `loopback`, `1`, a CIDR). */
  trustProxy: string | false;
  /** Logs, metrics and traces (src/observability, README "Operations"). */
  observability: ObservabilitySettings;
}

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export interface ObservabilitySettings {
  /** `LOG_LEVEL` (info): the least severe level written (`silent`: none). */
  logLevel: LogLevel;
  /** `LOG_FORMAT` (`pretty` in development, else `json`): one JSON object a line, or readable lines (pino-pretty, when installed). */
  logFormat: 'json' | 'pretty';
  /**
   * `METRICS_PORT` (`main` outside production, 9464 in production; `off`): where `/metrics`
   * is served: on the API's own port (`main`), on a port of its own (a number; 0 picks a free
   * one), or nowhere.
   */
  metricsPort: number | 'main' | 'off';
  /** `METRICS_HOST` (HOST): the interface of the metrics port of its own. */
  metricsHost: string;
  /** `OTEL_EXPORTER_OTLP_ENDPOINT` (off): the OTLP/HTTP collector traces are sent to (`/v1/traces` appended); unset: no tracing. */
  otlpEndpoint: string | undefined;
  /** `OTEL_SERVICE_NAME` (toptrajecten-api): the traces' service name. */
  serviceName: string;
}

/** Token buckets (src/graphql/rate-limit.ts). */
export interface RateLimitSettings {
  /** `RATE_LIMIT_ENABLED` (true). */
  enabled: boolean;
  /** `RATE_LIMIT_ADDRESS_BURST` (600) and `RATE_LIMIT_ADDRESS_PER_SECOND` (50): per client address (a school behind one address included). */
  addressBurst: number;
  addressPerSecond: number;
  /** `RATE_LIMIT_USER_BURST` (120) and `RATE_LIMIT_USER_PER_SECOND` (4): per user, sized for a person with a dashboard open. */
  userBurst: number;
  userPerSecond: number;
  /** `RATE_LIMIT_FAILED_AUTH_COST` (20): tokens a failed authentication takes from its address's bucket. */
  failedAuthCost: number;
}

export interface QueryBudget {
  /** `QUERY_MAX_DEPTH` (15): the deepest chain of nested fields. */
  maxDepth: number;
  /** `QUERY_MAX_ALIASES` (30): fields written under an alias. */
  maxAliases: number;
  /** `QUERY_MAX_COST` (25000): fields weighted by the items their lists can return. */
  maxCost: number;
  /** `MUTATION_MAX_FIELDS` (10): root fields of one mutation request. */
  maxMutationFields: number;
}

export interface DashboardSettings {
  /** `DASHBOARD_SMALL_COUNT_K` (5): counts from 1 to k are suppressed for callers who may not read the rows counted. */
  smallCountK: number;
  /** `DASHBOARD_PAGE` (on outside production, off in production): serve the reference dashboard page at `/dashboard`. */
  page: boolean;
  /** `DASHBOARD_MAX_MONTHS` (60): the longest period one dashboard request may span. */
  maxMonths: number;
}

export interface RetentionTerms {
  /** `RETENTION_REGISTRATION_WITHOUT_HELP_MONTHS` (12): a registration that led to no help, from its refusal or withdrawal. */
  REGISTRATION_WITHOUT_HELP: number;
  /** `RETENTION_PARTNERSHIP_DOSSIER_MONTHS` (36): the partnership's dossier. */
  PARTNERSHIP_DOSSIER: number;
  /** `RETENTION_SCHOOL_DATA_MONTHS` (24): school-side data (the student's identity), from leaving school. */
  SCHOOL_DATA: number;
  /** `RETENTION_CARE_DOSSIER_MONTHS` (240): the care dossier, from the end of care. */
  CARE_DOSSIER: number;
}

export interface CaseloadSettings {
  /**
   * `CASELOAD_WEIGHTS` ("ACCEPTED=1,ASSESSMENT=1,INTENSIVE=1,CONSOLIDATION=0.5"): how much an
   * active trajectory in each phase weighs in its team's load. ACCEPTED is a registration
   * accepted but not yet started.
   */
  weights: Record<'ACCEPTED' | 'ASSESSMENT' | 'INTENSIVE' | 'CONSOLIDATION', number>;
  /** `OVERFLOW_THRESHOLD` (0.9): the share of its capacity above which a team threatens to overflow. */
  overflowThreshold: number;
}

export interface PhaseNorms {
  /** `PHASE_ASSESSMENT_WEEKS` (4): the onderzoeksfase, from the intro meeting. */
  assessmentWeeks: number;
  /** `PHASE_INTENSIVE_WEEKS` (12): when the intensive phase is due. */
  intensiveWeeks: number;
  /** `PHASE_INTENSIVE_LIMIT_WEEKS` (16): the hard limit of the intensive phase. */
  intensiveLimitWeeks: number;
  /** `PHASE_CONSOLIDATION_MONTHS` (3): the borgingsfase. */
  consolidationMonths: number;
  /** `FOLLOW_UP_MONTHS` ("3,12"): follow-ups, in months after consolidation ends. */
  followUpMonths: [number, number];
}

/** The secret every development and test setup shares; refused in production. */
export const DEVELOPMENT_JWT_SECRET = 'toptrajecten-development-secret-do-not-use-in-production';
const DEVELOPMENT_PSEUDONYM_KEY = 'toptrajecten-development-pseudonym-key';
const DEVELOPMENT_CHECKPOINT_KEY = 'toptrajecten-development-audit-checkpoint-key';

/** Thrown for an environment variable that cannot be used; the message names it. */
export class ConfigError extends Error {}

function parseBoolean(name: string, raw: string | undefined, fallback: boolean): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

function parsePort(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 4000;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new ConfigError(`PORT must be an integer between 0 and 65535, got "${raw}"`);
  }
  return port;
}

function parseCount(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 60) throw new ConfigError(`${name} must be a whole number from 1 to 60, got "${raw}"`);
  return value;
}

function parsePhaseNorms(env: NodeJS.ProcessEnv): PhaseNorms {
  const intensiveWeeks = parseCount('PHASE_INTENSIVE_WEEKS', env.PHASE_INTENSIVE_WEEKS, 12);
  const intensiveLimitWeeks = parseCount('PHASE_INTENSIVE_LIMIT_WEEKS', env.PHASE_INTENSIVE_LIMIT_WEEKS, 16);
  if (intensiveLimitWeeks < intensiveWeeks) throw new ConfigError('PHASE_INTENSIVE_LIMIT_WEEKS must not be less than PHASE_INTENSIVE_WEEKS');
  const followUps = (env.FOLLOW_UP_MONTHS || '3,12').split(',').map((part) => parseCount('FOLLOW_UP_MONTHS', part.trim(), 0));
  if (followUps.length !== 2 || followUps[0] >= followUps[1]) throw new ConfigError('FOLLOW_UP_MONTHS must be two increasing month counts, e.g. "3,12"');
  return {
    assessmentWeeks: parseCount('PHASE_ASSESSMENT_WEEKS', env.PHASE_ASSESSMENT_WEEKS, 4),
    intensiveWeeks,
    intensiveLimitWeeks,
    consolidationMonths: parseCount('PHASE_CONSOLIDATION_MONTHS', env.PHASE_CONSOLIDATION_MONTHS, 3),
    followUpMonths: [followUps[0], followUps[1]],
  };
}

const LOAD_PHASES = ['ACCEPTED', 'ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION'] as const;

function parseCaseload(env: NodeJS.ProcessEnv): CaseloadSettings {
  const weights: CaseloadSettings['weights'] = { ACCEPTED: 1, ASSESSMENT: 1, INTENSIVE: 1, CONSOLIDATION: 0.5 };
  for (const pair of (env.CASELOAD_WEIGHTS ?? '').split(',').filter((p) => p.trim())) {
    const [phase, raw] = pair.split('=').map((p) => p.trim());
    const weight = Number(raw);
    if (!LOAD_PHASES.includes(phase as never) || !Number.isFinite(weight) || weight < 0 || weight > 10) {
      throw new ConfigError(`CASELOAD_WEIGHTS must look like "ASSESSMENT=1,CONSOLIDATION=0.5" (phases ${LOAD_PHASES.join(', ')}; weights 0–10), got "${pair}"`);
    }
    weights[phase as (typeof LOAD_PHASES)[number]] = weight;
  }
  const threshold = env.OVERFLOW_THRESHOLD === undefined || env.OVERFLOW_THRESHOLD === '' ? 0.9 : Number(env.OVERFLOW_THRESHOLD);
  if (!Number.isFinite(threshold) || threshold <= 0 || threshold > 1) {
    throw new ConfigError(`OVERFLOW_THRESHOLD must be a fraction above 0 and at most 1 (e.g. 0.9), got "${env.OVERFLOW_THRESHOLD}"`);
  }
  return { weights, overflowThreshold: threshold };
}

function parseMonths(name: string, raw: string | undefined, fallback: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > 1200) throw new ConfigError(`${name} must be a whole number of months from 1 to 1200, got "${raw}"`);
  return value;
}

function parseRetention(env: NodeJS.ProcessEnv): RetentionTerms {
  return {
    REGISTRATION_WITHOUT_HELP: parseMonths('RETENTION_REGISTRATION_WITHOUT_HELP_MONTHS', env.RETENTION_REGISTRATION_WITHOUT_HELP_MONTHS, 12),
    PARTNERSHIP_DOSSIER: parseMonths('RETENTION_PARTNERSHIP_DOSSIER_MONTHS', env.RETENTION_PARTNERSHIP_DOSSIER_MONTHS, 36),
    SCHOOL_DATA: parseMonths('RETENTION_SCHOOL_DATA_MONTHS', env.RETENTION_SCHOOL_DATA_MONTHS, 24),
    CARE_DOSSIER: parseMonths('RETENTION_CARE_DOSSIER_MONTHS', env.RETENTION_CARE_DOSSIER_MONTHS, 240),
  };
}

function parseDashboard(env: NodeJS.ProcessEnv, production: boolean): DashboardSettings {
  return {
    smallCountK: parseCount('DASHBOARD_SMALL_COUNT_K', env.DASHBOARD_SMALL_COUNT_K, 5),
    page: parseBoolean('DASHBOARD_PAGE', env.DASHBOARD_PAGE, !production),
    maxMonths: parseMonths('DASHBOARD_MAX_MONTHS', env.DASHBOARD_MAX_MONTHS, 60),
  };
}

function parseLimit(name: string, raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 1 || value > max) throw new ConfigError(`${name} must be a whole number from 1 to ${max}, got "${raw}"`);
  return value;
}

function parseQueryBudget(env: NodeJS.ProcessEnv): QueryBudget {
  return {
    maxDepth: parseLimit('QUERY_MAX_DEPTH', env.QUERY_MAX_DEPTH, 15, 100),
    maxAliases: parseLimit('QUERY_MAX_ALIASES', env.QUERY_MAX_ALIASES, 30, 1000),
    maxCost: parseLimit('QUERY_MAX_COST', env.QUERY_MAX_COST, 25_000, 1_000_000_000_000),
    maxMutationFields: parseLimit('MUTATION_MAX_FIELDS', env.MUTATION_MAX_FIELDS, 10, 100),
  };
}

function parseUrl(name: string, raw: string | undefined): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  try {
    new URL(raw);
  } catch {
    throw new ConfigError(`${name} must be a URL, got "${raw}"`);
  }
  return raw;
}

function parseObservability(env: NodeJS.ProcessEnv, nodeEnv: NodeEnv, host: string): ObservabilitySettings {
  const level = (env.LOG_LEVEL || 'info').toLowerCase();
  if (!LOG_LEVELS.includes(level as LogLevel)) throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);
  const format = env.LOG_FORMAT || (nodeEnv === 'development' ? 'pretty' : 'json');
  if (format !== 'json' && format !== 'pretty') throw new ConfigError(`LOG_FORMAT must be json or pretty, got "${env.LOG_FORMAT}"`);
  const rawPort = env.METRICS_PORT || (nodeEnv === 'production' ? '9464' : 'main');
  let metricsPort: ObservabilitySettings['metricsPort'];
  if (rawPort === 'main' || rawPort === 'off') metricsPort = rawPort;
  else {
    metricsPort = Number(rawPort);
    if (!Number.isInteger(metricsPort) || metricsPort < 0 || metricsPort > 65535) throw new ConfigError(`METRICS_PORT must be main, off or a port from 0 to 65535, got "${rawPort}"`);
  }
  return {
    logLevel: level as LogLevel,
    logFormat: format,
    metricsPort,
    metricsHost: env.METRICS_HOST || host,
    otlpEndpoint: parseUrl('OTEL_EXPORTER_OTLP_ENDPOINT', env.OTEL_EXPORTER_OTLP_ENDPOINT),
    serviceName: env.OTEL_SERVICE_NAME || 'toptrajecten-api',
  };
}

/** Reads and validates the configuration from an environment (default: `process.env`). */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const rawEnv = env.NODE_ENV ?? 'development';
  if (!['development', 'test', 'production'].includes(rawEnv)) {
    throw new ConfigError(`NODE_ENV must be development, test or production, got "${rawEnv}"`);
  }
  const nodeEnv = rawEnv as NodeEnv;
  const production = nodeEnv === 'production';
  const databaseUrl = parseUrl('DATABASE_URL', env.DATABASE_URL);
  const migrationDatabaseUrl = parseUrl('MIGRATION_DATABASE_URL', env.MIGRATION_DATABASE_URL);
  if (migrationDatabaseUrl && !databaseUrl) throw new ConfigError('MIGRATION_DATABASE_URL needs DATABASE_URL (the embedded database sets up both roles itself)');

  const jwksUrl = parseUrl('AUTH_JWKS_URL', env.AUTH_JWKS_URL);
  const issuer = env.AUTH_ISSUER || undefined;
  const audience = env.AUTH_AUDIENCE || undefined;
  let jwtSecret = env.AUTH_JWT_SECRET || undefined;
  if (production) {
    if (!jwksUrl) throw new ConfigError('AUTH_JWKS_URL is required when NODE_ENV=production');
    if (!issuer || !audience) {
      throw new ConfigError('AUTH_ISSUER and AUTH_AUDIENCE are required when NODE_ENV=production');
    }
    if (jwtSecret) throw new ConfigError('AUTH_JWT_SECRET must not be set when NODE_ENV=production');
  } else if (!jwksUrl && !jwtSecret) {
    jwtSecret = DEVELOPMENT_JWT_SECRET;
  }
  if (jwtSecret !== undefined && jwtSecret.length < 32) {
    throw new ConfigError('AUTH_JWT_SECRET must be at least 32 characters');
  }

  const checkpointKey = env.AUDIT_CHECKPOINT_KEY || (production ? '' : DEVELOPMENT_CHECKPOINT_KEY);
  if (checkpointKey.length < 32) throw new ConfigError('AUDIT_CHECKPOINT_KEY is required (at least 32 characters) when NODE_ENV=production');
  const dataDir = path.resolve(env.DATA_DIR || '.data');
  const checkpointSeconds = env.AUDIT_CHECKPOINT_SECONDS === '0' ? 0 : parseLimit('AUDIT_CHECKPOINT_SECONDS', env.AUDIT_CHECKPOINT_SECONDS, 60, 86_400);

  const pseudonymKey = env.PSEUDONYM_KEY || (production ? '' : DEVELOPMENT_PSEUDONYM_KEY);
  if (pseudonymKey.length < 16) {
    throw new ConfigError('PSEUDONYM_KEY is required (at least 16 characters) when NODE_ENV=production');
  }

  const host = env.HOST || '127.0.0.1';
  return {
    nodeEnv,
    port: parsePort(env.PORT),
    host,
    databaseUrl,
    migrationDatabaseUrl,
    dataDir,
    seedDemoData: parseBoolean('SEED_DEMO_DATA', env.SEED_DEMO_DATA, databaseUrl === undefined && !production),
    embeddedRestarts: {
      maxRestarts: env.EMBEDDED_POSTGRES_MAX_RESTARTS === '0' ? 0 : parseLimit('EMBEDDED_POSTGRES_MAX_RESTARTS', env.EMBEDDED_POSTGRES_MAX_RESTARTS, 5, 100),
      windowSeconds: parseLimit('EMBEDDED_POSTGRES_RESTART_WINDOW_SECONDS', env.EMBEDDED_POSTGRES_RESTART_WINDOW_SECONDS, 60, 86_400),
    },
    logSql: parseBoolean('LOG_SQL', env.LOG_SQL, false),
    requestTimeoutMs: parseLimit('REQUEST_TIMEOUT_MS', env.REQUEST_TIMEOUT_MS, 20_000, 3_600_000),
    readPrefetch: parseBoolean('READ_PREFETCH', env.READ_PREFETCH, true),
    readCompiled: parseBoolean('READ_COMPILED', env.READ_COMPILED, true),
    database: {
      poolSize: parseLimit('DATABASE_POOL_SIZE', env.DATABASE_POOL_SIZE, 10, 1000),
      poolWaitMs: parseLimit('DATABASE_POOL_WAIT_MS', env.DATABASE_POOL_WAIT_MS, 5_000, 600_000),
      statementTimeoutMs: parseLimit('DATABASE_STATEMENT_TIMEOUT_MS', env.DATABASE_STATEMENT_TIMEOUT_MS, 15_000, 3_600_000),
      preparedStatements: env.DATABASE_PREPARED_STATEMENTS === '0' ? 0 : parseLimit('DATABASE_PREPARED_STATEMENTS', env.DATABASE_PREPARED_STATEMENTS, 64, 10_000),
    },
    auth: {
      jwtSecret, jwksUrl, issuer, audience,
      maxTokenLifetimeSeconds: parseLimit('AUTH_MAX_TOKEN_LIFETIME_SECONDS', env.AUTH_MAX_TOKEN_LIFETIME_SECONDS, 12 * 3600, 7 * 24 * 3600),
      clockSkewSeconds: parseLimit('AUTH_CLOCK_SKEW_SECONDS', env.AUTH_CLOCK_SKEW_SECONDS, 30, 600),
    },
    pseudonymKey,
    phaseNorms: parsePhaseNorms(env),
    caseload: parseCaseload(env),
    retention: parseRetention(env),
    dashboard: parseDashboard(env, production),
    queryBudget: parseQueryBudget(env),
    idempotencyKeyHours: parseLimit('IDEMPOTENCY_KEY_HOURS', env.IDEMPOTENCY_KEY_HOURS, 24, 24 * 30),
    rateLimits: {
      enabled: parseBoolean('RATE_LIMIT_ENABLED', env.RATE_LIMIT_ENABLED, true),
      addressBurst: parseLimit('RATE_LIMIT_ADDRESS_BURST', env.RATE_LIMIT_ADDRESS_BURST, 600, 1_000_000),
      addressPerSecond: parseLimit('RATE_LIMIT_ADDRESS_PER_SECOND', env.RATE_LIMIT_ADDRESS_PER_SECOND, 50, 100_000),
      userBurst: parseLimit('RATE_LIMIT_USER_BURST', env.RATE_LIMIT_USER_BURST, 120, 1_000_000),
      userPerSecond: parseLimit('RATE_LIMIT_USER_PER_SECOND', env.RATE_LIMIT_USER_PER_SECOND, 4, 100_000),
      failedAuthCost: parseLimit('RATE_LIMIT_FAILED_AUTH_COST', env.RATE_LIMIT_FAILED_AUTH_COST, 20, 1000),
    },
    trustProxy: env.TRUST_PROXY ? env.TRUST_PROXY : false,
    auditCheckpoints: { file: path.resolve(env.AUDIT_CHECKPOINT_FILE || path.join(dataDir, 'audit-checkpoints.jsonl')), key: checkpointKey, intervalSeconds: checkpointSeconds },
    auditArchive: {
      dir: path.resolve(env.AUDIT_ARCHIVE_DIR || path.join(dataDir, 'audit-archive')),
      afterMonths: parseMonths('AUDIT_ARCHIVE_AFTER_MONTHS', env.AUDIT_ARCHIVE_AFTER_MONTHS, 24),
    },
    observability: parseObservability(env, nodeEnv, host),
  };
}
