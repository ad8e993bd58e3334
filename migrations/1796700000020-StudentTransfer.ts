import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Generated, plus the row-level security every table with a partnership has (by hand, as in
 * TenantRowLevelSecurity1796500000000: policies are not entity features): the history of a
 * student's transfers between schools (`transferStudent`).
 */
export class StudentTransfer1796700000020 implements MigrationInterface {
  name = 'StudentTransfer1796700000020';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "student_school_change" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "student_id" uuid NOT NULL, "from_school_id" uuid NOT NULL, "to_school_id" uuid NOT NULL, "transferred_on" date NOT NULL, "transferred_by_user_id" uuid NOT NULL, CONSTRAINT "PK_1a2e3877424810a538cf6185e56" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1690262c7008bfec0739578ed3" ON "student_school_change"  ("partnership_id", "created_at", "id") `);
    await queryRunner.query(`CREATE INDEX "IDX_46f430034288ba7979423908c8" ON "student_school_change"  ("student_id", "created_at", "id") `);
    await queryRunner.query(`ALTER TABLE "student_school_change" ADD CONSTRAINT "FK_43290e364de44af950b26cad93c" FOREIGN KEY ("partnership_id") REFERENCES "partnership"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "student_school_change" ADD CONSTRAINT "FK_a1a2afcbd4d8f7a838f77962af7" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "student_school_change" ADD CONSTRAINT "FK_16a442ab5704269a36a910e6d1f" FOREIGN KEY ("from_school_id") REFERENCES "school"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "student_school_change" ADD CONSTRAINT "FK_243bde6c30fd5d925861495abd2" FOREIGN KEY ("to_school_id") REFERENCES "school"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "student_school_change" ADD CONSTRAINT "FK_74e6592cd52a896d5df274ddfb8" FOREIGN KEY ("transferred_by_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    const condition = `(SELECT toptrajecten_all_tenants()) OR partnership_id = (SELECT toptrajecten_tenant())`;
    await queryRunner.query(`ALTER TABLE "student_school_change" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "student_school_change" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`CREATE POLICY tenant ON "student_school_change" USING (${condition}) WITH CHECK (${condition})`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP POLICY tenant ON "student_school_change"`);
    await queryRunner.query(`ALTER TABLE "student_school_change" DROP CONSTRAINT "FK_74e6592cd52a896d5df274ddfb8"`);
    await queryRunner.query(`ALTER TABLE "student_school_change" DROP CONSTRAINT "FK_243bde6c30fd5d925861495abd2"`);
    await queryRunner.query(`ALTER TABLE "student_school_change" DROP CONSTRAINT "FK_16a442ab5704269a36a910e6d1f"`);
    await queryRunner.query(`ALTER TABLE "student_school_change" DROP CONSTRAINT "FK_a1a2afcbd4d8f7a838f77962af7"`);
    await queryRunner.query(`ALTER TABLE "student_school_change" DROP CONSTRAINT "FK_43290e364de44af950b26cad93c"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_46f430034288ba7979423908c8"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1690262c7008bfec0739578ed3"`);
    await queryRunner.query(`DROP TABLE "student_school_change"`);
  }
}
