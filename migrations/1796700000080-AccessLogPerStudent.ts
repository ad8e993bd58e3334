import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log per request and student (src/audit/access-recorder.ts, `perStudent`): an entry
 * about a student's data now names, besides its fields, the objects it covered (`objects`,
 * "Trajectory:<id>"), so one entry per request, student, act and ground replaces one per object.
 *
 * `access_log_append` now takes the entries' canonical texts alone and reads each row's values
 * back out of its text (a JSON array, src/audit/chain.ts `canonical`) instead of receiving every
 * entry twice, as JSON and as text: half the bytes per request, and the row written is by
 * construction the text that was hashed. Entries written before keep `objects` NULL and their
 * canonical text of fifteen values, so the chain verifies across the change.
 */
export class AccessLogPerStudent1796700000080 implements MigrationInterface {
  name = 'AccessLogPerStudent1796700000080';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "access_log_entry" ADD "objects" text array`);
    await queryRunner.query(`DROP FUNCTION access_log_append(uuid, jsonb, text[])`);
    await queryRunner.query(`CREATE FUNCTION access_log_append(p_partnership uuid, p_canonical text[]) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  prev text;
  n integer := coalesce(array_length(p_canonical, 1), 0);
  prevs text[] := array_fill(NULL::text, ARRAY[n]);
  hashes text[] := array_fill(NULL::text, ARRAY[n]);
  entries jsonb[] := array_fill(NULL::jsonb, ARRAY[n]);
BEGIN
  FOR i IN 1 .. n LOOP
    entries[i] := p_canonical[i]::jsonb;
    IF jsonb_typeof(entries[i]) <> 'array' OR jsonb_array_length(entries[i]) NOT IN (15, 16) OR (entries[i]->>1)::uuid <> p_partnership THEN
      RAISE EXCEPTION 'access_log_append: entry % is not an entry of partnership %', i, p_partnership;
    END IF;
  END LOOP;
  PERFORM pg_advisory_xact_lock(7513, hashtext(p_partnership::text));
  SELECT e.hash INTO prev FROM access_log_entry e WHERE e.partnership_id = p_partnership ORDER BY e.sequence DESC LIMIT 1;
  FOR i IN 1 .. n LOOP
    prevs[i] := prev;
    prev := encode(sha256(convert_to(coalesce(prev, '') || p_canonical[i], 'UTF8')), 'hex');
    hashes[i] := prev;
  END LOOP;
  INSERT INTO access_log_entry (id, partnership_id, created_at, user_id, membership_id, role, action, outcome, student_id,
                                object_type, object_id, fields, legal_basis, consent_id, request_id, objects, previous_hash, hash)
  SELECT r.id, p_partnership, r.created_at, r.user_id, r.membership_id, r.role, r.action, r.outcome, r.student_id,
         r.object_type, r.object_id, r.fields, r.legal_basis, r.consent_id, r.request_id, r.objects, prevs[k], hashes[k]
    FROM generate_subscripts(entries, 1) AS k,
         LATERAL jsonb_populate_record(NULL::access_log_entry, jsonb_build_object(
           'id', entries[k]->0, 'created_at', entries[k]->2, 'user_id', entries[k]->3, 'membership_id', entries[k]->4,
           'role', entries[k]->5, 'action', entries[k]->6, 'outcome', entries[k]->7, 'student_id', entries[k]->8,
           'object_type', entries[k]->9, 'object_id', entries[k]->10, 'fields', entries[k]->11, 'legal_basis', entries[k]->12,
           'consent_id', entries[k]->13, 'request_id', entries[k]->14, 'objects', entries[k]->15)) AS r
   ORDER BY k;
  RETURN n;
END
$$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION access_log_append(uuid, text[])`);
    await queryRunner.query(`CREATE FUNCTION access_log_append(p_partnership uuid, p_entries jsonb, p_canonical text[]) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  prev text;
  prevs text[] := '{}';
  hashes text[] := '{}';
  n integer := coalesce(array_length(p_canonical, 1), 0);
BEGIN
  IF n <> jsonb_array_length(p_entries) THEN
    RAISE EXCEPTION 'access_log_append: % entries but % canonical texts', jsonb_array_length(p_entries), n;
  END IF;
  PERFORM pg_advisory_xact_lock(7513, hashtext(p_partnership::text));
  SELECT e.hash INTO prev FROM access_log_entry e WHERE e.partnership_id = p_partnership ORDER BY e.sequence DESC LIMIT 1;
  FOR i IN 1 .. n LOOP
    prevs := array_append(prevs, prev);
    prev := encode(sha256(convert_to(coalesce(prev, '') || p_canonical[i], 'UTF8')), 'hex');
    hashes := array_append(hashes, prev);
  END LOOP;
  INSERT INTO access_log_entry (id, partnership_id, created_at, user_id, membership_id, role, action, outcome, student_id,
                                object_type, object_id, fields, legal_basis, consent_id, request_id, previous_hash, hash)
  SELECT r.id, p_partnership, r.created_at, r.user_id, r.membership_id, r.role, r.action, r.outcome, r.student_id,
         r.object_type, r.object_id, r.fields, r.legal_basis, r.consent_id, r.request_id, prevs[r.ordinality], hashes[r.ordinality]
    FROM ROWS FROM (jsonb_populate_recordset(NULL::access_log_entry, p_entries)) WITH ORDINALITY AS r
   ORDER BY r.ordinality;
  RETURN n;
END
$$`);
    await queryRunner.query(`ALTER TABLE "access_log_entry" DROP COLUMN "objects"`);
  }
}
