import { MigrationInterface, QueryRunner } from 'typeorm';

export class Retention1795874335263 implements MigrationInterface {
  name = 'Retention1795874335263';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "student" ADD "left_school_on" date`);
    await queryRunner.query(`ALTER TABLE "student" ADD "legal_hold" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "student" ADD "retention_applied_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(`CREATE TYPE "public"."retention_class" AS ENUM('REGISTRATION_WITHOUT_HELP', 'PARTNERSHIP_DOSSIER', 'SCHOOL_DATA', 'CARE_DOSSIER')`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "retention_class" "public"."retention_class"`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "retention_starts_on" date`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "legal_hold" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "retention_applied_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "retention_applied_at"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "legal_hold"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "retention_starts_on"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "retention_class"`);
    await queryRunner.query(`DROP TYPE "public"."retention_class"`);
    await queryRunner.query(`ALTER TABLE "student" DROP COLUMN "retention_applied_at"`);
    await queryRunner.query(`ALTER TABLE "student" DROP COLUMN "legal_hold"`);
    await queryRunner.query(`ALTER TABLE "student" DROP COLUMN "left_school_on"`);
  }
}
