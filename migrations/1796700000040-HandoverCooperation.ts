/**
 * Hand-over advice: the day it was written, its recipient (school, home, a network partner, with
 * an optional name) and the day it was taken into the OPP, which replaces the flag
 * `added_to_development_plan` (an advice flagged before is taken in on the day it was written);
 * and the cooperation agreements (samenwerkingsafspraken) on the trajectory. Existing advice is
 * dated by its creation in Amsterdam and was written for the school.
 */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class HandoverCooperation1796700000040 implements MigrationInterface {
  name = 'HandoverCooperation1796700000040';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "handover_advice" ADD "written_on" date`);
    await queryRunner.query(`UPDATE "handover_advice" SET "written_on" = ("created_at" AT TIME ZONE 'Europe/Amsterdam')::date`);
    await queryRunner.query(`ALTER TABLE "handover_advice" ALTER COLUMN "written_on" SET NOT NULL`);
    await queryRunner.query(`CREATE TYPE "public"."handover_recipient" AS ENUM('SCHOOL', 'HOME', 'NETWORK_PARTNER')`);
    await queryRunner.query(`ALTER TABLE "handover_advice" ADD "recipient" "public"."handover_recipient" NOT NULL DEFAULT 'SCHOOL'`);
    await queryRunner.query(`ALTER TABLE "handover_advice" ADD "recipient_name" text`);
    await queryRunner.query(`ALTER TABLE "handover_advice" ADD "taken_into_opp_on" date`);
    await queryRunner.query(`UPDATE "handover_advice" SET "taken_into_opp_on" = "written_on" WHERE "added_to_development_plan"`);
    await queryRunner.query(`ALTER TABLE "handover_advice" DROP COLUMN "added_to_development_plan"`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "cooperation_agreements" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "cooperation_agreements"`);
    await queryRunner.query(`ALTER TABLE "handover_advice" ADD "added_to_development_plan" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`UPDATE "handover_advice" SET "added_to_development_plan" = ("taken_into_opp_on" IS NOT NULL)`);
    await queryRunner.query(`ALTER TABLE "handover_advice" DROP COLUMN "taken_into_opp_on"`);
    await queryRunner.query(`ALTER TABLE "handover_advice" DROP COLUMN "recipient_name"`);
    await queryRunner.query(`ALTER TABLE "handover_advice" DROP COLUMN "recipient"`);
    await queryRunner.query(`DROP TYPE "public"."handover_recipient"`);
    await queryRunner.query(`ALTER TABLE "handover_advice" DROP COLUMN "written_on"`);
  }
}
