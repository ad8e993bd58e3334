import { MigrationInterface, QueryRunner } from 'typeorm';

export class IdempotencyKey1796462588046 implements MigrationInterface {
  name = 'IdempotencyKey1796462588046';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "idempotency_key" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "partnership_id" uuid NOT NULL, "created_at" TIMESTAMP(3) WITH TIME ZONE NOT NULL DEFAULT now(), "user_id" uuid NOT NULL, "key" text NOT NULL, "request_hash" text NOT NULL, "response_status" integer, "response_body" jsonb, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "PK_213f125e14469be304f9ff1d452" PRIMARY KEY ("id"))`);
    await queryRunner.query(`CREATE INDEX "IDX_1c80072f2df43972527ca216b1" ON "idempotency_key"  ("partnership_id", "created_at", "id") `);
    await queryRunner.query(`CREATE UNIQUE INDEX "IDX_de390066dce788f80744a8f662" ON "idempotency_key"  ("user_id", "key") `);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD CONSTRAINT "FK_14457c843a16d9e7bff744f7319" FOREIGN KEY ("partnership_id") REFERENCES "partnership"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD CONSTRAINT "FK_b769b270c8c530b20c431bd19d8" FOREIGN KEY ("user_id") REFERENCES "app_user"("id") ON DELETE CASCADE ON UPDATE NO ACTION`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP CONSTRAINT "FK_b769b270c8c530b20c431bd19d8"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP CONSTRAINT "FK_14457c843a16d9e7bff744f7319"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_de390066dce788f80744a8f662"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_1c80072f2df43972527ca216b1"`);
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
  }
}
