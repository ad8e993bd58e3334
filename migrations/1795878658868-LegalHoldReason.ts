import { MigrationInterface, QueryRunner } from 'typeorm';

export class LegalHoldReason1795878658868 implements MigrationInterface {
  name = 'LegalHoldReason1795878658868';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "student" ADD "legal_hold_reason" text`);
    await queryRunner.query(`ALTER TABLE "consultation" ADD "legal_hold_reason" text`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "legal_hold_reason" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "legal_hold_reason"`);
    await queryRunner.query(`ALTER TABLE "consultation" DROP COLUMN "legal_hold_reason"`);
    await queryRunner.query(`ALTER TABLE "student" DROP COLUMN "legal_hold_reason"`);
  }
}
