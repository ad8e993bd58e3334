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
  written integer;
BEGIN
  PERFORM pg_advisory_xact_lock(7513, hashtext(p_partnership::text));
  SELECT e.hash INTO prev FROM access_log_entry e WHERE e.partnership_id = p_partnership ORDER BY e.sequence DESC LIMIT 1;
  FOR i IN 1 .. n LOOP
    prevs[i] := prev;
    prev := encode(sha256(convert_to(coalesce(prev, '') || p_canonical[i], 'UTF8')), 'hex');
    hashes[i] := prev;
  END LOOP;
  -- Each text parsed once; its values cast straight into the row. A text that is not an entry of
  -- this partnership (not an array of 15 or 16 values, another partnership) is not inserted, and
  -- the count below then refuses the whole call, so nothing of it stays.
  INSERT INTO access_log_entry (id, partnership_id, created_at, user_id, membership_id, role, action, outcome, student_id,
                                object_type, object_id, fields, legal_basis, consent_id, request_id, objects, previous_hash, hash)
  SELECT (j.e->>0)::uuid, p_partnership, (j.e->>2)::timestamptz, (j.e->>3)::uuid, (j.e->>4)::uuid,
         (j.e->>5)::access_log_entry_role_enum, (j.e->>6)::access_action, (j.e->>7)::access_outcome, (j.e->>8)::uuid,
         j.e->>9, (j.e->>10)::uuid, ARRAY(SELECT jsonb_array_elements_text(j.e->11)),
         (j.e->>12)::access_log_entry_legal_basis_enum, (j.e->>13)::uuid, j.e->>14,
         CASE WHEN jsonb_typeof(j.e->15) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(j.e->15)) END,
         prevs[t.k], hashes[t.k]
    FROM unnest(p_canonical) WITH ORDINALITY AS t(c, k), LATERAL (SELECT t.c::jsonb AS e OFFSET 0) AS j  -- OFFSET 0: parsed once, not once per use
   WHERE CASE WHEN jsonb_typeof(j.e) = 'array' THEN jsonb_array_length(j.e) IN (15, 16) AND j.e->>1 = p_partnership::text ELSE false END
   ORDER BY t.k;
  GET DIAGNOSTICS written = ROW_COUNT;
  IF written <> n THEN
    RAISE EXCEPTION 'access_log_append: % of % entries are not entries of partnership %', n - written, n, p_partnership;
  END IF;
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
