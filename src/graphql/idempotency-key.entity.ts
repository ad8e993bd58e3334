import { Column, Entity, Index, JoinColumn } from 'typeorm';
import type { ObjectLiteral } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../db/tenant-record';

/**
 * One `Idempotency-Key` a user sent with a mutation: what was asked (its hash), and once
 * answered, the answer, replayed to a retry with the same key (./idempotency.ts). Not a
 * GraphQL type: no field returns it. The user is named by its entity name
 * (src/modules/users/user.entity.ts): graphql imports no feature.
 */
@Entity()
@Index(['userId', 'key'], { unique: true })
export class IdempotencyKey extends TenantRecord {
  @Column('uuid')
  userId: string;

  @TenantManyToOne('User', { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  user?: ObjectLiteral;

  /** The key as the client sent it. */
  @Column('text')
  key: string;

  /** sha256 of the operation, its name and its variables: a retry must ask the same. */
  @Column('text')
  requestHash: string;

  /** The HTTP status of the answer; null while the first request is still running. */
  @Column('int', { nullable: true })
  responseStatus: number | null;

  /** The answer's body, replayed as it was. */
  @Column('jsonb', { nullable: true })
  responseBody: unknown;

  /** Until when a retry is answered from here; afterwards the key may be used anew. */
  @Column('timestamptz')
  expiresAt: Date;
}
