import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written (partitions are not entity features): the access log becomes a table
 * partitioned by month of `created_at`, so a month can be archived and detached as a whole
 * and a read of one period touches its months only. Its primary key becomes (id, created_at)
 * and the (partnership, sequence) index is no longer unique (a partitioned table's unique keys
 * must contain the partition key; `sequence` still comes from one sequence, and the chain
 * itself proves order and completeness).
 *
 * `access_log_ensure_partitions(months_ahead)` creates the partitions from the current month on
 * (run at every start by the owner, src/app/database.ts); a DEFAULT partition takes whatever
 * falls outside them, so an insert never fails. Every partition gets what the parent has: the
 * tenant policy (FORCEd), the append-only triggers, and no privileges for the API's role (it
 * reads and appends through the parent only). The entries already written move over unchanged,
 * in sequence order: the chain verifies as before.
 */
export class AccessLogByMonth1796600000000 implements MigrationInterface {
  name = 'AccessLogByMonth1796600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "access_log_entry" RENAME TO "access_log_entry_unpartitioned"`);
    await queryRunner.query(`ALTER TABLE "access_log_entry_unpartitioned" RENAME CONSTRAINT "PK_74f816949105fc3145ad45ca8cd" TO "access_log_entry_unpartitioned_pkey"`);
    await queryRunner.query(`ALTER TABLE "access_log_entry_unpartitioned" DROP CONSTRAINT "FK_fe72bce80c6134cfec0e93fa835"`);
    for (const index of ['IDX_e2b889c1ce0d20812cd41334e9', 'IDX_c2979d42558316978a90e559c3', 'IDX_53dc9e8f5023ec5f49f0dd9441', 'IDX_d5633133af7d7c5742c5d10902']) {
      await queryRunner.query(`DROP INDEX "${index}"`);
    }
    await queryRunner.query(`CREATE TABLE "access_log_entry" (
      "id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL,
      "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(),
      "sequence" bigint NOT NULL DEFAULT nextval('access_log_entry_sequence_seq'::regclass),
      "user_id" uuid NOT NULL, "membership_id" uuid, "role" "public"."access_log_entry_role_enum",
      "action" "public"."access_action" NOT NULL, "outcome" "public"."access_outcome" NOT NULL, "student_id" uuid,
      "object_type" text NOT NULL, "object_id" uuid, "fields" text array NOT NULL DEFAULT '{}',
      "legal_basis" "public"."access_log_entry_legal_basis_enum", "consent_id" uuid, "request_id" text NOT NULL,
      "previous_hash" text, "hash" text NOT NULL,
      CONSTRAINT "PK_74f816949105fc3145ad45ca8cd" PRIMARY KEY ("id", "created_at")
    ) PARTITION BY RANGE ("created_at")`);
    await queryRunner.query(`ALTER SEQUENCE "access_log_entry_sequence_seq" OWNED BY "access_log_entry"."sequence"`);
    await queryRunner.query(`CREATE INDEX "IDX_e2b889c1ce0d20812cd41334e9" ON "access_log_entry" ("partnership_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_c2979d42558316978a90e559c3" ON "access_log_entry" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_53dc9e8f5023ec5f49f0dd9441" ON "access_log_entry" ("student_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_d5633133af7d7c5742c5d10902" ON "access_log_entry" ("partnership_id", "sequence")`);
    await queryRunner.query(`ALTER TABLE "access_log_entry" ADD CONSTRAINT "FK_fe72bce80c6134cfec0e93fa835" FOREIGN KEY ("partnership_id") REFERENCES "partnership"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    const condition = `(SELECT toptrajecten_all_tenants()) OR partnership_id = (SELECT toptrajecten_tenant())`;
    await queryRunner.query(`ALTER TABLE "access_log_entry" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "access_log_entry" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY tenant ON "access_log_entry" USING (${condition}) WITH CHECK (${condition})`);
    await queryRunner.query(`CREATE TRIGGER access_log_entry_append_only BEFORE UPDATE OR DELETE ON "access_log_entry" FOR EACH ROW EXECUTE FUNCTION access_log_entry_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER access_log_entry_no_truncate BEFORE TRUNCATE ON "access_log_entry" FOR EACH STATEMENT EXECUTE FUNCTION access_log_entry_refuse_change()`);

    // One partition: the tenant policy, the truncate guard (row triggers are inherited, statement triggers are not).
    await queryRunner.query(`CREATE FUNCTION access_log_guard_partition(p_name text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  condition text := '(SELECT toptrajecten_all_tenants()) OR partnership_id = (SELECT toptrajecten_tenant())';
BEGIN
  EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', p_name);
  EXECUTE format('ALTER TABLE %I FORCE ROW LEVEL SECURITY', p_name);
  EXECUTE format('CREATE POLICY tenant ON %I USING (%s) WITH CHECK (%s)', p_name, condition, condition);
  EXECUTE format('CREATE TRIGGER access_log_entry_no_truncate BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION access_log_entry_refuse_change()', p_name);
  EXECUTE format('REVOKE ALL ON %I FROM PUBLIC', p_name);
END
$$`);
    // The month partitions from `p_from`'s month through `p_months_ahead` months after the current one.
    await queryRunner.query(`CREATE FUNCTION access_log_ensure_partitions(p_months_ahead integer, p_from timestamptz DEFAULT now()) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
  month date := date_trunc('month', least(p_from, now()) AT TIME ZONE 'UTC')::date;
  last date := (date_trunc('month', now() AT TIME ZONE 'UTC') + make_interval(months => p_months_ahead))::date;
  name text;
  created integer := 0;
BEGIN
  WHILE month <= last LOOP
    name := format('access_log_entry_y%sm%s', to_char(month, 'YYYY'), to_char(month, 'MM'));
    IF to_regclass(name) IS NULL THEN
      BEGIN
        EXECUTE format('CREATE TABLE %I PARTITION OF access_log_entry FOR VALUES FROM (%L) TO (%L)',
          name, (month::timestamp AT TIME ZONE 'UTC'), ((month + interval '1 month')::timestamp AT TIME ZONE 'UTC'));
        PERFORM access_log_guard_partition(name);
        created := created + 1;
      EXCEPTION WHEN check_violation THEN
        -- Entries of this month already sit in the DEFAULT partition: they stay there.
        RAISE WARNING 'access_log_ensure_partitions: % not created, the default partition holds entries of that month', name;
      END;
    END IF;
    month := (month + interval '1 month')::date;
  END LOOP;
  RETURN created;
END
$$`);
    await queryRunner.query(`CREATE TABLE "access_log_entry_default" PARTITION OF "access_log_entry" DEFAULT`);
    await queryRunner.query(`SELECT access_log_guard_partition('access_log_entry_default')`);
    const [{ oldest }] = await queryRunner.query(`SELECT min(created_at) AS oldest FROM "access_log_entry_unpartitioned"`);
    await queryRunner.query(`SELECT access_log_ensure_partitions(3, $1)`, [oldest ?? new Date()]);
    await queryRunner.query(`INSERT INTO "access_log_entry" SELECT * FROM "access_log_entry_unpartitioned" ORDER BY partnership_id, sequence`);
    await queryRunner.query(`DROP TABLE "access_log_entry_unpartitioned"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "access_log_entry_unpartitioned" (LIKE "access_log_entry" INCLUDING DEFAULTS)`);
    await queryRunner.query(`INSERT INTO "access_log_entry_unpartitioned" SELECT * FROM "access_log_entry" ORDER BY partnership_id, sequence`);
    await queryRunner.query(`ALTER SEQUENCE "access_log_entry_sequence_seq" OWNED BY NONE`);
    await queryRunner.query(`DROP TABLE "access_log_entry"`);
    await queryRunner.query(`DROP FUNCTION access_log_ensure_partitions(integer, timestamptz)`);
    await queryRunner.query(`DROP FUNCTION access_log_guard_partition(text)`);
    await queryRunner.query(`ALTER TABLE "access_log_entry_unpartitioned" RENAME TO "access_log_entry"`);
    await queryRunner.query(`ALTER SEQUENCE "access_log_entry_sequence_seq" OWNED BY "access_log_entry"."sequence"`);
    await queryRunner.query(`ALTER TABLE "access_log_entry" ADD CONSTRAINT "PK_74f816949105fc3145ad45ca8cd" PRIMARY KEY ("id")`);
    await queryRunner.query(`CREATE INDEX "IDX_e2b889c1ce0d20812cd41334e9" ON "access_log_entry" ("partnership_id", "created_at", "id")`);
    await queryRunner.query(`CREATE INDEX "IDX_c2979d42558316978a90e559c3" ON "access_log_entry" ("user_id")`);
    await queryRunner.query(`CREATE INDEX "IDX_53dc9e8f5023ec5f49f0dd9441" ON "access_log_entry" ("student_id")`);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_d5633133af7d7c5742c5d10902" ON "access_log_entry" ("partnership_id", "sequence")`);
    await queryRunner.query(`ALTER TABLE "access_log_entry" ADD CONSTRAINT "FK_fe72bce80c6134cfec0e93fa835" FOREIGN KEY ("partnership_id") REFERENCES "partnership"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    const condition = `(SELECT toptrajecten_all_tenants()) OR partnership_id = (SELECT toptrajecten_tenant())`;
    await queryRunner.query(`ALTER TABLE "access_log_entry" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "access_log_entry" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY tenant ON "access_log_entry" USING (${condition}) WITH CHECK (${condition})`);
    await queryRunner.query(`CREATE TRIGGER access_log_entry_append_only BEFORE UPDATE OR DELETE ON "access_log_entry" FOR EACH ROW EXECUTE FUNCTION access_log_entry_refuse_change()`);
    await queryRunner.query(`CREATE TRIGGER access_log_entry_no_truncate BEFORE TRUNCATE ON "access_log_entry" FOR EACH STATEMENT EXECUTE FUNCTION access_log_entry_refuse_change()`);
  }
}
