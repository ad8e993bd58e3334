import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The last three keys between tenant tables include the partnership: a student's mentor, a
 * consultation's student and a trajectory's consultation. They are `ON DELETE SET NULL`, which on a
 * composite key must clear only the relation's column, never `partnership_id`: PostgreSQL 15's
 * `SET NULL (column)`, written here by hand because TypeORM cannot declare it (it reads the key
 * back as `SET NULL`, so `npm run check` sees no difference; src/db/tenant-record.ts).
 */

export class TenantSetNullKeys1796700000071 implements MigrationInterface {
  name = 'TenantSetNullKeys1796700000071';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "student" DROP CONSTRAINT "FK_52b8b5c0f60a4c840f6654eb7cd"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP CONSTRAINT "FK_17130168cf62bd476698c305441"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP CONSTRAINT "FK_1e72cda4fb12038807b55edef46"`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD CONSTRAINT "UQ_consultation_partnership_id" UNIQUE ("partnership_id", "id")`);
    await queryRunner.query(`ALTER TABLE "student" ADD CONSTRAINT "FK_17552003aac9c295d90bb6485e5" FOREIGN KEY ("partnership_id", "mentor_user_id") REFERENCES "app_user"("partnership_id","id") ON DELETE SET NULL ("mentor_user_id") ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD CONSTRAINT "FK_cdfe732e9c298138e1d2c85ee90" FOREIGN KEY ("partnership_id", "student_id") REFERENCES "student"("partnership_id","id") ON DELETE SET NULL ("student_id") ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD CONSTRAINT "FK_6105440085ed3d80d5152e22391" FOREIGN KEY ("partnership_id", "consultation_id") REFERENCES "consultation"("partnership_id","id") ON DELETE SET NULL ("consultation_id") ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" DROP CONSTRAINT "FK_6105440085ed3d80d5152e22391"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP CONSTRAINT "FK_cdfe732e9c298138e1d2c85ee90"`);
    await queryRunner.query(`ALTER TABLE "student" DROP CONSTRAINT "FK_17552003aac9c295d90bb6485e5"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP CONSTRAINT "UQ_consultation_partnership_id"`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD CONSTRAINT "FK_1e72cda4fb12038807b55edef46" FOREIGN KEY ("consultation_id") REFERENCES "consultation"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD CONSTRAINT "FK_17130168cf62bd476698c305441" FOREIGN KEY ("student_id") REFERENCES "student"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "student" ADD CONSTRAINT "FK_52b8b5c0f60a4c840f6654eb7cd" FOREIGN KEY ("mentor_user_id") REFERENCES "app_user"("id") ON DELETE SET NULL ON UPDATE NO ACTION`);
  }
}
