import { Field, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn, VirtualColumn } from 'typeorm';
import { validThroughSql } from '../../authz/consent-holds';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { LocalDate } from '../../graphql/scalars';
import { ConsentPurpose, GrantorRole, LegalBasis } from '../../domain/enums';
import { Student } from '../students/student.entity';
import { User } from '../users/user.entity';

/** One person who gave (part of) a consent. Stored inside the consent record. */
@ObjectType({ description: 'Toestemminggever: one person who granted a consent.' })
export class ConsentGrantor {
  @Field(() => GrantorRole, { description: 'Leerling or ouder/verzorger.' })
  role: GrantorRole;

  @Field(() => String, { description: 'Name (naam) of the grantor. Identity.' })
  name: string;

  @Field(() => Boolean, { description: 'Holds parental authority (ouderlijk gezag); false for the student.' })
  hasParentalAuthority: boolean;
}

/**
 * A consent record (toestemming) as src/domain/README.md lists it. Consent is never edited: a change
 * is a withdrawal and a new record, so the history stays complete.
 */
@ObjectType({ description: 'Toestemming: consent for one purpose, with its grantors, recipients and data categories.' })
@Entity()
@Index(['studentId', 'purpose'])
@Check('consent_withdrawal', '("withdrawn_at" IS NULL) = ("withdrawn_by_user_id" IS NULL)')
@Index(['studentId', 'createdAt', 'id'])
export class Consent extends TenantRecord {
  @Column('uuid')
  studentId: string;

  @TenantManyToOne(() => Student, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  student?: Student;

  @Field(() => ConsentPurpose, { description: 'Purpose (doel).' })
  @Column({ type: 'enum', enum: ConsentPurpose, enumName: 'consent_purpose' })
  purpose: ConsentPurpose;

  @Field(() => LegalBasis, { description: 'Legal basis (grondslag).' })
  @Column({ type: 'enum', enum: LegalBasis, enumName: 'legal_basis' })
  legalBasis: LegalBasis;

  @Field(() => [ConsentGrantor], { description: 'Who granted it (toestemminggevers).' })
  @Column('jsonb')
  grantors: ConsentGrantor[];

  @Field(() => Int, { description: "The student's age on the day it was given (leeftijd op datum)." })
  @Column('int')
  studentAgeAtGrant: number;

  @Field(() => [String], { description: 'Recipients (ontvangers), e.g. "Topteam Noord".' })
  @Column('text', { array: true })
  recipients: string[];

  @Field(() => [String], { description: 'Data categories (gegevenscategorieën).' })
  @Column('text', { array: true })
  dataCategories: string[];

  @Field(() => Date, { description: 'When it was given (gegeven op).' })
  @Column('timestamptz')
  givenAt: Date;

  /**
   * The last calendar day (Europe/Amsterdam) it holds, inclusive (geldig tot en met); null for
   * no end date. From the day after, the consent has EXPIRED: it no longer gates anything open.
   */
  @Field(() => LocalDate, { nullable: true, description: 'Last day it holds, inclusive (geldig tot en met), YYYY-MM-DD; null for no end date. From the day after it has expired.' })
  @Column('date', { nullable: true })
  validUntil: string | null;

  /** `validUntil`, or 9999-12-31 without end date: what "holds on a day" compares (src/authz/consent-holds.ts). Not a GraphQL field. */
  @VirtualColumn({ type: 'date', query: (alias) => `SELECT ${validThroughSql(alias)}` })
  validThrough: string;

  @Field(() => Date, { nullable: true, description: 'When it was withdrawn (ingetrokken op); null unless withdrawn (an expired consent has none).' })
  @Column('timestamptz', { nullable: true })
  withdrawnAt: Date | null;

  @Column('uuid', { nullable: true })
  withdrawnByUserId: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was withdrawn (reden intrekking), as recorded.' })
  @Column('text', { nullable: true })
  withdrawalReason: string | null;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT' })
  @JoinColumn()
  withdrawnByUser?: User;

  @Field(() => String, { nullable: true, description: 'Reference to the evidence of the withdrawal (bewijs intrekking), e.g. the letter of the parents; null unless given.' })
  @Column('text', { nullable: true })
  withdrawalEvidenceReference: string | null;

  @Field(() => String, { nullable: true, description: 'Reference to the evidence (bewijs), e.g. the signed form in the school dossier.' })
  @Column('text', { nullable: true })
  evidenceReference: string | null;

  @Column('uuid')
  recordedByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  recordedByUser?: User;
}
