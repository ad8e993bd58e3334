import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hand-written (policies are not entity features): row-level security on every table with a
 * partnership, FORCEd so it binds the owner too, keyed on the per-transaction setting
 * `toptrajecten.partnership_id` (src/db/tenancy.ts). Unset: no rows; `*`: every partnership.
 * The two functions are evaluated once per statement (scalar subqueries), not once per row.
 */
export class TenantRowLevelSecurity1796500000000 implements MigrationInterface {
  name = 'TenantRowLevelSecurity1796500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE FUNCTION toptrajecten_tenant() RETURNS uuid LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN s IS NULL OR s IN ('', '*') THEN NULL ELSE s::uuid END
    FROM (SELECT current_setting('toptrajecten.partnership_id', true) AS s) AS setting
$$`);
    await queryRunner.query(`CREATE FUNCTION toptrajecten_all_tenants() RETURNS boolean LANGUAGE sql STABLE PARALLEL SAFE AS $$
  SELECT coalesce(current_setting('toptrajecten.partnership_id', true) = '*', false)
$$`);
    for (const [table, column] of await tenantTables(queryRunner)) {
      const condition = `(SELECT toptrajecten_all_tenants()) OR ${column} = (SELECT toptrajecten_tenant())`;
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`CREATE POLICY tenant ON "${table}" USING (${condition}) WITH CHECK (${condition})`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [table] of await tenantTables(queryRunner)) {
      await queryRunner.query(`DROP POLICY tenant ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" NO FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" DISABLE ROW LEVEL SECURITY`);
    }
    await queryRunner.query(`DROP FUNCTION toptrajecten_all_tenants()`);
    await queryRunner.query(`DROP FUNCTION toptrajecten_tenant()`);
  }
}

/** The partnership table (its own id) and every table with a `partnership_id` column, at this point of the history. */
async function tenantTables(queryRunner: QueryRunner): Promise<Array<[string, string]>> {
  const rows: Array<{ table_name: string }> = await queryRunner.query(
    `SELECT c.table_name FROM information_schema.columns c
       JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name AND t.table_type = 'BASE TABLE'
      WHERE c.table_schema = 'public' AND c.column_name = 'partnership_id' ORDER BY c.table_name`,
  );
  return [['partnership', 'id'], ...rows.map((r): [string, string] => [r.table_name, 'partnership_id'])];
}
