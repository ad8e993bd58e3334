import { MigrationInterface, QueryRunner } from 'typeorm';

export class ConsentValidUntil1795877619530 implements MigrationInterface {
  name = 'ConsentValidUntil1795877619530';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consent" ADD "valid_until" date`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "consent" DROP COLUMN "valid_until"`);
  }
}
