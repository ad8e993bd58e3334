/**
 * The read-path benchmark (`npm run bench`; the smoke test runs it tiny): builds a data set
 * (./dataset.ts), starts the API and the single-SQL baseline (./single-sql-server.js) on the
 * same database, and puts a bounded load on each representative operation of each role, on
 * loopback: 10 requests in flight for a fixed time, after a warm-up. Per operation it reports
 * the SQL statements of one request (`x-sql-statements`), p50, p97.5, p99, requests per
 * second and the server's memory, next to the baseline's statement where the operation has
 * one, as ratios, and next to PostGraphile 5 (./postgraphile-server.js) on the same database
 * where the operation has an equivalent query there, after checking once that both answer the
 * same rows. At national scale the same operations are measured again after the rest of the
 * country is added, for the national-to-Amsterdam ratio.
 *
 * `process` mode runs the three servers as processes of their own (the API as `npm start` runs it,
 * from dist/), so the load generator's CPU is not theirs; `inline` mode (the smoke test) runs
 * them in the test's process.
 */
import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { DataSource } from 'typeorm';
import { mintDevelopmentToken } from '../../src/auth/authenticate';
import { Config, loadConfig } from '../../src/config';
import { appendStatement } from '../../src/audit/access-log-writer';
import type { AccessLogRow } from '../../src/audit/access-recorder';
import { CHAIN_COLUMNS, chainRowOf, verifyChain } from '../../src/audit/chain';
import { ACTOR_BY_SUBJECT_SQL } from '../../src/authz/actor';
import { startTenantTransactionSql } from '../../src/db/tenancy';
import { demoEmail } from '../../src/demo/seed';
import { startServer } from '../../src/graphql/server';
import { createLogger } from '../../src/observability/logger';
import { PROJECT_ROOT } from '../../src/paths';
import { addCountry, buildAmsterdam, countRows, DatasetCounts, Progress, Scale } from './dataset';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const singleSql = require('./single-sql-server.js') as { start(url: string, sql: Record<string, string>, port?: number, apiUrl?: string): Promise<{ port: number; stop(): Promise<void> }> };
// eslint-disable-next-line @typescript-eslint/no-require-imports
const postgraphile = require('./postgraphile-server.js') as { start(url: string, port?: number): Promise<{ port: number; stop(): Promise<void> }> };

/** The issue's nested caseload list: the headline operation. */
const NESTED_CASELOAD = `query NestedCaseload { trajectories(first: 50) { totalCount edges { node { id phase phaseDueOn
  student { givenName familyName } school { name windstreek { name } } team { name }
  events(first: 5) { edges { node { id } } } } } } }`;

/** The nested caseload's JSON in one statement: trajectories in scope ($1 partnership, $2 school or null), newest first. */
const NESTED_CASELOAD_SQL = (scope: string) => `
SELECT json_build_object('trajectories', json_build_object(
  'totalCount', (SELECT count(*) FROM trajectory x WHERE ${scope.replace(/t\./g, 'x.')}),
  'edges', coalesce((SELECT json_agg(json_build_object('node', json_build_object(
      'id', t.id, 'phase', t.phase, 'phaseDueOn', t.phase_due_on,
      'student', json_build_object('givenName', s.given_name, 'familyName', s.family_name),
      'school', json_build_object('name', sc.name, 'windstreek', json_build_object('name', w.name)),
      'team', CASE WHEN tm.id IS NULL THEN NULL ELSE json_build_object('name', tm.name) END,
      'events', json_build_object('edges', coalesce((SELECT json_agg(json_build_object('node', json_build_object('id', e.id)) ORDER BY e.sequence)
                  FROM (SELECT id, sequence FROM trajectory_event WHERE trajectory_id = t.id ORDER BY sequence LIMIT 5) e), '[]'::json))
    )) ORDER BY t.created_at DESC, t.id)
    FROM (SELECT * FROM trajectory t WHERE ${scope} ORDER BY created_at DESC, id LIMIT 50) t
    JOIN student s ON s.id = t.student_id JOIN school sc ON sc.id = t.school_id JOIN windstreek w ON w.id = sc.windstreek_id
    LEFT JOIN topteam tm ON tm.id = t.team_id), '[]'::json))) AS data`;

const STUDENTS_SQL = `
SELECT json_build_object('students', json_build_object(
  'totalCount', (SELECT count(*) FROM student WHERE school_id = $1),
  'pageInfo', json_build_object('hasNextPage', (SELECT count(*) > 50 FROM student WHERE school_id = $1), 'endCursor', NULL),
  'edges', coalesce((SELECT json_agg(json_build_object('cursor', s.id, 'node', json_build_object('id', s.id, 'pseudonym', s.pseudonym,
      'givenName', s.given_name, 'familyName', s.family_name, 'birthDate', s.birth_date, 'studentNumber', s.student_number,
      'expectedExitLevel', s.expected_exit_level, 'school', json_build_object('id', s.school_id))) ORDER BY s.family_name, s.given_name, s.id)
    FROM (SELECT * FROM student WHERE school_id = $1 ORDER BY family_name, given_name, id LIMIT 50) s), '[]'::json))) AS data`;

const TRAJECTORY_SQL = `
SELECT json_build_object('trajectory', (SELECT json_build_object('id', t.id, 'phase', t.phase, 'problemAreas', t.problem_areas,
  'student', json_build_object('id', t.student_id), 'school', json_build_object('id', t.school_id), 'windstreek', json_build_object('id', t.windstreek_id),
  'team', CASE WHEN t.team_id IS NULL THEN NULL ELSE json_build_object('id', t.team_id) END,
  'events', (SELECT json_build_object('totalCount', count(*), 'edges', coalesce(json_agg(json_build_object('node', json_build_object('id', e.id, 'act', e.act, 'fromPhase', e.from_phase, 'toPhase', e.to_phase)) ORDER BY e.sequence), '[]'::json)) FROM trajectory_event e WHERE e.trajectory_id = t.id),
  'goals', (SELECT json_build_object('totalCount', count(*), 'edges', coalesce(json_agg(json_build_object('node', json_build_object('id', g.id, 'description', g.description)) ORDER BY g.created_at, g.id), '[]'::json)) FROM goal g WHERE g.trajectory_id = t.id),
  'notes', (SELECT json_build_object('totalCount', count(*), 'edges', coalesce(json_agg(json_build_object('node', json_build_object('id', n.id, 'body', n.body)) ORDER BY n.created_at, n.id), '[]'::json)) FROM note n WHERE n.trajectory_id = t.id)
) FROM trajectory t WHERE t.id = $1)) AS data`;

/**
 * The nested caseload in PostGraphile's names (amber inflection on our tables: relations by
 * their foreign keys, which all start with partnership_id), in the API's order (newest first,
 * the id as tie-breaker in the same direction; events in sequence), scoped by `condition`.
 */
const PGL_NESTED_CASELOAD = (scope: 'partnershipId' | 'schoolId') => `query NestedCaseload($scope: UUID!) {
  allTrajectories(first: 50, orderBy: [CREATED_AT_DESC, ROW_ID_DESC], condition: { ${scope}: $scope }) { totalCount edges { node { rowId phase phaseDueOn
    studentByPartnershipIdAndStudentId { givenName familyName } schoolByPartnershipIdAndSchoolId { name windstreekByPartnershipIdAndWindstreekId { name } }
    topteamByPartnershipIdAndTeamId { name }
    trajectoryEventsByPartnershipIdAndTrajectoryId(first: 5, orderBy: [SEQUENCE_ASC, ROW_ID_ASC]) { edges { node { rowId } } } } } } }`;

/** The student list (test/operations `Students`, newest first) of one school. */
const PGL_STUDENTS = `query Students($school: UUID!) {
  allStudents(first: 50, orderBy: [CREATED_AT_DESC, ROW_ID_DESC], condition: { schoolId: $school }) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { rowId pseudonym givenName familyName birthDate studentNumber expectedExitLevel schoolId } } } }`;

/** One trajectory with its records (test/operations `Trajectory`: pages of 20, each list in the API's order). */
const PGL_TRAJECTORY = `query Trajectory($id: UUID!) {
  trajectoryByRowId(rowId: $id) { rowId phase problemAreas studentId schoolId windstreekId teamId
    trajectoryEventsByPartnershipIdAndTrajectoryId(first: 20, orderBy: [SEQUENCE_ASC, ROW_ID_ASC]) { totalCount edges { node { rowId act fromPhase toPhase } } }
    goalsByPartnershipIdAndTrajectoryId(first: 20, orderBy: [CREATED_AT_ASC, ROW_ID_ASC]) { totalCount edges { node { rowId description } } }
    notesByPartnershipIdAndTrajectoryId(first: 20, orderBy: [CREATED_AT_DESC, ROW_ID_DESC]) { totalCount edges { node { rowId body } } } } }`;

/** The rows of a connection in an answer: its total and the ids of its page, in order (the API's `id`, PostGraphile's `rowId`). */
interface PageRows { totalCount: number | null; ids: string[] }

function pageRows(connection: unknown): PageRows {
  const c = (connection ?? {}) as { totalCount?: number; edges?: Array<{ node: { id?: string; rowId?: string } }> };
  return { totalCount: c.totalCount ?? null, ids: (c.edges ?? []).map((e) => e.node.rowId ?? e.node.id ?? '') };
}

const OPERATIONS_DIR = path.join(PROJECT_ROOT, 'test', 'operations');

/** A named operation of the clients' own documents (test/operations/*.graphql), fragments included. */
export function clientOperation(name: string): string {
  const documents = fs.readdirSync(OPERATIONS_DIR).filter((f) => f.endsWith('.graphql')).map((f) => fs.readFileSync(path.join(OPERATIONS_DIR, f), 'utf8'));
  for (const document of documents) {
    if (new RegExp(`^(query|mutation) ${name}\\b`, 'm').test(document)) return document;
  }
  throw new Error(`no operation ${name} in test/operations`);
}

export interface Operation {
  /** Label in the report. */
  label: string;
  role: string;
  subject: string;
  query: string;
  operationName?: string;
  variables?: Record<string, unknown>;
  /** The baseline's statement and its parameters, where the operation has one. */
  baseline?: { sql: string; params: unknown[] };
  /** A check of one answer: the measured thing must answer right. */
  check(data: Record<string, unknown>): boolean;
  /**
   * The equivalent PostGraphile query, where the operation has a natural one, and the rows of an
   * answer (by name: each list's total and page of ids) from the API's answer and from
   * PostGraphile's: checked equal once per run before either is measured.
   */
  postgraphile?: {
    query: string;
    variables: Record<string, unknown>;
    apiRows(data: Record<string, unknown>): Record<string, PageRows>;
    rows(data: Record<string, unknown>): Record<string, PageRows>;
  };
  /**
   * A mutation's variables per connection: each connection writes to a case of its own (notes
   * on one case from ten connections at once mostly answer CONFLICT: every case-record write
   * bumps the trajectory's version). Fewer cases, fewer connections.
   */
  perConnection?: Array<Record<string, unknown>>;
}

const edges = (data: Record<string, unknown>, root: string) => ((data[root] as { edges?: unknown[] } | null)?.edges ?? []).length;

/** The ids the operations need, from the data set (the same in every scale). */
export async function operationsFor(owner: DataSource, amsterdamId: string): Promise<Operation[]> {
  const one = async (sql: string, params: unknown[] = []) => ((await owner.query(sql, params))[0] ?? {}) as Record<string, string>;
  const school = await one(`SELECT s.id FROM school s JOIN membership m ON m.school_id = s.id JOIN app_user u ON u.id = m.user_id WHERE u.email = $1`, [demoEmail('school1.noord')]);
  const team = await one(`SELECT t.id FROM topteam t JOIN membership m ON m.topteam_id = t.id JOIN app_user u ON u.id = m.user_id WHERE u.email = $1`, [demoEmail('scientist.noord')]);
  const detail = await one(`SELECT t.id FROM trajectory t WHERE t.team_id = $1 AND t.phase IN ('ASSESSMENT','INTENSIVE','CONSOLIDATION')
     ORDER BY (SELECT count(*) FROM trajectory_event e WHERE e.trajectory_id = t.id) DESC, t.id LIMIT 1`, [team.id]);
  const running: string[] = (await owner.query(`SELECT id FROM trajectory WHERE team_id = $1 AND phase IN ('ASSESSMENT','INTENSIVE','CONSOLIDATION')
     ORDER BY id LIMIT 10`, [team.id])).map((r: { id: string }) => r.id);
  const waiting = await one(`SELECT id FROM trajectory WHERE partnership_id = $1 AND phase = 'ACCEPTED' AND team_id IS NULL ORDER BY created_at, id LIMIT 1`, [amsterdamId]);
  const ops: Operation[] = [
    {
      label: 'nested caseload list (programme coordinator)', role: 'PROGRAMME_COORDINATOR', subject: demoEmail('coordinator'), query: NESTED_CASELOAD,
      baseline: { sql: NESTED_CASELOAD_SQL('t.partnership_id = $1'), params: [amsterdamId] }, check: (d) => edges(d, 'trajectories') > 0,
      postgraphile: {
        query: PGL_NESTED_CASELOAD('partnershipId'), variables: { scope: amsterdamId },
        apiRows: (d) => ({ trajectories: pageRows(d.trajectories) }), rows: (d) => ({ trajectories: pageRows(d.allTrajectories) }),
      },
    },
    {
      label: 'nested caseload list (school coordinator)', role: 'SCHOOL_COORDINATOR', subject: demoEmail('school1.noord'), query: NESTED_CASELOAD,
      baseline: { sql: NESTED_CASELOAD_SQL('t.school_id = $1'), params: [school.id] }, check: (d) => edges(d, 'trajectories') > 0,
      postgraphile: {
        query: PGL_NESTED_CASELOAD('schoolId'), variables: { scope: school.id },
        apiRows: (d) => ({ trajectories: pageRows(d.trajectories) }), rows: (d) => ({ trajectories: pageRows(d.allTrajectories) }),
      },
    },
    {
      label: 'student list (school coordinator)', role: 'SCHOOL_COORDINATOR', subject: demoEmail('school1.noord'), query: clientOperation('Students'),
      operationName: 'Students', variables: { first: 50 }, baseline: { sql: STUDENTS_SQL, params: [school.id] }, check: (d) => edges(d, 'students') > 0,
      postgraphile: {
        query: PGL_STUDENTS, variables: { school: school.id },
        apiRows: (d) => ({ students: pageRows(d.students) }), rows: (d) => ({ students: pageRows(d.allStudents) }),
      },
    },
    {
      label: 'team caseload (team member)', role: 'TEAM_MEMBER', subject: demoEmail('scientist.noord'), query: clientOperation('Trajectories'),
      operationName: 'Trajectories', variables: { first: 50 }, check: (d) => edges(d, 'trajectories') > 0,
    },
    {
      label: 'trajectory with its records (team member)', role: 'TEAM_MEMBER', subject: demoEmail('scientist.noord'), query: clientOperation('Trajectory'),
      operationName: 'Trajectory', variables: { id: detail.id }, baseline: { sql: TRAJECTORY_SQL, params: [detail.id] }, check: (d) => d.trajectory !== null,
      postgraphile: {
        query: PGL_TRAJECTORY, variables: { id: detail.id },
        apiRows: (d) => {
          const t = d.trajectory as Record<string, unknown>;
          return { events: pageRows(t.events), goals: pageRows(t.goals), notes: pageRows(t.notes) };
        },
        rows: (d) => {
          const t = d.trajectoryByRowId as Record<string, unknown>;
          return { events: pageRows(t.trajectoryEventsByPartnershipIdAndTrajectoryId), goals: pageRows(t.goalsByPartnershipIdAndTrajectoryId), notes: pageRows(t.notesByPartnershipIdAndTrajectoryId) };
        },
      },
    },
    {
      label: 'team loads (programme coordinator)', role: 'PROGRAMME_COORDINATOR', subject: demoEmail('coordinator'), query: clientOperation('TeamLoads'),
      operationName: 'TeamLoads', check: (d) => Array.isArray(d.teamLoads) && d.teamLoads.length === 4,
    },
    {
      label: 'consents (privacy officer)', role: 'PRIVACY_OFFICER', subject: demoEmail('privacy'), query: clientOperation('Consents'),
      operationName: 'Consents', variables: { first: 50 }, check: (d) => edges(d, 'consents') > 0,
    },
    {
      label: 'access log page (privacy officer)', role: 'PRIVACY_OFFICER', subject: demoEmail('privacy'), query: clientOperation('AccessLogPeriod'),
      operationName: 'AccessLogPeriod', variables: { first: 50 }, check: (d) => edges(d, 'accessLog') > 0,
    },
    {
      label: 'dashboard (partnership analyst)', role: 'PARTNERSHIP_ANALYST', subject: demoEmail('analyst'), query: clientOperation('Dashboard'),
      operationName: 'Dashboard', check: (d) => d.dashboard !== null,
    },
  ];
  if (running.length > 0) {
    ops.push({
      label: 'add a note, a case-work act (team member)', role: 'TEAM_MEMBER', subject: demoEmail('scientist.noord'), query: clientOperation('AddNote'),
      operationName: 'AddNote', perConnection: running.map((trajectoryId) => ({ input: { trajectoryId, body: 'Gesprek met mentor gehad.' } })),
      check: (d) => d.addNote !== null,
    });
  }
  if (waiting.id) {
    ops.splice(6, 0, {
      label: 'assignment proposal (programme coordinator)', role: 'PROGRAMME_COORDINATOR', subject: demoEmail('coordinator'), query: clientOperation('AssignmentProposal'),
      operationName: 'AssignmentProposal', variables: { trajectoryId: waiting.id }, check: (d) => d.assignmentProposal !== null,
    });
  }
  return ops;
}

// ---------------------------------------------------------------------------------------------
// Load
// ---------------------------------------------------------------------------------------------

export interface Measurement { statements: number; p50: number; p975: number; p99: number; rps: number; requests: number; memoryMb: number }

/** What the requests of one operation added to the access log, per request. */
export interface LogGrowth { rows: number; bytes: number }

const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

function post(port: number, urlPath: string, body: string, headers: Record<string, string>): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), ...headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

/** Throws unless PostGraphile's answer holds the same rows as the API's (each list's total and page of ids, in order). */
export function checkSameRows(op: Operation, apiAnswer: Record<string, unknown>, postgraphileAnswer: Record<string, unknown>): void {
  const ours = op.postgraphile!.apiRows(apiAnswer);
  const theirs = op.postgraphile!.rows(postgraphileAnswer);
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    throw new Error(`${op.label}: PostGraphile answers other rows than the API: ${JSON.stringify({ api: ours, postgraphile: theirs }).slice(0, 2000)}`);
  }
}

/** How many SQL statements PostGraphile's server has sent so far (./postgraphile-server.js counts them). */
function statementsSent(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    http.get({ host: '127.0.0.1', port, path: '/statements', agent }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk) => (text += chunk));
      res.on('end', () => resolve(Number(text)));
    }).on('error', reject);
  });
}

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];

/** `connections` loops sending `send` for `seconds` after a warm-up; latency in ms. */
async function load(send: (connection: number) => Promise<void>, connections: number, seconds: number): Promise<{ latencies: number[]; elapsed: number }> {
  const warmUntil = Date.now() + Math.min(1000, seconds * 250);
  while (Date.now() < warmUntil) await send(0);
  const latencies: number[] = [];
  const started = process.hrtime.bigint();
  const until = Date.now() + seconds * 1000;
  await Promise.all(Array.from({ length: connections }, async (_, connection) => {
    while (Date.now() < until) {
      const t = process.hrtime.bigint();
      await send(connection);
      latencies.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
  }));
  return { latencies, elapsed: Number(process.hrtime.bigint() - started) / 1e9 };
}

function summarise(latencies: number[], elapsed: number, statements: number, memoryMb: number): Measurement {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    statements, p50: quantile(sorted, 0.5), p975: quantile(sorted, 0.975), p99: quantile(sorted, 0.99),
    rps: latencies.length / elapsed, requests: latencies.length, memoryMb,
  };
}

// ---------------------------------------------------------------------------------------------
// Servers
// ---------------------------------------------------------------------------------------------

interface Servers {
  apiPort: number;
  baselinePort: number;
  postgraphilePort: number;
  /** Resident memory of PostGraphile's process, MB (0 in inline mode, as the baseline's: it shares this process). */
  postgraphileMemoryMb(): number;
  /** CPU seconds the API has used so far (its process; in inline mode, this process). */
  apiCpuSeconds(): number;
  /** Resident memory of the API's process, MB. */
  apiMemoryMb(): number;
  stop(): Promise<void>;
}

function rssMbOf(pid: number): number {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
  } catch {
    return 0;
  }
}

const ownCpuSeconds = () => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1e6;
};

/** CPU seconds (user and system) used so far by each of the processes `pids`, from /proc (none where it cannot be read). */
function cpuByPid(pids: number[]): Map<number, number> {
  const seconds = new Map<number, number>();
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      seconds.set(pid, (Number(fields[11]) + Number(fields[12])) / 100); // utime + stime, in USER_HZ ticks
    } catch {
      // gone, or not Linux
    }
  }
  return seconds;
}

const cpuSecondsOf = (pids: number[]) => [...cpuByPid(pids).values()].reduce((a, b) => a + b, 0);

/** The PostgreSQL server's processes (postmaster and backends) on this machine. */
function postgresPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.existsSync('/proc') ? fs.readdirSync('/proc') : []) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (fs.readFileSync(`/proc/${entry}/comm`, 'utf8').trim() === 'postgres') pids.push(Number(entry));
    } catch {
      // gone
    }
  }
  return pids;
}

/**
 * PostgreSQL's CPU seconds between two snapshots: a backend alive at both counts its growth, one
 * that started in between all of its time; one that ended in between is lost (a parallel worker:
 * an undercount, never a negative).
 */
function postgresCpuSince(before: Map<number, number>): number {
  let total = 0;
  for (const [pid, now] of cpuByPid(postgresPids())) total += now - (before.get(pid) ?? 0);
  return total;
}

function spawnListening(command: string, args: string[], env: NodeJS.ProcessEnv, pattern: RegExp): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: PROJECT_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    // Everything until the server listens; then only the last lines (for an exit's message): a
    // request log line per request must not pile up in the process that measures.
    let out = '';
    let listening = false;
    const keep = (chunk: Buffer) => {
      out += chunk.toString();
      if (listening && out.length > 4000) out = out.slice(-2000);
    };
    child.stdout!.on('data', (chunk: Buffer) => {
      keep(chunk);
      const match = listening ? null : pattern.exec(out);
      if (match) {
        listening = true;
        resolve({ child, port: Number(match[1]) });
      }
    });
    child.stderr!.on('data', keep);
    child.on('exit', (code) => reject(new Error(`${args.join(' ')} exited (${code}): ${out.slice(-2000)}`)));
  });
}

/**
 * The API's settings in the benchmark: rate limits off (all load comes from one address and a few
 * users), no checkpoint timer; the request log on, as JSON lines as in production (development's
 * default, pino-pretty, formats every line in the request's own thread).
 */
const API_ENV = { NODE_ENV: 'development', LOG_FORMAT: 'json', RATE_LIMIT_ENABLED: 'false', AUDIT_CHECKPOINT_SECONDS: '0', SEED_DEMO_DATA: 'false', DATABASE_POOL_SIZE: '10' };

/** One API server: in its own process (as `npm start` runs it, from dist/) or in this one. */
async function startApi(mode: 'process' | 'inline', urls: { api: string; owner: string }, apiDataSource: () => Promise<DataSource>): Promise<{ port: number; memoryMb(): number; cpuSeconds(): number; stop(): Promise<void> }> {
  if (mode === 'inline') {
    const config = loadConfig({ ...API_ENV, NODE_ENV: 'test' });
    const dataSource = await apiDataSource();
    // The test's output is no place for a request log line per request: warnings and errors only.
    const logger = createLogger({ logLevel: 'warn', logFormat: 'json' });
    const api = await startServer({ config, dataSource, logger }, 0, '127.0.0.1');
    return {
      port: api.port, memoryMb: () => process.memoryUsage().rss / 1024 / 1024, cpuSeconds: ownCpuSeconds,
      stop: async () => {
        await api.stop();
        await dataSource.destroy();
      },
    };
  }
  const main = path.join(PROJECT_ROOT, 'dist', 'src', 'main.js');
  if (!fs.existsSync(main)) throw new Error('dist/src/main.js is missing: `npm run bench` builds it first (npm run build)');
  // BENCH_API_NODE_OPTIONS: flags for the API's node (e.g. `--cpu-prof --cpu-prof-dir=.data/prof` to profile it under load).
  const nodeFlags = (process.env.BENCH_API_NODE_OPTIONS ?? '').split(' ').filter(Boolean);
  const api = await spawnListening(process.execPath, [...nodeFlags, main], { ...API_ENV, DATABASE_URL: urls.api, MIGRATION_DATABASE_URL: urls.owner, PORT: '0' }, /ready at http:\/\/[^:]+:(\d+)\//);
  return { port: api.port, memoryMb: () => rssMbOf(api.child.pid!), cpuSeconds: () => cpuSecondsOf([api.child.pid!]), stop: () => stopChild(api.child) };
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise<void>((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function startServers(mode: 'process' | 'inline', urls: { api: string; owner: string }, statements: Record<string, string>, apiDataSource: () => Promise<DataSource>): Promise<Servers> {
  const api = await startApi(mode, urls, apiDataSource);
  if (mode === 'inline') {
    const baseline = await singleSql.start(urls.owner, statements, 0, urls.api);
    const graphile = await postgraphile.start(urls.owner);
    return {
      apiPort: api.port, baselinePort: baseline.port, postgraphilePort: graphile.port, apiMemoryMb: api.memoryMb, apiCpuSeconds: api.cpuSeconds,
      postgraphileMemoryMb: () => 0,
      stop: async () => {
        await api.stop();
        await baseline.stop();
        await graphile.stop();
      },
    };
  }
  const baseline = await spawnListening(process.execPath, [path.join(__dirname, 'single-sql-server.js')], { DATABASE_URL: urls.owner, API_DATABASE_URL: urls.api, BENCH_SQL: JSON.stringify(statements) }, /listening (\d+)/);
  const graphile = await spawnListening(process.execPath, [path.join(__dirname, 'postgraphile-server.js')], { DATABASE_URL: urls.owner }, /listening (\d+)/);
  return {
    apiPort: api.port, baselinePort: baseline.port, postgraphilePort: graphile.port, apiMemoryMb: api.memoryMb, apiCpuSeconds: api.cpuSeconds,
    postgraphileMemoryMb: () => rssMbOf(graphile.child.pid!),
    stop: async () => {
      await api.stop();
      await stopChild(baseline.child);
      await stopChild(graphile.child);
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Two API processes on one database
// ---------------------------------------------------------------------------------------------

export interface TwoProcesses {
  /** Read operations whose answers were compared between the two; all equal. */
  sameAnswers: number;
  /** Concurrent assignTeam calls through both onto one team with room for `room` more new cases (loads weighted as the API weighs them). */
  assignments: { sent: number; succeeded: number; conflicts: number; room: number; loadBefore: number; loadAfter: number; capacity: number };
  /** The partnership's access-log chain after all of it. */
  chain: { intact: boolean; entries: number };
}

/**
 * The ground for running replicas: two API servers on the same database give the same answers,
 * and assignments sent through both at once still never push a team past its capacity (the
 * team's row lock is in the database, not in a process), and the access log stays one chain.
 */
async function twoProcesses(options: BenchOptions, ops: Operation[], amsterdamId: string): Promise<TwoProcesses> {
  const [a, b] = [await startApi(options.mode, options.urls, options.apiDataSource), await startApi(options.mode, options.urls, options.apiDataSource)];
  try {
    const ask = async (port: number, op: Operation, variables?: Record<string, unknown>) => {
      const token = await mintDevelopmentToken(options.config, op.subject);
      const res = await post(port, '/graphql', JSON.stringify({ query: op.query, operationName: op.operationName, variables: variables ?? op.variables ?? {} }), { authorization: `Bearer ${token}` });
      return JSON.parse(res.body) as { data?: Record<string, unknown>; errors?: Array<{ extensions?: { code?: string } }> };
    };
    let sameAnswers = 0;
    for (const op of ops.filter((o) => !o.perConnection && !o.label.startsWith('access log'))) {
      const [fromA, fromB] = [await ask(a.port, op), await ask(b.port, op)];
      if (JSON.stringify(fromA) !== JSON.stringify(fromB)) throw new Error(`${op.label}: the two servers answer differently`);
      sameAnswers++;
    }
    // Cases accepted and waiting for a team, on students without a trajectory, and a team with room for ten more.
    const owner = options.owner;
    const waiting: string[] = (await owner.query(
      `INSERT INTO trajectory (partnership_id, student_id, school_id, windstreek_id, phase, phase_started_at, problem_areas, registered_by_user_id, version, eligibility)
       SELECT $1, s.id, s.school_id, sc.windstreek_id, 'ACCEPTED', now(), t.problem_areas, t.registered_by_user_id, 1, t.eligibility
         FROM (SELECT * FROM student st WHERE st.partnership_id = $1 AND NOT EXISTS (SELECT 1 FROM trajectory x WHERE x.student_id = st.id) ORDER BY st.id LIMIT 30) s
         JOIN school sc ON sc.id = s.school_id
        CROSS JOIN (SELECT problem_areas, registered_by_user_id, eligibility FROM trajectory WHERE partnership_id = $1 AND eligibility IS NOT NULL ORDER BY id LIMIT 1) t
       RETURNING id`, [amsterdamId])).map((r: { id: string }) => r.id);
    const team = (await owner.query(`SELECT t.id FROM topteam t JOIN membership m ON m.topteam_id = t.id JOIN app_user u ON u.id = m.user_id WHERE u.email = $1`, [demoEmail('scientist.zuid')]))[0].id as string;
    // The team's load as the API weighs it (CASELOAD_WEIGHTS), from its own teamLoads.
    const loads: Operation = { label: 'loads', role: 'PROGRAMME_COORDINATOR', subject: demoEmail('coordinator'), query: clientOperation('TeamLoads'), operationName: 'TeamLoads', check: () => true };
    const loadOf = async () => {
      const answer = await ask(a.port, loads);
      const row = (answer.data?.teamLoads as Array<{ teamId: string; load: number; capacity: number }>).find((l) => l.teamId === team)!;
      return { load: row.load, capacity: row.capacity };
    };
    const before = await loadOf();
    const capacity = Math.ceil(before.load) + 10;
    const room = Math.floor(capacity - before.load);
    await owner.query('UPDATE topteam SET capacity = $2 WHERE id = $1', [team, capacity]);
    const assign: Operation = {
      label: 'assign', role: 'PROGRAMME_COORDINATOR', subject: demoEmail('coordinator'), query: clientOperation('AssignTeam'), operationName: 'AssignTeam',
      check: () => true,
    };
    const outcomes = await Promise.all(waiting.map((trajectoryId, i) => ask(i % 2 === 0 ? a.port : b.port, assign, { input: { trajectoryId, teamId: team, reason: 'Benchmark: two processes.' } })));
    const succeeded = outcomes.filter((o) => o.data?.assignTeam).length;
    const conflicts = outcomes.filter((o) => o.errors?.[0]?.extensions?.code === 'CONFLICT').length;
    const report = await verifyChain(owner, amsterdamId);
    return {
      sameAnswers,
      assignments: { sent: waiting.length, succeeded, conflicts, room, loadBefore: before.load, loadAfter: (await loadOf()).load, capacity },
      chain: { intact: report.intact, entries: report.entries },
    };
  } finally {
    await a.stop();
    await b.stop();
  }
}

// ---------------------------------------------------------------------------------------------
// The run
// ---------------------------------------------------------------------------------------------

export interface Row {
  scale: 'amsterdam' | 'national' | 'tiny';
  operation: string;
  role: string;
  /** Requests in flight (fewer for a mutation with fewer cases to write to). */
  connections: number;
  api: Measurement;
  /** Access-log rows and bytes (table and indexes) written per request. */
  log: LogGrowth;
  /** CPU milliseconds per request: the API's process, and PostgreSQL's processes (inline mode: the API's share includes the load generator). */
  cpu: { apiMs: number; postgresMs: number };
  baseline: Measurement | null;
  /**
   * The same statement with the guarantees and nothing else (./single-sql-server.js, "the
   * floor"): identity, bound transaction, the statement under row-level security, the API's own
   * access-log entries for one such request appended with the COMMIT.
   */
  floor: Measurement | null;
  /** API p50 / baseline p50 (the target: at most 2), and API req/s / baseline req/s. */
  p50Ratio: number | null;
  rpsRatio: number | null;
  /** PostGraphile on the same rows, where the operation has an equivalent query there (statements: those of one request, alone). */
  postgraphile: Measurement | null;
  /** API req/s / PostGraphile req/s (the target: at least 1). */
  postgraphileRpsRatio: number | null;
  /** The floor's req/s / PostGraphile req/s: the most any server with these guarantees could reach of the target. */
  floorPostgraphileRatio: number | null;
}

export interface BenchOptions {
  scale: Scale;
  mode: 'process' | 'inline';
  seconds: number;
  connections: number;
  owner: DataSource;
  urls: { api: string; owner: string };
  config: Config;
  apiDataSource(): Promise<DataSource>;
  progress?: Progress;
  /** Where the JSON and the Markdown go (none: not written). */
  outDir?: string;
}

export interface BenchResult {
  rows: Row[];
  datasets: Partial<Record<'amsterdam' | 'national' | 'tiny', DatasetCounts>>;
  /** The measured partnership's chain, verified by src/audit/chain.ts after the data set was built. */
  chain: { entries: number; seconds: number };
  /** Two API servers on the one database (after the first scale's measurements). */
  twoProcesses: TwoProcesses;
  machine: string;
  markdown: string;
}

/**
 * Gives the baseline server the floor's statements for `op` (./single-sql-server.js): the API's
 * identity statement for the caller, the API's bound START for the partnership, and the API's own
 * append of the entries the API wrote for request `requestId` (the floor writes them anew, under
 * fresh entry and request ids, so each of its requests logs what one of the API's logs). Returns
 * what its own check wrote to the log.
 */
async function registerGuard(port: number, owner: DataSource, op: Operation, requestId: string): Promise<LogGrowth> {
  const raw: Array<Record<string, unknown>> = await owner.query(`SELECT ${CHAIN_COLUMNS} FROM access_log_entry e WHERE e.request_id = $1 ORDER BY e.sequence`, [requestId]);
  if (raw.length === 0) throw new Error(`${op.label}: the API's request ${requestId} wrote no access-log entry to stand for the floor's`);
  const entries = raw.map(chainRowOf);
  const partnershipId = entries[0].partnershipId;
  const guard = {
    identity: { sql: ACTOR_BY_SUBJECT_SQL, params: [op.subject] },
    start: startTenantTransactionSql(partnershipId),
    append: appendStatement(partnershipId, entries as unknown as AccessLogRow[]),
    entryIds: entries.map((e) => e.id),
    requestId,
  };
  const res = await post(port, '/guard', JSON.stringify({ op: op.label, guard }), {});
  if (res.status !== 204) throw new Error(`${op.label}: the floor's statements were not registered: ${res.body.slice(0, 400)}`);
  // Before it is measured, the floor must answer what the plain statement answers (row-level
  // security bound to the right partnership) and log what the API logged for one request.
  const body = (guarded: boolean) => JSON.stringify({ op: op.label, params: op.baseline!.params, guarded });
  const before = await logSize(owner);
  const [plain, floor] = [await post(port, '/', body(false), {}), await post(port, '/', body(true), {})];
  const after = await logSize(owner);
  if (plain.status !== 200 || floor.status !== 200 || plain.body !== floor.body) {
    throw new Error(`${op.label}: the floor answers otherwise than the plain statement: ${JSON.stringify({ plain: plain.body.slice(0, 300), floor: floor.body.slice(0, 300) })}`);
  }
  if (after.rows - before.rows !== entries.length) throw new Error(`${op.label}: the floor logged ${after.rows - before.rows} entries, the API ${entries.length}`);
  // What that check wrote, which is not the API's growth.
  return { rows: after.rows - before.rows, bytes: after.bytes - before.bytes };
}

async function measureAll(options: BenchOptions, allOps: Operation[], scale: Row['scale']): Promise<Row[]> {
  // BENCH_ONLY: measure only the operations whose label contains it.
  const ops = allOps.filter((o) => !process.env.BENCH_ONLY || o.label.includes(process.env.BENCH_ONLY));
  const statements = Object.fromEntries(ops.filter((o) => o.baseline).map((o) => [o.label, o.baseline!.sql]));
  const servers = await startServers(options.mode, options.urls, statements, options.apiDataSource);
  const rows: Row[] = [];
  try {
    for (const [i, op] of ops.entries()) {
      options.progress?.(`measuring (${scale})`, i, ops.length);
      const token = await mintDevelopmentToken(options.config, op.subject);
      const bodies = (op.perConnection ?? [op.variables ?? {}]).map((variables) => JSON.stringify({ query: op.query, operationName: op.operationName, variables }));
      const connections = op.perConnection ? Math.min(options.connections, bodies.length) : options.connections;
      const headers = { authorization: `Bearer ${token}` };
      let statementsOfOne = 0;
      let lastRequestId = '';
      let lastAnswer: Record<string, unknown> = {};
      let sent = 0;
      const logBefore = await logSize(options.owner);
      const sendApi = async (connection = 0) => {
        sent++;
        const res = await post(servers.apiPort, '/graphql', bodies[connection % bodies.length], headers);
        const parsed = JSON.parse(res.body) as { data?: Record<string, unknown>; errors?: unknown[] };
        if (res.status !== 200 || parsed.errors || !parsed.data || !op.check(parsed.data)) {
          throw new Error(`${op.label}: bad answer ${res.status} ${res.body.slice(0, 400)}`);
        }
        statementsOfOne = Number(res.headers['x-sql-statements'] ?? 0);
        lastRequestId = String(res.headers['x-request-id'] ?? '');
        lastAnswer = parsed.data;
      };
      await sendApi();
      const statementCount = statementsOfOne;
      const floorCheck = op.baseline ? await registerGuard(servers.baselinePort, options.owner, op, lastRequestId) : { rows: 0, bytes: 0 };
      // PostGraphile must answer the same rows as the API before either is measured; its first
      // request, sent alone, also gives the statements of one.
      const graphile = op.postgraphile;
      const graphileBody = graphile ? JSON.stringify({ query: graphile.query, variables: graphile.variables }) : '';
      const sendPostGraphile = async () => {
        const res = await post(servers.postgraphilePort, '/graphql', graphileBody, {});
        const parsed = JSON.parse(res.body) as { data?: Record<string, unknown>; errors?: unknown[] };
        if (res.status !== 200 || parsed.errors || !parsed.data) throw new Error(`${op.label} PostGraphile: bad answer ${res.status} ${res.body.slice(0, 400)}`);
        return parsed.data;
      };
      let graphileStatements = 0;
      if (graphile) {
        const before = await statementsSent(servers.postgraphilePort);
        const theirs = await sendPostGraphile();
        graphileStatements = (await statementsSent(servers.postgraphilePort)) - before;
        checkSameRows(op, lastAnswer, theirs);
      }
      const cpuBefore = { api: servers.apiCpuSeconds(), postgres: cpuByPid(postgresPids()), sent };
      const api = await load(sendApi, connections, options.seconds);
      // Per request: the API's CPU and PostgreSQL's (every backend; on a machine of its own, all of it the benchmark's).
      const requests = sent - cpuBefore.sent;
      const cpu = {
        apiMs: ((servers.apiCpuSeconds() - cpuBefore.api) * 1000) / requests,
        postgresMs: (postgresCpuSince(cpuBefore.postgres) * 1000) / requests,
      };
      const apiRow = summarise(api.latencies, api.elapsed, statementCount, options.mode === 'process' ? servers.apiMemoryMb() : process.memoryUsage().rss / 1024 / 1024);
      const logAfter = await logSize(options.owner);
      const log = { rows: (logAfter.rows - logBefore.rows - floorCheck.rows) / sent, bytes: (logAfter.bytes - logBefore.bytes - floorCheck.bytes) / sent };
      let baselineRow: Measurement | null = null;
      let floorRow: Measurement | null = null;
      if (op.baseline) {
        const baselineBody = JSON.stringify({ op: op.label, params: op.baseline.params });
        const sendBaseline = async () => {
          const res = await post(servers.baselinePort, '/', baselineBody, {});
          if (res.status !== 200) throw new Error(`${op.label} baseline: ${res.body.slice(0, 400)}`);
        };
        const base = await load(sendBaseline, options.connections, options.seconds);
        baselineRow = summarise(base.latencies, base.elapsed, 1, 0);
        const floorBody = JSON.stringify({ op: op.label, params: op.baseline.params, guarded: true });
        const sendFloor = async () => {
          const res = await post(servers.baselinePort, '/', floorBody, {});
          if (res.status !== 200) throw new Error(`${op.label} floor: ${res.body.slice(0, 400)}`);
        };
        const floor = await load(sendFloor, options.connections, options.seconds);
        floorRow = summarise(floor.latencies, floor.elapsed, 4, 0);
      }
      let graphileRow: Measurement | null = null;
      if (graphile) {
        const measured = await load(async () => void (await sendPostGraphile()), options.connections, options.seconds);
        graphileRow = summarise(measured.latencies, measured.elapsed, graphileStatements, servers.postgraphileMemoryMb());
      }
      rows.push({
        scale, operation: op.label, role: op.role, connections, api: apiRow, log, cpu, baseline: baselineRow, floor: floorRow,
        p50Ratio: baselineRow ? apiRow.p50 / baselineRow.p50 : null, rpsRatio: baselineRow ? apiRow.rps / baselineRow.rps : null,
        postgraphile: graphileRow, postgraphileRpsRatio: graphileRow ? apiRow.rps / graphileRow.rps : null,
        floorPostgraphileRatio: graphileRow && floorRow ? floorRow.rps / graphileRow.rps : null,
      });
    }
    options.progress?.(`measuring (${scale})`, ops.length, ops.length);
  } finally {
    await servers.stop();
  }
  return rows;
}

const fmt = (n: number, digits = 1) => n.toFixed(digits);

/** The access log's rows and its size on disk (every partition's table, indexes and TOAST). */
async function logSize(owner: DataSource): Promise<LogGrowth> {
  const [row] = await owner.query(`SELECT (SELECT count(*)::int FROM access_log_entry) AS rows,
    (SELECT coalesce(sum(pg_total_relation_size(relid)), 0)::bigint FROM pg_partition_tree('access_log_entry') WHERE isleaf) AS bytes`);
  return { rows: row.rows, bytes: Number(row.bytes) };
}

export function markdownOf(result: Omit<BenchResult, 'markdown'>, options: Pick<BenchOptions, 'connections' | 'seconds' | 'mode'>): string {
  const lines = [
    `Machine: ${result.machine}. Load: ${options.connections} requests in flight for ${options.seconds} s per operation and server, on loopback, ${options.mode === 'process' ? 'each server in its own process' : 'servers in the benchmark\'s process'}.`,
    '',
    ...Object.entries(result.datasets).map(([scale, c]) => `- ${scale}: ${c!.partnerships} partnerships, ${c!.schools} schools, ${c!.students} students, ${c!.trajectories} trajectories, ${c!.accessLogRows} access-log entries`),
    `- the measured partnership's access-log chain (${result.chain.entries} entries) verified in ${fmt(result.chain.seconds)} s`,
    `- two API ${options.mode === 'process' ? 'processes' : 'servers'} on the one database: ${result.twoProcesses.sameAnswers} read operations answered the same by both; ${result.twoProcesses.assignments.sent} assignments sent through both at once onto a team with room for ${result.twoProcesses.assignments.room}: ${result.twoProcesses.assignments.succeeded} succeeded, ${result.twoProcesses.assignments.conflicts} CONFLICT, load ${result.twoProcesses.assignments.loadBefore} → ${result.twoProcesses.assignments.loadAfter} of ${result.twoProcesses.assignments.capacity}; access-log chain ${result.twoProcesses.chain.intact ? 'intact' : 'BROKEN'} (${result.twoProcesses.chain.entries} entries)`,
    '',
    '| scale | operation | SQL | p50 ms | p97.5 ms | p99 ms | req/s | RSS MB | API CPU ms/req | PG CPU ms/req | log rows/req | log KB/req | single SQL p50 ms | single SQL req/s | floor p50 ms | floor req/s | PostGraphile SQL | PostGraphile p50 ms | PostGraphile req/s | API p50 / single SQL p50 (≤ 2) | API req/s / single SQL req/s | API req/s / PostGraphile req/s (≥ 1) | floor req/s / PostGraphile req/s |',
    '|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|',
    ...result.rows.map((r) => {
      const pgl = r.postgraphile;
      return `| ${r.scale} | ${r.operation}${r.connections !== options.connections ? ` (${r.connections} in flight)` : ''} | ${r.api.statements} | ${fmt(r.api.p50)} | ${fmt(r.api.p975)} | ${fmt(r.api.p99)} | ${fmt(r.api.rps, 0)} | ${fmt(r.api.memoryMb, 0)} | ${fmt(r.cpu.apiMs)} | ${fmt(r.cpu.postgresMs)} | ${fmt(r.log.rows)} | ${fmt(r.log.bytes / 1024)} | ${r.baseline ? fmt(r.baseline.p50) : '—'} | ${r.baseline ? fmt(r.baseline.rps, 0) : '—'} | ${r.floor ? fmt(r.floor.p50) : '—'} | ${r.floor ? fmt(r.floor.rps, 0) : '—'} | ${pgl ? pgl.statements : '—'} | ${pgl ? fmt(pgl.p50) : '—'} | ${pgl ? fmt(pgl.rps, 0) : '—'} | ${r.p50Ratio ? fmt(r.p50Ratio, 2) : '—'} | ${r.rpsRatio ? fmt(r.rpsRatio, 2) : '—'} | ${r.postgraphileRpsRatio ? fmt(r.postgraphileRpsRatio, 2) : '—'} | ${r.floorPostgraphileRatio ? fmt(r.floorPostgraphileRatio, 2) : '—'} |`;
    }),
  ];
  const national = result.rows.filter((r) => r.scale === 'national');
  if (national.length) {
    lines.push('', '| operation | p50 national / p50 Amsterdam |', '|---|--:|');
    for (const n of national) {
      const a = result.rows.find((r) => r.scale === 'amsterdam' && r.operation === n.operation);
      if (a) lines.push(`| ${n.operation} | ${fmt(n.api.p50 / a.api.p50, 2)} |`);
    }
  }
  return lines.join('\n') + '\n';
}

function machine(): string {
  return `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

/** Builds the data set, measures, and (with `outDir`) writes read-path.json and read-path.md. */
export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const progress = options.progress ?? (() => undefined);
  const now = new Date();
  const amsterdamId = await buildAmsterdam(options.owner, options.config, now, options.scale, progress);
  const verifyStarted = Date.now();
  const report = await verifyChain(options.owner, amsterdamId);
  if (!report.intact) throw new Error(`the data set's access log does not verify: ${JSON.stringify(report.broken)}`);
  const chain = { entries: report.entries, seconds: (Date.now() - verifyStarted) / 1000 };
  const ops = await operationsFor(options.owner, amsterdamId);
  const first: Row['scale'] = options.scale === 'tiny' ? 'tiny' : 'amsterdam';
  const datasets: BenchResult['datasets'] = { [first]: await countRows(options.owner) };
  const rows = await measureAll(options, ops, first);
  const two = await twoProcesses(options, ops, amsterdamId);
  if (options.scale === 'national') {
    await addCountry(options.owner, amsterdamId, options.scale, progress);
    datasets.national = await countRows(options.owner);
    rows.push(...await measureAll(options, ops, 'national'));
  }
  const partial = { rows, datasets, chain, twoProcesses: two, machine: machine() };
  const markdown = markdownOf(partial, options);
  if (options.outDir) {
    fs.mkdirSync(options.outDir, { recursive: true });
    fs.writeFileSync(path.join(options.outDir, 'read-path.json'), JSON.stringify(partial, null, 2) + '\n');
    fs.writeFileSync(path.join(options.outDir, 'read-path.md'), markdown);
  }
  return { ...partial, markdown };
}

/** A one-line progress bar on stderr. */
export function progressBar(): Progress {
  let last = '';
  return (step, done, total) => {
    const width = 30;
    const filled = total > 0 ? Math.round((done / total) * width) : width;
    const line = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${step}`;
    if (line === last) return;
    last = line;
    process.stderr.write(`\r${`${line} ${done}/${total}`.padEnd(100)}${done >= total ? '\n' : ''}`);
  };
}
