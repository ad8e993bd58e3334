import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The neighbour pairs of windstreken carry their partnership like every tenant table: the column
 * (filled from the windstreek of each pair), both foreign keys on (partnership_id, id) so a pair
 * cannot join two partnerships' windstreken, and the tenant policy of row-level security
 * (as in TenantRowLevelSecurity1796500000000). Generated, then edited: the column is filled
 * before it becomes NOT NULL, and the policy is no entity feature.
 */
export class WindstreekNeighbourTenant1796700000060 implements MigrationInterface {
  name = 'WindstreekNeighbourTenant1796700000060';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" DROP CONSTRAINT "FK_aa7b9dcb52320b5a8e065ca3c5c"`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" DROP CONSTRAINT "FK_b4e995fec5d414e2c107e9e793e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_aa7b9dcb52320b5a8e065ca3c5"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_b4e995fec5d414e2c107e9e793"`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" ADD "partnership_id" uuid`);
    await queryRunner.query(`UPDATE "windstreek_neighbour" n SET "partnership_id" = w."partnership_id" FROM "windstreek" w WHERE w."id" = n."windstreek_id"`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" ALTER COLUMN "partnership_id" SET NOT NULL`);
    await queryRunner.query(`CREATE INDEX "IDX_1aaf34ea0daa24005cd659636b" ON "windstreek_neighbour"  ("partnership_id", "neighbour_id") `);
    await queryRunner.query(`ALTER TABLE "windstreek" ADD CONSTRAINT "UQ_windstreek_partnership_id" UNIQUE ("partnership_id", "id")`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" ADD CONSTRAINT "FK_1aaf34ea0daa24005cd659636ba" FOREIGN KEY ("partnership_id", "neighbour_id") REFERENCES "windstreek"("partnership_id","id") ON DELETE CASCADE ON UPDATE CASCADE`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" ADD CONSTRAINT "FK_6108b2485d2a145be51e00864fd" FOREIGN KEY ("partnership_id", "windstreek_id") REFERENCES "windstreek"("partnership_id","id") ON DELETE CASCADE ON UPDATE CASCADE`);
    const condition = '(SELECT toptrajecten_all_tenants()) OR partnership_id = (SELECT toptrajecten_tenant())';
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY tenant ON "windstreek_neighbour" USING (${condition}) WITH CHECK (${condition})`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY tenant ON "windstreek_neighbour"`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" DISABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" DROP CONSTRAINT "FK_6108b2485d2a145be51e00864fd"`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" DROP CONSTRAINT "FK_1aaf34ea0daa24005cd659636ba"`);
    await queryRunner.query(`ALTER TABLE "windstreek" DROP CONSTRAINT "UQ_windstreek_partnership_id"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1aaf34ea0daa24005cd659636b"`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" DROP COLUMN "partnership_id"`);
    await queryRunner.query(`CREATE INDEX "IDX_b4e995fec5d414e2c107e9e793" ON "windstreek_neighbour" USING btree ("neighbour_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_aa7b9dcb52320b5a8e065ca3c5" ON "windstreek_neighbour" USING btree ("windstreek_id") `);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" ADD CONSTRAINT "FK_b4e995fec5d414e2c107e9e793e" FOREIGN KEY ("neighbour_id") REFERENCES "windstreek"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
    await queryRunner.query(`ALTER TABLE "windstreek_neighbour" ADD CONSTRAINT "FK_aa7b9dcb52320b5a8e065ca3c5c" FOREIGN KEY ("windstreek_id") REFERENCES "windstreek"("id") ON DELETE CASCADE ON UPDATE CASCADE`);
  }
}
