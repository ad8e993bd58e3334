import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A trajectory's events are read in keyset order (sequence, id): with the id in the index, a page
 * of them is one index range with its LIMIT, instead of a sort of every event of the trajectory
 * that the planner combined with the partnership's index (a bitmap over all of its events).
 */
export class EventsInSequenceIndex1796700000081 implements MigrationInterface {
  name = 'EventsInSequenceIndex1796700000081';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_1754480d9f3dd2aa242be0abea"`);
    await queryRunner.query(`CREATE INDEX "IDX_941b0bf805c270e684393049df" ON "trajectory_event"  ("trajectory_id", "sequence", "id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_941b0bf805c270e684393049df"`);
    await queryRunner.query(`CREATE INDEX "IDX_1754480d9f3dd2aa242be0abea" ON "trajectory_event" USING btree ("trajectory_id", "sequence") `);
  }
}
