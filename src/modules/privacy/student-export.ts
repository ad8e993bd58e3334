/**
 * The export of everything held on one student (AVG art. 15, recht op inzage), for the
 * PRIVACY_OFFICER.
 *
 * Which tables: found by walking TypeORM's entity metadata, not by a list, so a new table
 * cannot be forgotten. A table refers to another through a uuid column that is a foreign key
 * to it or is named after it (`<table>_id`, e.g. `access_log_entry.student_id`, which has no
 * foreign key; an access-log entry about several students names them in `objects` instead,
 * src/audit/access-recorder.ts `acrossStudents`). Starting from the student row, every row that refers to a row already found
 * is found too, transitively (student ← trajectory ← goal, …), until nothing new turns up
 * (semi-naive: each round only follows the rows found in the round before). Rows of the
 * `student` table itself are never followed into, so a reference between students cannot
 * pull in another student. Every statement is bound to the caller's partnership.
 *
 * NOTE: this deliberately bypasses the read rules (src/authz) and the field permissions:
 * the privacy officer otherwise sees identity only, never case content, but the legal duty
 * of art. 15 AVG is to hand the data subject a copy of ALL personal data held on them. The
 * bypass is limited to this one query, to the privacy officer (checked below), to one
 * student of the caller's own partnership, and it is logged as an EXPORT in the access log.
 */
import { Field, ID, ObjectType } from 'type-graphql';
import { GraphQLJSONObject } from 'graphql-scalars';
import type { EntityMetadata } from 'typeorm';
import { studentObject } from '../../audit/access-recorder';
import { AccessAction, AccessOutcome } from '../../domain/enums';
import type { Context } from '../../graphql/context';
import { notFound } from '../../graphql/errors';
import { assertCan } from '../../authz/authorize';
import { parseId, unscoped } from '../../graphql/reads';

type JsonRow = Record<string, unknown>;

@ObjectType({ description: 'The rows of one table that refer (directly or through other rows) to the student.' })
export class ExportedTable {
  @Field(() => String, { description: 'Database table name (tabel).' })
  table: string;

  @Field(() => [GraphQLJSONObject], { description: 'The rows, column name to value, oldest first.' })
  rows: JsonRow[];
}

@ObjectType({ description: 'Inzage-export (AVG art. 15): everything held on one student, table by table.' })
export class StudentExport {
  @Field(() => ID, { description: 'The student (betrokkene).' })
  studentId: string;

  @Field(() => Date, { description: 'When the export was made.' })
  exportedAt: Date;

  @Field(() => GraphQLJSONObject, { description: 'The student row itself, column name to value.' })
  student: JsonRow;

  @Field(() => [ExportedTable], { description: 'Every other table holding a row about the student, by table name; tables without such a row are left out.' })
  tables: ExportedTable[];
}

/** A uuid column of `from` that refers to rows of table `to`. */
export interface Reference {
  from: EntityMetadata;
  column: string;
  to: string;
}

const STUDENT_TABLE = 'student';
const ACCESS_LOG_TABLE = 'access_log_entry';

/** Every reference between tables, from the entity metadata (foreign keys and `<table>_id` uuid columns). */
export function tableReferences(metadatas: readonly EntityMetadata[]): Reference[] {
  const tables = new Set(metadatas.map((m) => m.tableName));
  const references: Reference[] = [];
  for (const meta of metadatas) {
    const seen = new Set<string>();
    for (const fk of meta.foreignKeys) {
      if (fk.columns.length !== 1) continue;
      const column = fk.columns[0].databaseName;
      seen.add(column);
      references.push({ from: meta, column, to: fk.referencedEntityMetadata.tableName });
    }
    for (const column of meta.columns) {
      const name = column.databaseName;
      if (seen.has(name) || column.type !== 'uuid' || !name.endsWith('_id')) continue;
      const to = name.slice(0, -'_id'.length);
      if (tables.has(to)) references.push({ from: meta, column: name, to });
    }
  }
  return references;
}

const quote = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/**
 * Whether `meta` can be exported: an `id` in its key (a uuid, so it tells rows apart even where
 * the key also holds the partition column, as the access log's (id, created_at) does) and a
 * tenant column.
 */
function exportable(meta: EntityMetadata): boolean {
  return meta.primaryColumns.some((c) => c.databaseName === 'id') && meta.columns.some((c) => c.databaseName === 'partnership_id');
}

/**
 * An access-log entry as the student's copy shows it. An entry about this student alone
 * (`student_id` the student) is the student's whole. An entry about several students
 * (`student_id` null, src/audit/access-recorder.ts `acrossStudents`) names the others too, whose
 * ids are their personal data, not this student's: of its `objects` ("Type:id") the copy keeps
 * the student and the rows the export found of theirs (`own`), of its `consents`
 * ("Student:<id>/Consent:<id>") the student's. An object of such an entry that is no longer
 * there (a guardian erased since) cannot be told from another student's, and is left out with
 * them. (The copy's hash is then no longer its entry's: the chain is verified in the database,
 * not in exports.)
 */
function ownPartOfEntry(row: JsonRow, studentId: string, own: ReadonlySet<string>): JsonRow {
  if (row.student_id === studentId) return row;
  const objects = row.objects as string[] | null;
  const consents = row.consents as string[] | null;
  return {
    ...row,
    objects: objects && objects.filter((o) => own.has(o.slice(o.indexOf(':') + 1))),
    consents: consents && consents.filter((c) => c.startsWith(`${studentObject(studentId)}/`)),
  };
}

/** PRIVACY_OFFICER: every row about the student, found by the metadata walk; logged as an EXPORT. */
export async function exportStudent(ctx: Context, studentIdArg: string): Promise<StudentExport> {
  const studentId = parseId(studentIdArg, 'studentId');
  // Handling data-subject requests is the privacy officer's (src/authz/rules/privacy.rules.ts).
  assertCan(ctx.ability, 'supervise', 'Partnership', { id: ctx.actor.partnershipId }, 'Only the privacy officer exports the data held on a student.');
  const partnershipId = ctx.actor.partnershipId;
  const db = unscoped(ctx, 'the export: every row about one student, for the privacy officer only (assertCan supervise above)');

  const [student] = (await db.query(`SELECT * FROM ${quote(STUDENT_TABLE)} WHERE id = $1 AND partnership_id = $2`, [studentId, partnershipId])) as JsonRow[];
  if (!student) throw notFound('Student');

  const references = tableReferences(db.entityMetadatas).filter((r) => r.from.tableName !== STUDENT_TABLE);
  const found = new Map<string, Map<string, JsonRow>>();
  let frontier = new Map<string, string[]>([[STUDENT_TABLE, [studentId]]]);
  while (frontier.size > 0) {
    const next = new Map<string, string[]>();
    const byTable = new Map<EntityMetadata, Reference[]>();
    for (const r of references) if (frontier.has(r.to)) byTable.set(r.from, [...(byTable.get(r.from) ?? []), r]);
    for (const [meta, refs] of byTable) {
      if (!exportable(meta)) {
        // Fail loudly rather than silently leave a table out of the export.
        throw new Error(`Table ${meta.tableName} refers to student data but has no id in its key or no partnership_id: extend the export.`);
      }
      const params: unknown[] = [partnershipId];
      const conditions = refs.map((r) => {
        params.push(frontier.get(r.to));
        return `${quote(r.column)} = ANY($${params.length}::uuid[])`;
      });
      // The access log names a student also among the students of an entry about several.
      if (meta.tableName === ACCESS_LOG_TABLE && frontier.has(STUDENT_TABLE)) {
        params.push(frontier.get(STUDENT_TABLE)!.map(studentObject));
        conditions.push(`objects && $${params.length}::text[]`);
      }
      const rows = (await db.query(
        `SELECT * FROM ${quote(meta.tableName)} WHERE partnership_id = $1 AND (${conditions.join(' OR ')})`,
        params,
      )) as JsonRow[];
      let table = found.get(meta.tableName);
      if (!table) found.set(meta.tableName, (table = new Map()));
      for (const row of rows) {
        const id = String(row.id);
        if (table.has(id)) continue;
        table.set(id, row);
        let ids = next.get(meta.tableName);
        if (!ids) next.set(meta.tableName, (ids = []));
        ids.push(id);
      }
    }
    frontier = next;
  }

  // An entry about several students names the others too: the copy shows only this student's part (`ownPartOfEntry`).
  const log = found.get(ACCESS_LOG_TABLE);
  if (log) {
    const own = new Set<string>([studentId]);
    for (const rows of found.values()) for (const id of rows.keys()) own.add(id);
    for (const [id, row] of log) log.set(id, ownPartOfEntry(row, studentId, own));
  }

  const json = (row: JsonRow): JsonRow => JSON.parse(JSON.stringify(row)) as JsonRow;
  const tables = [...found.entries()]
    .filter(([, rows]) => rows.size > 0)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([table, rows]) => ({
      table,
      rows: [...rows.values()]
        .map(json)
        .sort((a, b) => String(a.created_at).localeCompare(String(b.created_at)) || String(a.id).localeCompare(String(b.id))),
    }));

  // Its fields are the tables exported, not fields of the student: kept as the one entry it is,
  // not folded per student (which would name them "Student.<table>").
  ctx.access?.note({
    objectType: 'Student', objectId: studentId, studentId,
    action: AccessAction.EXPORT, outcome: AccessOutcome.ALLOWED,
    fields: [STUDENT_TABLE, ...tables.map((t) => t.table)],
    perObject: true,
  });
  return Object.assign(new StudentExport(), { studentId, exportedAt: ctx.clock.now(), student: json(student), tables });
}
