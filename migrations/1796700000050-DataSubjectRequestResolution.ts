import { MigrationInterface, QueryRunner } from 'typeorm';

export class DataSubjectRequestResolution1796700000050 implements MigrationInterface {
  name = 'DataSubjectRequestResolution1796700000050';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_subject_request" ADD "resolution" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "data_subject_request" DROP COLUMN "resolution"`);
  }
}
