/** The refusal ground of a registration (reden afwijzing), by the handbook's criteria; null for refusals recorded before it existed. */
import { MigrationInterface, QueryRunner } from 'typeorm';

export class RefusalGround1796700000000 implements MigrationInterface {
  name = 'RefusalGround1796700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TYPE "public"."refusal_ground" AS ENUM('NOT_IN_REGULAR_EDUCATION', 'REGULAR_EDUCATION_NOT_FEASIBLE', 'SINGLE_QUESTION', 'NEEDS_VERY_INTENSIVE_CARE', 'NOT_MOTIVATED', 'GOALS_NOT_REACHABLE_IN_TERM', 'OTHER')`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "refusal_ground" "public"."refusal_ground"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "refusal_ground"`);
    await queryRunner.query(`DROP TYPE "public"."refusal_ground"`);
  }
}
