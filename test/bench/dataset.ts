/**
 * The benchmark's data sets, built on the demo data (src/demo/seed.ts) so that every row is
 * one the API itself could have written:
 *
 * - **amsterdam**: the demo partnership grown to the size of Amsterdam-Diemen: its twelve
 *   schools with their students, trajectories and every record under them copied until there
 *   are about 60 schools and 2,000 trajectories, then students without a trajectory added
 *   until there are about 30,000, and an access log of a few hundred thousand entries written
 *   through the log's own writer (so the chain is real and verifies);
 * - **national**: amsterdam plus 74 more partnerships, each a copy of the demo partnership
 *   (its users, teams and windstreken included) made a little larger, up to about 75
 *   partnerships, 1,500 schools, 60,000 students and 50,000 trajectories, and about 5 million
 *   access-log entries over all of them;
 * - **tiny**: the demo data and a small log, for the smoke test.
 *
 * Copies are made in SQL from the catalogue: every uuid that names a copied row is mapped to
 * a stable new one (`md5(id || ':' || copy)`), every other column is kept, so foreign keys,
 * phases, dates and the shape of each case stay as the demo has them.
 */
import type { DataSource } from 'typeorm';
import type { Config } from '../../src/config';
import { DEMO_PARTNERSHIP_CODE, seedDemoData } from '../../src/demo/seed';

export type Scale = 'tiny' | 'amsterdam' | 'national';

/** What a data set aims at; `counts` reports what was built. */
export const TARGETS: Record<Scale, { schoolCopies: number; studentsInAmsterdam: number; logRows: number; partnerships: number; partnershipCopies: number; countryLogRows: number }> = {
  tiny: { schoolCopies: 0, studentsInAmsterdam: 0, logRows: 2_000, partnerships: 1, partnershipCopies: 0, countryLogRows: 0 },
  amsterdam: { schoolCopies: 4, studentsInAmsterdam: 30_000, logRows: 300_000, partnerships: 1, partnershipCopies: 0, countryLogRows: 0 },
  /** `logRows` is Amsterdam's share; the other partnerships share `countryLogRows` (5 million in all). */
  national: { schoolCopies: 4, studentsInAmsterdam: 30_000, logRows: 300_000, partnerships: 75, partnershipCopies: 2, countryLogRows: 4_700_000 },
};

/** Tables copied with the schools of a partnership: everything that hangs under a school. */
const SCHOOL_TABLES = [
  'school', 'student', 'guardian', 'consent', 'consultation', 'trajectory', 'trajectory_event', 'goal', 'note', 'evaluation',
  'follow_up', 'escalation', 'complaint', 'exit_questionnaire', 'handover_advice', 'absence_registration',
  'cross_windstreek_assignment', 'data_subject_request',
];
/** Tables copied with a whole partnership besides its schools (the log and the idempotency keys are not data to copy). */
const PARTNERSHIP_TABLES = ['partnership', 'windstreek', 'topteam', 'app_user', 'membership', 'team_capacity_change'];
/** Text columns that must stay unique, and get the copy's number appended. */
const UNIQUE_TEXT: Record<string, string[]> = {
  partnership: ['code', 'name'], school: ['brin_code'], app_user: ['email', 'subject'], student: ['pseudonym'],
};

export type Progress = (step: string, done: number, total: number) => void;

/** A column with the table its key references: the key's last column (keys between tenant tables are (partnership_id, x_id)). */
interface Column { name: string; references: string | null; serial: boolean }

async function columnsOf(owner: DataSource, table: string): Promise<Column[]> {
  return owner.query(
    `SELECT a.attname AS name,
            (SELECT cf.relname FROM pg_constraint k JOIN pg_class cf ON cf.oid = k.confrelid
              WHERE k.conrelid = a.attrelid AND k.contype = 'f' AND k.conkey[cardinality(k.conkey)] = a.attnum LIMIT 1) AS references,
            coalesce(pg_get_expr(d.adbin, d.adrelid) LIKE 'nextval%', false) AS serial
       FROM pg_attribute a LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
      WHERE a.attrelid = $1::regclass AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum`, [table]);
}

/** A stable uuid (version-4 layout, as the API's validation wants) from the md5 of a text. */
const uuidOf = (text: string) => `overlay(overlay(md5(${text}) placing '4' from 13) placing '8' from 17)::uuid`;

/** Remembers the demo's own rows, so that later copies copy the demo and not earlier copies. */
async function rememberOriginals(owner: DataSource): Promise<void> {
  await owner.query('CREATE TABLE IF NOT EXISTS bench_original (id uuid PRIMARY KEY)');
  for (const table of [...PARTNERSHIP_TABLES, ...SCHOOL_TABLES]) {
    await owner.query(`INSERT INTO bench_original SELECT id FROM "${table}" ON CONFLICT DO NOTHING`);
  }
}

/**
 * Copies the demo's own rows of partnership `from` in one statement per table.
 * - `partnerships` 0: `perPartnership` more copies of its schools (and everything under them)
 *   inside the same partnership;
 * - `partnerships` n: n new partnerships (users, teams, windstreken and all), each with
 *   `perPartnership` copies of the schools.
 * Ids and references to copied rows are mapped per copy (`md5(id:salt:p.s)`); everything else is kept.
 */
async function copyDemo(owner: DataSource, from: string, partnerships: number, perPartnership: number, salt: string): Promise<void> {
  const across = partnerships > 0;
  const partnershipLevel = new Set(across ? PARTNERSHIP_TABLES : []);
  const schoolLevel = new Set(SCHOOL_TABLES);
  const mapP = (expr: string) => uuidOf(`${expr}::text || ':${salt}:' || p`);
  // A row of a partnership-level table (a school coordinator's membership) points at the first copy of its school.
  const mapS = (expr: string, copy = 's') => uuidOf(`${expr}::text || ':${salt}:' || p || '.' || ${copy}`);
  const pSeries = across ? `generate_series(1, ${partnerships}) p` : '(SELECT 0 AS p) p';
  // Memberships and capacity changes point at schools: they follow them.
  const late = ['membership', 'team_capacity_change'];
  const order = across ? [...PARTNERSHIP_TABLES.filter((t) => !late.includes(t)), ...SCHOOL_TABLES, ...late] : SCHOOL_TABLES;
  for (const table of order) {
    const tableIsSchoolLevel = schoolLevel.has(table);
    const columns = (await columnsOf(owner, table)).filter((c) => !c.serial);
    const select = columns.map((c) => {
      const col = `t."${c.name}"`;
      if (c.name === 'id') return tableIsSchoolLevel ? mapS(col) : mapP(col);
      if (c.name === 'partnership_id') return across ? mapP(col) : col;
      if (c.references && schoolLevel.has(c.references)) return mapS(col, tableIsSchoolLevel ? 's' : '1');
      if (c.references && partnershipLevel.has(c.references)) return mapP(col);
      if (UNIQUE_TEXT[table]?.includes(c.name)) return `${col} || ' ${salt}' || p || '.' || ${tableIsSchoolLevel ? 's' : '0'}`;
      return col;
    });
    const series = tableIsSchoolLevel ? `${pSeries} CROSS JOIN generate_series(1, ${perPartnership}) s` : pSeries;
    const where = table === 'partnership' ? 't.id = $1' : 't.partnership_id = $1';
    await owner.query(
      `INSERT INTO "${table}" (${columns.map((c) => `"${c.name}"`).join(', ')})
       SELECT ${select.join(', ')} FROM "${table}" t CROSS JOIN ${series}
        WHERE ${where} AND t.id IN (SELECT id FROM bench_original)`, [from]);
  }
  if (across) {
    // Neighbour pairs have no id of their own: the pairs of the source's windstreken, per copy.
    await owner.query(
      `INSERT INTO windstreek_neighbour (partnership_id, windstreek_id, neighbour_id)
       SELECT ${mapP('n.partnership_id')}, ${mapP('n.windstreek_id')}, ${mapP('n.neighbour_id')} FROM windstreek_neighbour n
        CROSS JOIN generate_series(1, ${partnerships}) p WHERE n.partnership_id = $1`, [from]);
  }
}

/** Students without a trajectory, spread over the partnership's schools, until it has `total`. */
async function addStudents(owner: DataSource, partnershipId: string, total: number): Promise<void> {
  const [{ n }] = await owner.query('SELECT count(*)::int AS n FROM student WHERE partnership_id = $1', [partnershipId]);
  if (n >= total) return;
  await owner.query(
    `WITH s AS (SELECT id, row_number() OVER (ORDER BY brin_code) AS r, count(*) OVER () AS c FROM school WHERE partnership_id = $1)
     INSERT INTO student (partnership_id, school_id, given_name, family_name, birth_date, student_number, expected_exit_level, pseudonym)
     SELECT $1, s.id, 'Leerling', 'Nummer ' || g, DATE '2010-01-01' + (g % 1500), 'B' || g, 'HAVO', 'bench-' || g
       FROM generate_series(1, $2::int) g JOIN s ON s.r = 1 + (g % s.c)`, [partnershipId, total - n]);
}

/**
 * An access log like one written by a year of use: entries spread over the partnership's
 * students and users, in requests of four entries each, chained exactly as `access_log_append`
 * chains them (sha256 over the previous hash and the canonical text of src/audit/chain.ts),
 * but built inside the database, row by row, because writing five million entries through the
 * API's writer would take a quarter of an hour. The benchmark verifies the chain it built with
 * the project's own verifier, so a difference in the canonical text would show.
 */
const FILL_LOG = `CREATE OR REPLACE FUNCTION bench_fill_log(p uuid, n integer, students uuid[], users uuid[], t0 timestamptz, span_days double precision) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  prev text; i integer; eid uuid; ca timestamptz; uid uuid; sid uuid; act text; rid text; canon text; h text;
BEGIN
  SELECT e.hash INTO prev FROM access_log_entry e WHERE e.partnership_id = p ORDER BY e.sequence DESC LIMIT 1;
  FOR i IN 0 .. n - 1 LOOP
    eid := gen_random_uuid();
    IF i % 4 = 0 THEN rid := gen_random_uuid()::text; END IF;
    ca := date_trunc('milliseconds', t0 + (i::double precision / n) * span_days * interval '1 day');
    uid := users[1 + i % array_length(users, 1)];
    sid := students[1 + (i * 7919) % array_length(students, 1)];
    act := CASE WHEN i % 3 = 0 THEN 'READ' ELSE 'SEARCH' END;
    canon := format('["%s","%s","%s","%s",null,"TEAM_MEMBER","%s","ALLOWED","%s","Student","%s",["Student.familyName","Student.givenName"],"CONSENT",null,"%s",["Student:%s"]]',
      eid, p, to_char(ca AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'), uid, act, sid, sid, rid, sid);
    h := encode(sha256(convert_to(coalesce(prev, '') || canon, 'UTF8')), 'hex');
    INSERT INTO access_log_entry (id, partnership_id, created_at, user_id, membership_id, role, action, outcome, student_id,
                                  object_type, object_id, fields, legal_basis, consent_id, request_id, objects, previous_hash, hash)
    VALUES (eid, p, ca, uid, NULL, 'TEAM_MEMBER', act::access_action, 'ALLOWED', sid, 'Student', sid, '{Student.familyName,Student.givenName}',
            'CONSENT', NULL, rid, ARRAY['Student:' || sid], prev, h);
    prev := h;
  END LOOP;
END $$`;

async function addAccessLog(owner: DataSource, partnershipId: string, rows: number, onBatch: (written: number) => void): Promise<void> {
  await owner.query(FILL_LOG);
  // A month partition for every month of the generated year (the API's start creates the current ones only).
  await owner.query('SELECT access_log_ensure_partitions(3, $1)', [new Date(Date.UTC(2025, 11, 1))]);
  // The year from 1 December 2025, each batch its share of it in turn: every entry in the past,
  // and the chain's order the order of time, as the API writes it.
  const BATCH = 50_000;
  const YEAR_DAYS = 360;
  for (let written = 0; written < rows; written += BATCH) {
    const n = Math.min(BATCH, rows - written);
    await owner.query(
      `SELECT bench_fill_log($1, $2,
         (SELECT array_agg(id) FROM (SELECT id FROM student WHERE partnership_id = $1 ORDER BY id LIMIT 5000) s),
         (SELECT array_agg(id) FROM app_user WHERE partnership_id = $1), $3, $4)`,
      [partnershipId, n, new Date(Date.UTC(2025, 11, 1) + (written / rows) * YEAR_DAYS * 86_400_000), (n / rows) * YEAR_DAYS]);
    onBatch(Math.min(rows, written + BATCH));
  }
  const [{ future }] = await owner.query('SELECT count(*)::int AS future FROM access_log_entry WHERE partnership_id = $1 AND created_at > now()', [partnershipId]);
  if (future > 0) throw new Error(`the generated access log has ${future} entries dated after now`);
}

export interface DatasetCounts { partnerships: number; schools: number; students: number; trajectories: number; accessLogRows: number }

export async function countRows(owner: DataSource): Promise<DatasetCounts> {
  const [row] = await owner.query(`SELECT (SELECT count(*) FROM partnership)::int AS partnerships, (SELECT count(*) FROM school)::int AS schools,
    (SELECT count(*) FROM student)::int AS students, (SELECT count(*) FROM trajectory)::int AS trajectories,
    (SELECT count(*) FROM access_log_entry)::int AS "accessLogRows"`);
  return row;
}

/** `copies` more copies of the demo's schools with everything under them, then students up to `students`. */
export async function growSchools(owner: DataSource, partnershipId: string, copies: number, students: number, salt = 'school'): Promise<void> {
  await copyDemo(owner, partnershipId, 0, copies, salt);
  await addStudents(owner, partnershipId, students);
}

/** The demo data at Amsterdam's size (or tiny): the partnership every measured caller belongs to. */
export async function buildAmsterdam(owner: DataSource, config: Config, now: Date, scale: Scale, progress: Progress): Promise<string> {
  const target = TARGETS[scale];
  progress('demo data', 0, 1);
  await seedDemoData(owner, config, now);
  await rememberOriginals(owner);
  progress('demo data', 1, 1);
  const [{ id }] = await owner.query('SELECT id FROM partnership WHERE code = $1', [DEMO_PARTNERSHIP_CODE]);
  if (target.schoolCopies > 0) {
    progress('schools and their cases', 0, 1);
    await growSchools(owner, id, target.schoolCopies, target.studentsInAmsterdam);
    progress('schools and their cases', 1, 1);
  }
  await addAccessLog(owner, id, target.logRows, (done) => progress('access log, Amsterdam', done, target.logRows));
  await settle(owner);
  return id;
}

/** The other partnerships of the country (national scale only), each with its share of the log. */
export async function addCountry(owner: DataSource, amsterdamId: string, scale: Scale, progress: Progress): Promise<void> {
  const target = TARGETS[scale];
  const others = target.partnerships - 1;
  if (others <= 0) return;
  progress('partnerships', 0, 1);
  await copyDemo(owner, amsterdamId, others, target.partnershipCopies, 'country');
  progress('partnerships', 1, 1);
  const ids: string[] = (await owner.query('SELECT id FROM partnership WHERE id <> $1 ORDER BY code', [amsterdamId])).map((r: { id: string }) => r.id);
  const perPartnership = Math.floor(target.countryLogRows / ids.length);
  for (const [i, id] of ids.entries()) {
    await addAccessLog(owner, id, perPartnership, () => undefined);
    progress('access log, other partnerships', (i + 1) * perPartnership, ids.length * perPartnership);
  }
  await settle(owner);
}

/**
 * After a bulk load: statistics for the planner, and the visibility map and hint bits that a
 * database in use has, so that autovacuum does not do that work on the two cores while the
 * operations are measured (it made the national run's reads look slower than they are).
 */
async function settle(owner: DataSource): Promise<void> {
  await owner.query('VACUUM (ANALYZE)');
}
