/**
 * The request-scoped access recorder (NEN 7513 access log, AVG rule 5).
 *
 * During one GraphQL request the field guard (`src/graphql/schema.ts`) reports every
 * field it lets through on a Student, Consent or Trajectory object, and on the records that
 * hang under them (a Guardian or a transfer between schools counts as its student; a trajectory record — event, goal, note,
 * … — counts as its trajectory, its fields named `<Type>.<field>`). The recorder folds those
 * into ONE entry per object and act. The request's log step (`./access-log.ts`) adds the
 * denied mutations and the privacy officer's reads of the log itself, resolves the grounds,
 * folds the entries per student (`perStudent`) and the students read alike into one entry
 * (`acrossStudents`), and writes everything in one statement before the response leaves.
 *
 * Decisions and simplifications (documented in README.md, "Access log"):
 * - action: CHANGE for anything returned by a mutation; in a query SEARCH when the root field
 *   returns a list or a connection, READ when it returns one object.
 * - role, membership, legal basis and consent used are left empty here and resolved for all
 *   rows of the request at once, just before they are written (./grounds.ts).
 */
import { randomUUID } from 'node:crypto';
import { GraphQLResolveInfo, getNamedType, getNullableType, isListType, isObjectType } from 'graphql';
import type { Actor } from '../authz/actor';
import { subjectOfRow } from '../authz/subjects';
import { TrajectoryRecord } from '../db/trajectory-record';
import { AccessAction, AccessOutcome, LegalBasis, Role } from '../domain/enums';

/** One row of `access_log_entry` before it is chained (no sequence, no hashes yet). */
export interface AccessLogRow {
  id: string;
  partnershipId: string;
  createdAt: Date;
  userId: string;
  membershipId: string | null;
  role: Role | null;
  action: AccessAction;
  outcome: AccessOutcome;
  studentId: string | null;
  objectType: string;
  objectId: string | null;
  fields: string[];
  legalBasis: LegalBasis | null;
  consentId: string | null;
  requestId: string;
  /** The objects an entry about a student covered, "Type:id" (`perStudent`); null on an entry about one object. */
  objects: string[] | null;
  /** Each student's consent on an entry about several who stood on their own (`acrossStudents`); null or absent otherwise. */
  consents?: string[] | null;
  /**
   * Not a column: the entry stays the one about its object that it is, never folded per student
   * (`perStudent`): a retention run's entries, one per record it changed, whether the run was
   * the mutation's or the CLI's; an export, whose fields are the tables it exported.
   */
  perObject?: boolean;
}

interface Pending {
  objectType: string;
  objectId: string | null;
  studentId: string | null;
  action: AccessAction;
  outcome: AccessOutcome;
  fields: Set<string>;
  perObject: boolean;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A uuid in the form PostgreSQL returns it (lower case), or null for anything else. */
export function normalUuid(value: unknown): string | null {
  return typeof value === 'string' && UUID.test(value) ? value.toLowerCase() : null;
}

/** The access action of a resolved field, from the operation type and the root field. */
export function actionOf(info: GraphQLResolveInfo): AccessAction {
  if (info.operation.operation === 'mutation') return AccessAction.CHANGE;
  let path = info.path;
  while (path.prev) path = path.prev;
  const rootKey = String(path.key);
  const node = info.operation.selectionSet.selections.find(
    (s) => s.kind === 'Field' && (s.alias?.value ?? s.name.value) === rootKey,
  );
  const fieldName = node && node.kind === 'Field' ? node.name.value : rootKey;
  const field = info.schema.getQueryType()?.getFields()[fieldName];
  if (!field) return AccessAction.READ;
  const type = getNullableType(field.type);
  if (isListType(type)) return AccessAction.SEARCH;
  const named = getNamedType(type);
  return isObjectType(named) && named.name.endsWith('Connection') ? AccessAction.SEARCH : AccessAction.READ;
}

/**
 * What `seeFields` reads of a row: its id, partnership, student and trajectory. A partial row
 * (src/graphql/row-mapping.ts) loads at least these, so recording never reads a missing column.
 */
export const RECORDED_PROPERTIES: readonly string[] = ['id', 'partnershipId', 'studentId', 'trajectoryId'];

/** Object types whose entries are a student's data, folded per student by `perStudent`. */
const STUDENT_DATA: ReadonlySet<string> = new Set(['Student', 'Trajectory', 'Consent', 'Guardian']);

/**
 * One entry per request, student, act and ground (NEN 7513: who, when, which student, what, on
 * which ground), from the per-object entries of a request whose grounds are resolved
 * (./grounds.ts): the allowed entries about a student's data (the student, their trajectories
 * with the records under them, consents, guardians) that share the act, membership, role, legal
 * basis and consent become ONE entry about the student (`objectType` Student, `objectId` the
 * student), naming every object it covered in `objects` ("Trajectory:<id>") and every field as
 * "Type.field". A list of fifty cases with their students writes fifty entries, not a hundred,
 * each as narrow as the fields actually read. Denied attempts, reads of the log, entries
 * without a student and entries kept per object (`perObject`: a retention run's, an export)
 * stay one per object, as written. The order is that of each group's first entry; fields and
 * objects are sorted.
 */
export function perStudent(rows: readonly AccessLogRow[]): AccessLogRow[] {
  const out: AccessLogRow[] = [];
  const groups = new Map<string, { entry: AccessLogRow; fields: Set<string>; objects: Set<string> }>();
  for (const row of rows) {
    if (row.perObject || row.outcome !== AccessOutcome.ALLOWED || !row.studentId || !STUDENT_DATA.has(row.objectType)) {
      out.push(row);
      continue;
    }
    const key = `${row.action}|${row.studentId}|${row.membershipId}|${row.role}|${row.legalBasis}|${row.consentId}`;
    let group = groups.get(key);
    if (!group) {
      const entry: AccessLogRow = { ...row, objectType: 'Student', objectId: row.studentId, fields: [], objects: [] };
      groups.set(key, (group = { entry, fields: new Set(), objects: new Set() }));
      out.push(entry);
    }
    // A record's fields are named `<Type>.<field>` already (`see`); the object's own fields get its type.
    for (const field of row.fields) group.fields.add(field.includes('.') ? field : `${row.objectType}.${field}`);
    if (row.objectId) group.objects.add(`${row.objectType}:${row.objectId}`);
  }
  for (const { entry, fields, objects } of groups.values()) {
    entry.fields = [...fields].sort();
    entry.objects = [...objects].sort();
  }
  return acrossStudents(out);
}

/**
 * Students read alike in one request share one entry: the entries about a student (`perStudent`)
 * with the same act, membership, role, legal basis and fields become ONE entry naming all of
 * them, each as "Student:<id>" in `objects` besides the objects it covered, with no `objectId`
 * and no `studentId` of its own. Where the students stood each on their own consent (a Topteam
 * member's caseload: legal basis CONSENT, a consent per student), the entry names each
 * student's consent in `consents` ("Student:<id>/Consent:<id>", `consentOf`) and has no
 * `consentId` of its own. A page of fifty cases read on one ground is one entry, and still says
 * of every student who read what, when and on which ground; the fields being equal, it says
 * exactly which fields of each. A student read alone, or otherwise than the rest (other fields,
 * another membership or act), keeps an entry of their own. In place of the group's first entry;
 * objects and consents sorted.
 */
function acrossStudents(entries: AccessLogRow[]): AccessLogRow[] {
  const groups = new Map<string, AccessLogRow[]>();
  for (const entry of entries) {
    if (entry.objects === null) continue;
    const key = `${entry.action}|${entry.membershipId}|${entry.role}|${entry.legalBasis}|${entry.fields.join(',')}`;
    const group = groups.get(key);
    if (group) group.push(entry);
    else groups.set(key, [entry]);
  }
  const replaced = new Map<AccessLogRow, AccessLogRow | null>();
  for (const group of groups.values()) {
    if (group.length < 2) continue;
    const objects = new Set<string>();
    const consents = new Set<string>();
    for (const entry of group) {
      objects.add(studentObject(entry.studentId!));
      for (const object of entry.objects!) objects.add(object);
      if (entry.consentId) consents.add(consentOf(entry.studentId!, entry.consentId));
    }
    replaced.set(group[0], {
      ...group[0], objectId: null, studentId: null, objects: [...objects].sort(),
      consentId: null, consents: consents.size > 0 ? [...consents].sort() : null,
    });
    for (const entry of group.slice(1)) replaced.set(entry, null);
  }
  if (replaced.size === 0) return entries;
  return entries.flatMap((entry) => {
    const replacement = replaced.get(entry);
    if (replacement === undefined) return [entry];
    return replacement ? [replacement] : [];
  });
}

/** How an entry about several students names the consent one of them stood on, in `consents`. */
export function consentOf(studentId: string, consentId: string): string {
  return `${studentObject(studentId)}/Consent:${consentId}`;
}

/** How an entry about several students names each of them in `objects`. */
export function studentObject(studentId: string): string {
  return `Student:${studentId}`;
}

/**
 * The SQL condition "this entry is about the student `idSql`" over the access-log row at
 * `alias`: the entry's own student, or one of the students an entry about several names
 * (`acrossStudents`). `idSql` is a placeholder or expression giving the student's id as text
 * or uuid; both sides are indexed (student_id, and objects by GIN).
 */
export function aboutStudentSql(alias: string, idSql: string): string {
  return `("${alias}"."student_id" = CAST(${idSql} AS uuid) OR "${alias}"."objects" @> ARRAY['Student:' || CAST(${idSql} AS text)])`;
}

/**
 * The SQL condition "this entry stood on the consent `idSql`" over the access-log row at
 * `alias`: the entry's own consent, or, on an entry about several students, that consent named
 * for its student in `consents` (`consentOf`; the student is the consent's, read from the
 * consent row, so a consent whose row is gone, removed under the retention rules, finds only the
 * entries that name it as their own).
 * Both sides are indexed (consent_id, and consents by GIN).
 */
export function stoodOnConsentSql(alias: string, idSql: string): string {
  const named = `(SELECT '${studentObject('')}' || "${alias}_c"."student_id" || '/Consent:' || "${alias}_c"."id" FROM "consent" "${alias}_c" WHERE "${alias}_c"."id" = CAST(${idSql} AS uuid))`;
  return `("${alias}"."consent_id" = CAST(${idSql} AS uuid) OR "${alias}"."consents" @> ARRAY[${named}])`;
}

export class AccessRecorder {
  private readonly pending = new Map<string, Pending>();
  /** The action per root field (response key) of the request: one lookup per field, not a walk of the schema. */
  private readonly actions = new Map<string, AccessAction>();

  private actionOf(info: GraphQLResolveInfo): AccessAction {
    let path = info.path;
    while (path.prev) path = path.prev;
    const key = String(path.key);
    let action = this.actions.get(key);
    if (action === undefined) this.actions.set(key, (action = actionOf(info)));
    return action;
  }

  /**
   * Called by the field guard for every field it resolves (not for fields it nulls).
   * Ignores objects that are not student data. Rows are told apart by their subject (their
   * entity class, src/authz/subjects.ts): the log imports no feature's entity.
   */
  see(root: unknown, fieldName: string, info: GraphQLResolveInfo): void {
    this.seeFields(root, [fieldName], info);
  }

  /**
   * `see` for several fields of one object at once (the compiled read path reports each object's fields together).
   * It reads `RECORDED_PROPERTIES` of the object, and nothing else.
   */
  seeFields(root: unknown, fieldNames: readonly string[], info: GraphQLResolveInfo): void {
    if (!root || typeof root !== 'object' || fieldNames.length === 0) return;
    const subject = subjectOfRow(root);
    const row = root as { id: string; studentId: string };
    if (subject === 'Student') {
      this.add('Student', row.id, row.id, this.actionOf(info), fieldNames, '');
    } else if (subject === 'Consent') {
      this.add('Consent', row.id, row.studentId, this.actionOf(info), fieldNames, '');
    } else if (subject === 'Trajectory') {
      this.add('Trajectory', row.id, row.studentId, this.actionOf(info), fieldNames, '');
    } else if (subject === 'Guardian' || subject === 'StudentSchoolChange') {
      this.add('Student', row.studentId, row.studentId, this.actionOf(info), fieldNames, `${subject}.`);
    } else if (root instanceof TrajectoryRecord) {
      this.add('Trajectory', root.trajectoryId, null, this.actionOf(info), fieldNames, `${root.constructor.name}.`);
    }
  }

  /** An entry that no object resolution produces: a denied mutation, a read of the log, a change a service reports. */
  note(entry: { objectType: string; objectId: string | null; studentId: string | null; action: AccessAction; outcome: AccessOutcome; fields: string[]; perObject?: boolean }): void {
    const key = `${entry.outcome}:${entry.action}:${entry.objectType}:${entry.objectId ?? randomUUID()}`;
    const existing = this.pending.get(key);
    if (existing) {
      for (const f of entry.fields) existing.fields.add(f);
      existing.perObject ||= entry.perObject === true;
      return;
    }
    this.pending.set(key, {
      objectType: entry.objectType,
      objectId: normalUuid(entry.objectId),
      studentId: normalUuid(entry.studentId),
      action: entry.action,
      outcome: entry.outcome,
      fields: new Set(entry.fields),
      perObject: entry.perObject === true,
    });
  }

  get isEmpty(): boolean {
    return this.pending.size === 0;
  }

  /** Trajectory entries whose student is not known yet (records seen without their trajectory). */
  trajectoriesWithoutStudent(): string[] {
    const ids = new Set<string>();
    for (const p of this.pending.values()) if (p.objectType === 'Trajectory' && p.studentId === null && p.objectId) ids.add(p.objectId);
    return [...ids];
  }

  /** The rows to write for this request, in a stable order; their grounds still empty (./grounds.ts fills them). */
  rows(actor: Actor, requestId: string, now: Date, studentOfTrajectory: ReadonlyMap<string, string> = new Map()): AccessLogRow[] {
    // A trajectory's own object supplies the student for the records seen under it.
    const known = new Map(studentOfTrajectory);
    for (const p of this.pending.values()) if (p.objectType === 'Trajectory' && p.studentId && p.objectId) known.set(p.objectId, p.studentId);
    const createdAt = new Date(now.getTime()); // timestamptz(3): milliseconds survive the round trip
    return [...this.pending.values()].map((p) => ({
      id: randomUUID(),
      partnershipId: actor.partnershipId,
      createdAt,
      userId: actor.userId,
      membershipId: null,
      role: null,
      action: p.action,
      outcome: p.outcome,
      studentId: p.studentId ?? (p.objectType === 'Trajectory' && p.objectId ? known.get(p.objectId) ?? null : null),
      objectType: p.objectType,
      objectId: p.objectId,
      fields: [...p.fields].sort(),
      legalBasis: null,
      consentId: null,
      requestId,
      objects: null,
      ...(p.perObject ? { perObject: true } : {}),
    }));
  }

  /** Records `fields` (each named `prefix` + field) as read on one object. */
  private add(objectType: string, objectId: string, studentId: string | null, action: AccessAction, fields: readonly string[], prefix: string): void {
    const key = `${AccessOutcome.ALLOWED}:${action}:${objectType}:${objectId}`;
    let p = this.pending.get(key);
    if (!p) {
      p = { objectType, objectId: normalUuid(objectId), studentId: normalUuid(studentId), action, outcome: AccessOutcome.ALLOWED, fields: new Set(), perObject: false };
      this.pending.set(key, p);
    } else if (p.studentId === null && studentId) {
      p.studentId = normalUuid(studentId);
    }
    for (const field of fields) p.fields.add(prefix + field);
  }
}
