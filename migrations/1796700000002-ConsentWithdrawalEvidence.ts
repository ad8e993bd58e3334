/** The evidence of a consent's withdrawal (bewijs intrekking), e.g. a letter the privacy officer received. */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsentWithdrawalEvidence1796700000002 implements MigrationInterface {
  name = 'ConsentWithdrawalEvidence1796700000002';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consent" ADD "withdrawal_evidence_reference" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consent" DROP COLUMN "withdrawal_evidence_reference"`);
  }
}
