import { MigrationInterface, QueryRunner } from 'typeorm';

export class Reasons1795876757665 implements MigrationInterface {
  name = 'Reasons1795876757665';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consent" ADD "withdrawal_reason" text`);
    await queryRunner.query(`ALTER TABLE "data_subject_request" ADD "rejection_reason" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_subject_request" DROP COLUMN "rejection_reason"`);
    await queryRunner.query(`ALTER TABLE "consent" DROP COLUMN "withdrawal_reason"`);
  }
}
