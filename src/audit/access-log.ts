/**
 * The access log's writer: after execution, inside the request's unit of work and before it
 * commits (so the statement count in `x-sql-statements` includes the write), it adds
 * - a DENIED entry for each FORBIDDEN / NOT_FOUND / CONSENT_REQUIRED error of a mutation on
 *   student data (Student, Consent, Trajectory or a trajectory record): the mutation's name
 *   in `fields`, its id argument as the object (`id`, or the first `…Id` argument, also
 *   inside `input`), and the student it concerned (a `studentId` argument, or the student of
 *   the trajectory or consent it named), when that id is one of the caller's partnership;
 * - one SEARCH entry of type `AccessLog` per request that reads the log, whatever the aliases
 *   (reading the log is itself logged; the filters' keys in `fields`, the student filter as
 *   the student when all reads name the same);
 * - a DENIED READ entry for each single read (`student`, `trajectory`, `consent`) that answered
 *   null, without an error, for an id that exists in the caller's partnership (a row the caller
 *   may not see; the client gets the same null as for a missing id, AVG rule 2, src/authz/README.md). A missing
 *   id, or one of another partnership, writes nothing, but calls the append all the same, so
 *   both cost the same statements. The existence check is one statement,
 *   only when such a read answered null, shared with the lookup of trajectories' students;
 * resolves the grounds of every entry (membership, legal basis, consent used: ./grounds.ts, a
 * bounded number of statements, none per row) and writes all entries of the request in ONE
 * statement (`access_log_append`). When any of this fails, the data is withheld: the response
 * becomes INTERNAL_SERVER_ERROR, no data.
 */
import { GraphQLRequestContext } from '@apollo/server';
import { FieldNode, GraphQLError, getNamedType } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { DataSource, getMetadataArgsStorage } from 'typeorm';
import { AccessAction, AccessOutcome } from '../domain/enums';
import type { AccessLogContext as Context } from './context';
import { TrajectoryRecord } from '../db/trajectory-record';
import { AccessLogRow, normalUuid, perStudent } from './access-recorder';
import { appendAtCommit } from './access-log-writer';
import { applyGrounds } from './grounds';

const DENIED_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'CONSENT_REQUIRED']);

/**
 * The trajectory records' type names, from TypeORM's registry of entity classes (every entity
 * has registered itself by the time a request runs; read on first use, not at load).
 */
let recordTypes: ReadonlySet<string> | undefined;
function recordTypeNames(): ReadonlySet<string> {
  return (recordTypes ??= new Set(getMetadataArgsStorage().tables
    .map((table) => table.target)
    .filter((target): target is Function => typeof target === 'function' && target.prototype instanceof TrajectoryRecord)
    .map((target) => target.name)));
}

/** GraphQL type names whose mutations concern student data. */
const isStudentData = (typeName: string) => ['Student', 'Consent', 'Trajectory'].includes(typeName) || recordTypeNames().has(typeName);

function rootFields(requestContext: GraphQLRequestContext<Context>): FieldNode[] {
  return (requestContext.operation?.selectionSet.selections ?? []).filter((s): s is FieldNode => s.kind === 'Field');
}

function argumentsOf(requestContext: GraphQLRequestContext<Context>, node: FieldNode, rootType: 'Query' | 'Mutation'): Record<string, unknown> {
  const schema = requestContext.schema;
  const type = rootType === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const def = type?.getFields()[node.name.value];
  if (!def) return {};
  try {
    return getArgumentValues(def, node, requestContext.request.variables ?? {});
  } catch {
    return {};
  }
}

function idArgument(args: Record<string, unknown>): string | null {
  const direct = normalUuid(args.id);
  if (direct) return direct;
  for (const source of [args, (args.input ?? {}) as Record<string, unknown>]) {
    if (!source || typeof source !== 'object') continue;
    if (normalUuid(source.id)) return normalUuid(source.id);
    for (const [key, value] of Object.entries(source)) if (key.endsWith('Id') && normalUuid(value)) return normalUuid(value);
  }
  return null;
}

/** Root query fields that read one row of student data by `id`, and the type they read. */
const SINGLE_READS: Readonly<Record<string, 'Student' | 'Trajectory' | 'Consent'>> = {
  student: 'Student',
  trajectory: 'Trajectory',
  consent: 'Consent',
};

/** A mutation on student data refused with FORBIDDEN, NOT_FOUND or CONSENT_REQUIRED, and the id that leads to its student. */
interface DeniedMutation {
  objectType: string;
  objectId: string | null;
  field: string;
  via: { type: 'Student' | 'Trajectory' | 'Consent'; id: string } | null;
  studentId?: string | null;
}

/** A single read that answered null: hidden or missing, told apart by `existingInPartnership`. */
interface NullRead {
  objectType: 'Student' | 'Trajectory' | 'Consent';
  objectId: string;
  field: string;
}

/** The single reads of a query that answered null without an error. */
function nullSingleReads(requestContext: GraphQLRequestContext<Context>, byKey: Map<string, FieldNode>, errors: readonly GraphQLError[]): NullRead[] {
  const body = requestContext.response.body;
  const data = body?.kind === 'single' ? body.singleResult.data : undefined;
  if (!data || typeof data !== 'object') return [];
  const reads: NullRead[] = [];
  for (const [key, node] of byKey) {
    const objectType = SINGLE_READS[node.name.value];
    if (!objectType || !(key in data) || data[key] !== null) continue;
    if (errors.some((e) => e.path?.[0] === key)) continue;
    const objectId = normalUuid(argumentsOf(requestContext, node, 'Query').id);
    if (objectId) reads.push({ objectType, objectId, field: node.name.value });
  }
  return reads;
}

/**
 * ONE statement: which of the given ids exist in the partnership, with their student. Serves the
 * null single reads (Student, Trajectory, Consent) and the trajectories whose student is unknown.
 */
async function existingInPartnership(
  dataSource: DataSource,
  partnershipId: string,
  ids: { Student: string[]; Trajectory: string[]; Consent: string[] },
): Promise<Array<{ t: 'Student' | 'Trajectory' | 'Consent'; id: string; student_id: string }>> {
  const parts: string[] = [];
  const params: unknown[] = [partnershipId];
  const tables = { Student: ['student', 'id'], Trajectory: ['trajectory', 'student_id'], Consent: ['consent', 'student_id'] } as const;
  for (const type of ['Student', 'Trajectory', 'Consent'] as const) {
    if (ids[type].length === 0) continue;
    params.push(ids[type]);
    const [table, student] = tables[type];
    parts.push(`SELECT '${type}'::text AS t, id, ${student} AS student_id FROM ${table} WHERE partnership_id = $1 AND id = ANY($${params.length}::uuid[])`);
  }
  if (parts.length === 0) return [];
  return dataSource.query(parts.join(' UNION ALL '), params);
}

/**
 * A caller without any membership (revoked, or never granted) can see nothing, only try: what
 * a request of theirs attempted becomes ONE entry (outcome DENIED if anything was), its
 * objects named in `fields` ("Student <id>: student"), the student when it was only one. So an
 * account that lost its rights cannot flood the log with aliases, and nothing it tried is lost.
 */
function oneEntryForNonMember(memberships: number, rows: AccessLogRow[]): AccessLogRow[] {
  if (memberships > 0 || rows.length <= 1) return rows;
  const students = [...new Set(rows.map((r) => r.studentId))];
  return [{
    ...rows[0],
    objectType: 'Request',
    objectId: null,
    studentId: students.length === 1 ? students[0] : null,
    outcome: rows.some((r) => r.outcome === AccessOutcome.DENIED) ? AccessOutcome.DENIED : rows[0].outcome,
    fields: [...new Set(rows.map((r) => `${r.objectType}${r.objectId ? ` ${r.objectId}` : ''}: ${r.fields.join(', ')}`))].sort(),
  }];
}

/**
 * The access log's step in the request's unit of work (src/graphql/unit-of-work.ts): after
 * execution, inside the request's transaction and before it commits, the entries are written.
 * If this throws, the unit of work rolls back and withholds the answer (no log, no data).
 */
export function accessLogStep(): (requestContext: GraphQLRequestContext<Context>) => Promise<void> {
  return (requestContext) => writeAccessLog(requestContext, requestContext.errors ?? []);
}

/**
 * Adds the entries no field resolution produces (denied mutations, reads of the log, denied
 * single reads), resolves the grounds and writes them all in one statement, through the
 * request's unit of work. Throws when the log cannot be written.
 */
async function writeAccessLog(requestContext: GraphQLRequestContext<Context>, errors: readonly GraphQLError[]): Promise<void> {
  const ctx = requestContext.contextValue;
  const dataSource = ctx.dataSource;
  const recorder = ctx.access;
  if (!recorder) return;
  const operation = requestContext.operation?.operation;
  const byKey = new Map(rootFields(requestContext).map((n) => [n.alias?.value ?? n.name.value, n]));

  // Denied mutations on student data, noted once their student is known (below).
  const deniedMutations: DeniedMutation[] = [];
  if (operation === 'mutation') {
    for (const error of errors) {
      const code = String(error.extensions?.code ?? '');
      const key = error.path?.[0];
      const node = key === undefined ? undefined : byKey.get(String(key));
      if (!DENIED_CODES.has(code) || !node || error.path?.length !== 1) continue;
      const def = requestContext.schema.getMutationType()?.getFields()[node.name.value];
      const typeName = def ? getNamedType(def.type).name : '';
      if (!isStudentData(typeName)) continue;
      const args = argumentsOf(requestContext, node, 'Mutation');
      // A trajectory record's mutation names its trajectory (`trajectoryId`): log it as such.
      const objectType = recordTypeNames().has(typeName) ? 'Trajectory' : typeName;
      const objectId = idArgument(args);
      const input = (args.input ?? {}) as Record<string, unknown>;
      const named = (key: string) => normalUuid(args[key]) ?? normalUuid(input[key]);
      // The student the attempt was about: named outright (submitRegistration, recordConsent),
      // the student row itself, or the student of the trajectory or consent it named.
      const studentId = named('studentId') ?? (objectType === 'Student' ? objectId : null);
      const trajectoryId = named('trajectoryId');
      const consentId = named('consentId');
      const via: DeniedMutation['via'] = studentId ? { type: 'Student', id: studentId }
        : trajectoryId ? { type: 'Trajectory', id: trajectoryId }
        : consentId ? { type: 'Consent', id: consentId } : null;
      deniedMutations.push({ objectType, objectId, field: node.name.value, via });
    }
  } else if (operation === 'query') {
    // Reading the log is logged once per request, however many aliases read it: the filters'
    // keys together; the student when every read named the same one.
    const reads = [...byKey].filter(([, node]) => node.name.value === 'accessLog').map(([key, node]) => {
      const filter = (argumentsOf(requestContext, node, 'Query').filter ?? {}) as Record<string, unknown>;
      return { key, filter };
    });
    if (reads.length) {
      const students = [...new Set(reads.map((r) => normalUuid(r.filter.studentId)))];
      const denied = reads.some((r) => errors.some((e) => e.path?.[0] === r.key));
      recorder.note({
        objectType: 'AccessLog', objectId: null, studentId: students.length === 1 ? students[0] : null,
        action: AccessAction.SEARCH, outcome: denied ? AccessOutcome.DENIED : AccessOutcome.ALLOWED,
        fields: [...new Set(reads.flatMap((r) => Object.keys(r.filter).filter((k) => r.filter[k] !== undefined && r.filter[k] !== null).map((k) => `filter.${k}`)))].sort(),
      });
    }
  }
  const nullReads = operation === 'query' ? nullSingleReads(requestContext, byKey, errors) : [];
  if (recorder.isEmpty && nullReads.length === 0 && deniedMutations.length === 0) return;

  const missing = recorder.trajectoriesWithoutStudent();
  const studentOf = new Map<string, string>();
  const idsOf = (type: NullRead['objectType']) => [
    ...nullReads.filter((r) => r.objectType === type).map((r) => r.objectId),
    ...deniedMutations.filter((m) => m.via?.type === type).map((m) => m.via!.id),
  ];
  const ids = {
    Student: [...new Set(idsOf('Student'))],
    Trajectory: [...new Set([...missing, ...idsOf('Trajectory')])],
    Consent: [...new Set(idsOf('Consent'))],
  };
  if (ids.Student.length + ids.Trajectory.length + ids.Consent.length > 0) {
    // Only when a single read answered null, trajectory records were returned without their
    // trajectory, or a mutation on one was denied: one more statement, within the caller's
    // tenant (another partnership's rows are neither revealed nor logged).
    const found = await existingInPartnership(dataSource, ctx.actor.partnershipId, ids);
    const exists = new Map(found.map((r) => [`${r.t}:${r.id}`, r.student_id]));
    for (const r of found) if (r.t === 'Trajectory') studentOf.set(r.id, r.student_id);
    for (const read of nullReads) {
      const key = `${read.objectType}:${read.objectId}`;
      if (!exists.has(key)) continue; // missing: nothing to log
      recorder.note({
        objectType: read.objectType, objectId: read.objectId, studentId: exists.get(key) ?? null,
        action: AccessAction.READ, outcome: AccessOutcome.DENIED, fields: [read.field],
      });
    }
    for (const m of deniedMutations) m.studentId = m.via ? (exists.get(`${m.via.type}:${m.via.id}`) ?? null) : null;
  }
  // Every denied attempt on student data is logged; it names the student when the id it named
  // is one of the caller's partnership (a foreign or made-up id names nobody).
  for (const m of deniedMutations) {
    recorder.note({
      objectType: m.objectType, objectId: m.objectId, studentId: m.studentId ?? null,
      action: AccessAction.CHANGE, outcome: AccessOutcome.DENIED, fields: [m.field],
    });
  }
  if (recorder.isEmpty) {
    // A single read of a missing id: the same append as for a hidden one, with nothing to
    // append, so that hidden and missing cost the same statements and about the same time
    // (AVG rule 2: the cost must not tell them apart either).
    if (nullReads.length > 0) await appendAtCommit(ctx.unitOfWork, dataSource, ctx.actor.partnershipId, [], true);
    return;
  }
  const now = ctx.clock.now();
  const rows = oneEntryForNonMember(ctx.actor.memberships.length, recorder.rows(ctx.actor, ctx.requestId, now, studentOf));
  await applyGrounds(dataSource, ctx.actor, ctx.today, rows);
  await appendAtCommit(ctx.unitOfWork, dataSource, ctx.actor.partnershipId, perStudent(rows));
}
