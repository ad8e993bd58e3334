import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The access-log entries that stood on one consent (`accessLog(filter: { consentId })`): an
 * entry's own `consent_id`, or, on an entry about several students, the student's consent
 * named in `consents` ("Student:<id>/Consent:<id>").
 */
export class AccessLogByConsent1796700000084 implements MigrationInterface {
  name = 'AccessLogByConsent1796700000084';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_21207e3ce9f62e31d7498bfd4e" ON "access_log_entry" USING gin ("consents") `);
    await queryRunner.query(`CREATE INDEX "IDX_255945ff61c8fd990ea5404348" ON "access_log_entry"  ("consent_id") `);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "public"."IDX_255945ff61c8fd990ea5404348"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_21207e3ce9f62e31d7498bfd4e"`);
  }
}
