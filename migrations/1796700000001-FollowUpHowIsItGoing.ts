/** What a follow-up says about how it is going (hoe gaat het), besides its three outcomes. */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class FollowUpHowIsItGoing1796700000001 implements MigrationInterface {
  name = 'FollowUpHowIsItGoing1796700000001';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "follow_up" ADD "how_is_it_going" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "follow_up" DROP COLUMN "how_is_it_going"`);
  }
}
