import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Students who each stand on their own consent share one entry too (src/audit/access-recorder.ts,
 * `acrossStudents`): a Topteam member's page of fifty cases was fifty entries, one per student,
 * because each student's consent differs. Such an entry now names each student's consent in
 * `consents` ("Student:<id>/Consent:<id>") and leaves `consent_id` empty.
 *
 * `access_log_append` reads `consents` as the seventeenth value of an entry's canonical text
 * (src/audit/chain.ts `canonical`); entries without it keep their fifteen or sixteen values and
 * their hashes, so the chain verifies across the change.
 */
export class AccessLogConsentsAcrossStudents1796700000083 implements MigrationInterface {
  name = 'AccessLogConsentsAcrossStudents1796700000083';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "access_log_entry" ADD "consents" text array`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION access_log_append(p_partnership uuid, p_canonical text[]) RETURNS integer LANGUAGE plpgsql AS $$
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
  -- this partnership (not an array of 15 or 16 values, or of 17 whose last is an array of
  -- consents; another partnership) is not inserted, and the count below then refuses the whole
  -- call, so nothing of it stays.
  INSERT INTO access_log_entry (id, partnership_id, created_at, user_id, membership_id, role, action, outcome, student_id,
                                object_type, object_id, fields, legal_basis, consent_id, request_id, objects, consents, previous_hash, hash)
  SELECT (j.e->>0)::uuid, p_partnership, (j.e->>2)::timestamptz, (j.e->>3)::uuid, (j.e->>4)::uuid,
         (j.e->>5)::access_log_entry_role_enum, (j.e->>6)::access_action, (j.e->>7)::access_outcome, (j.e->>8)::uuid,
         j.e->>9, (j.e->>10)::uuid, ARRAY(SELECT jsonb_array_elements_text(j.e->11)),
         (j.e->>12)::access_log_entry_legal_basis_enum, (j.e->>13)::uuid, j.e->>14,
         CASE WHEN jsonb_typeof(j.e->15) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(j.e->15)) END,
         CASE WHEN jsonb_typeof(j.e->16) = 'array' THEN ARRAY(SELECT jsonb_array_elements_text(j.e->16)) END,
         prevs[t.k], hashes[t.k]
    FROM unnest(p_canonical) WITH ORDINALITY AS t(c, k), LATERAL (SELECT t.c::jsonb AS e OFFSET 0) AS j  -- OFFSET 0: parsed once, not once per use
   WHERE CASE WHEN jsonb_typeof(j.e) = 'array'
              THEN (jsonb_array_length(j.e) IN (15, 16) OR (jsonb_array_length(j.e) = 17 AND jsonb_typeof(j.e->16) = 'array'))
                   AND j.e->>1 = p_partnership::text
              ELSE false END
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
    // Dropping the column would break the hash of every entry that has it: refuse while one does.
    const [{ n }] = await queryRunner.query(`SELECT count(*)::int AS n FROM access_log_entry WHERE consents IS NOT NULL`);
    if (n > 0) throw new Error(`${n} access-log entries name their students' consents: reverting would break their hashes`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION access_log_append(p_partnership uuid, p_canonical text[]) RETURNS integer LANGUAGE plpgsql AS $$
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
    await queryRunner.query(`ALTER TABLE "access_log_entry" DROP COLUMN "consents"`);
  }
}
