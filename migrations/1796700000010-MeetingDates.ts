import { MigrationInterface, QueryRunner } from 'typeorm';

export class MeetingDates1796700000010 implements MigrationInterface {
  name = 'MeetingDates1796700000010';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "intro_meeting_on" date`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "start_meeting_on" date`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "closing_meeting_on" date`);
    await queryRunner.query(`ALTER TYPE "public"."cancellation_reason" ADD VALUE 'REGULAR_EDUCATION_NOT_FEASIBLE'`);
    await queryRunner.query(`ALTER TYPE "public"."cancellation_reason" ADD VALUE 'NEEDS_VERY_INTENSIVE_CARE'`);
    await queryRunner.query(`ALTER TYPE "public"."cancellation_reason" ADD VALUE 'NOT_MOTIVATED'`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."cancellation_reason_old" AS ENUM('CONSENT_WITHDRAWN', 'LEFT_SCHOOL', 'OTHER')`);
    await queryRunner.query(`ALTER TABLE "trajectory" ALTER COLUMN "cancellation_reason" TYPE "public"."cancellation_reason_old" USING "cancellation_reason"::"text"::"public"."cancellation_reason_old"`);
    await queryRunner.query(`DROP TYPE "public"."cancellation_reason"`);
    await queryRunner.query(`ALTER TYPE "public"."cancellation_reason_old" RENAME TO "cancellation_reason"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "closing_meeting_on"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "start_meeting_on"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "intro_meeting_on"`);
  }
}
