import { MigrationInterface, QueryRunner } from 'typeorm';

export class TrajectoryStaffing1796700000030 implements MigrationInterface {
  name = 'TrajectoryStaffing1796700000030';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "behavioural_scientist_user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "teacher_user_id" uuid`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD "care_worker_user_id" uuid`);
    await queryRunner.query(`CREATE INDEX "IDX_7953bb7408cb6645e658830de1" ON "trajectory"  ("care_worker_user_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_0582743865d9be281cf6303e76" ON "trajectory"  ("teacher_user_id") `);
    await queryRunner.query(`CREATE INDEX "IDX_df187b6cb8f2abcb47002cc00e" ON "trajectory"  ("behavioural_scientist_user_id") `);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD CONSTRAINT "trajectory_staff_needs_team" CHECK ("team_id" IS NOT NULL OR ("behavioural_scientist_user_id" IS NULL AND "teacher_user_id" IS NULL AND "care_worker_user_id" IS NULL))`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD CONSTRAINT "FK_df187b6cb8f2abcb47002cc00e1" FOREIGN KEY ("behavioural_scientist_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD CONSTRAINT "FK_0582743865d9be281cf6303e766" FOREIGN KEY ("teacher_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "trajectory" ADD CONSTRAINT "FK_7953bb7408cb6645e658830de1e" FOREIGN KEY ("care_worker_user_id") REFERENCES "app_user"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "trajectory" DROP CONSTRAINT "FK_7953bb7408cb6645e658830de1e"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP CONSTRAINT "FK_0582743865d9be281cf6303e766"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP CONSTRAINT "FK_df187b6cb8f2abcb47002cc00e1"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP CONSTRAINT "trajectory_staff_needs_team"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_df187b6cb8f2abcb47002cc00e"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_0582743865d9be281cf6303e76"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_7953bb7408cb6645e658830de1"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "care_worker_user_id"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "teacher_user_id"`);
    await queryRunner.query(`ALTER TABLE "trajectory" DROP COLUMN "behavioural_scientist_user_id"`);
  }
}
