import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsultationRetention1795877820116 implements MigrationInterface {
  name = 'ConsultationRetention1795877820116';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consultation" ADD "retention_class" "public"."retention_class"`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD "retention_starts_on" date`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD "legal_hold" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD "retention_applied_at" TIMESTAMP WITH TIME ZONE`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consultation" DROP COLUMN "retention_applied_at"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP COLUMN "legal_hold"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP COLUMN "retention_starts_on"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP COLUMN "retention_class"`);
  }
}
