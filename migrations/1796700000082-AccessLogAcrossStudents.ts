import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access log keeps students read alike in one request in one entry, naming them in
 * `objects` ("Student:<id>"): a GIN index on `objects` finds a student's entries there, and the
 * entries that covered an object, as the student_id index finds the rest.
 */
export class AccessLogAcrossStudents1796700000082 implements MigrationInterface {
  name = 'AccessLogAcrossStudents1796700000082';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_6dab087def7d1b3c48125fafc3" ON "access_log_entry" USING gin ("objects") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_6dab087def7d1b3c48125fafc3"`);
  }
}
