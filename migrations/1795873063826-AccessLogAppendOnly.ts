import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written (a trigger and a function are not entity features): the access log is
 * append-only, and entries are chained and inserted by one function call per request.
 * See src/audit/chain.ts for the hash definition.
 */
export class AccessLogAppendOnly1795873063826 implements MigrationInterface {
  name = 'AccessLogAppendOnly1795873063826';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION access_log_entry_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'access_log_entry is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END
$$`);
    await queryRunner.query(`CREATE TRIGGER access_log_entry_append_only BEFORE UPDATE OR DELETE ON access_log_entry FOR EACH ROW EXECUTE FUNCTION access_log_entry_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER access_log_entry_no_truncate BEFORE TRUNCATE ON access_log_entry FOR EACH STATEMENT EXECUTE FUNCTION access_log_entry_refuse_change()`);
    // Appends the entries of one request to the partnership's chain, in one statement: under a
    // per-partnership advisory lock (held until the statement's transaction ends), it reads the
    // last hash with a fresh snapshot, chains sha256(previous_hash || canonical text) and
    // inserts all rows in one INSERT, in order.
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
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION access_log_append(uuid, jsonb, text[])`);
    await queryRunner.query(`DROP TRIGGER access_log_entry_no_truncate ON access_log_entry`);
    await queryRunner.query(`DROP TRIGGER access_log_entry_append_only ON access_log_entry`);
    await queryRunner.query(`DROP FUNCTION access_log_entry_refuse_change()`);
  }
}
