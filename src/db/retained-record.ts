import { ObjectType } from 'type-graphql';
import { Column } from 'typeorm';
import { RetentionClass } from '../domain/enums';
import { TenantRecord } from './tenant-record';

/**
 * Columns of a record the retention run treats on its own (AVG rule 7; the rules are in
 * src/modules/privacy/retention/): its legal hold and whether the run has processed it. Not
 * GraphQL fields: the privacy officer acts on them through `setLegalHold` and `runRetention`.
 */
@ObjectType() // base class only: not emitted, since no field returns it
export abstract class RetainedRecord extends TenantRecord {
  /** Legal hold (bewaarplicht, e.g. wegens geschil): the retention run never touches the record while set. */
  @Column('boolean', { default: false })
  legalHold: boolean;

  /** Why the legal hold is set (reden bewaarplicht), as the privacy officer gave it; null without hold. */
  @Column('text', { nullable: true })
  legalHoldReason: string | null;

  /** When the retention run erased or pseudonymised the record; null while it holds its data. */
  @Column('timestamptz', { nullable: true })
  retentionAppliedAt: Date | null;
}

/**
 * A retained record that carries its retention class and the start event of its term, stamped
 * when it ends (src/modules/privacy/retention/policy.ts says when, per record type); both null while it runs.
 */
@ObjectType() // base class only: not emitted, since no field returns it
export abstract class ClassifiedRecord extends RetainedRecord {
  @Column({ type: 'enum', enum: RetentionClass, enumName: 'retention_class', nullable: true })
  retentionClass: RetentionClass | null;

  /** The start event of the retention term, as a calendar day. */
  @Column('date', { nullable: true })
  retentionStartsOn: string | null;
}
