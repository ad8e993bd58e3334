import { Field, ID, ObjectType } from 'type-graphql';
import { Column, CreateDateColumn, Entity, Generated, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { ObjectLiteral } from 'typeorm';
import { AccessAction, AccessOutcome, LegalBasis, Role } from '../../domain/enums';

/**
 * One entry of the access log (NEN 7513 style). Append-only and hash-chained: `hash` covers
 * the entry and `previousHash`, in `sequence` order per partnership. Writing it is src/audit's
 * work; the table, its type and its reads are here. The table is partitioned by month of
 * `createdAt` (migration AccessLogByMonth): its primary key includes the partition key, and
 * the (partnership, sequence) index cannot be unique (the one sequence keeps it so). So it
 * declares the tenant columns itself rather than inheriting TenantRecord's: the same columns,
 * another key. TypeORM reads a partitioned index's columns back in name order, so the
 * (partnership, created_at, id) index is the migration's alone (`synchronize: false`).
 */
@ObjectType({ description: 'Logregel (NEN 7513): who did what with which student data, when, and on which basis.' })
@Entity()
@Index('IDX_e2b889c1ce0d20812cd41334e9', { synchronize: false }) // (partnership_id, created_at, id): the migration's
@Index(['partnershipId', 'sequence'])
@Index(['studentId'])
@Index(['userId'])
@Index(['objects'], { type: 'gin' }) // "Student:<id>", "Trajectory:<id>": entries about several students, and what an entry covered
@Index(['consentId']) // the entries that stood on one consent (`accessLog(filter: { consentId })`)
@Index(['consents'], { type: 'gin' }) // "Student:<id>/Consent:<id>": the same, on entries about several students
export class AccessLogEntry {
  @Field(() => ID, { description: 'Stable identifier (id).' })
  @PrimaryGeneratedColumn('uuid')
  id: string;

  @Column('uuid')
  partnershipId: string;

  @ManyToOne('Partnership', { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  partnership?: ObjectLiteral;

  @Field(() => Date, { description: 'When the record was created (aangemaakt op).' })
  @CreateDateColumn({ type: 'timestamptz', precision: 3, primary: true })
  createdAt: Date;

  @Field(() => String, { description: 'Position in the chain (volgnummer).' })
  @Column('bigint')
  @Generated('increment')
  sequence: string;

  @Column('uuid')
  userId: string;

  @Field(() => ID, { nullable: true, description: 'The membership (lidmaatschap) whose rules granted the access; for a denied attempt the caller\'s first.' })
  @Column('uuid', { nullable: true })
  membershipId: string | null;

  @Field(() => Role, { nullable: true, description: 'Role used (rol).' })
  @Column({ type: 'enum', enum: Role, nullable: true })
  role: Role | null;

  @Field(() => AccessAction, { description: 'Kind of access (handeling).' })
  @Column({ type: 'enum', enum: AccessAction, enumName: 'access_action' })
  action: AccessAction;

  @Field(() => AccessOutcome, { description: 'Outcome (uitkomst).' })
  @Column({ type: 'enum', enum: AccessOutcome, enumName: 'access_outcome' })
  outcome: AccessOutcome;

  @Column('uuid', { nullable: true })
  studentId: string | null;

  @Field(() => String, { description: 'Type of the object accessed (objecttype), e.g. "Student".' })
  @Column('text')
  objectType: string;

  @Field(() => String, { nullable: true, description: 'Id of the object accessed (object-id).' })
  @Column('uuid', { nullable: true })
  objectId: string | null;

  @Field(() => [String], { nullable: true, description: 'The objects an entry about students covered (objecten), as "Type:id", e.g. "Trajectory:…"; its fields are then named "Type.field". An entry about several students read alike in one request names each as "Student:<id>" here and has no objectId or studentId of its own. Null on entries about one object (denied attempts, reads of the log) and on entries written before the log was kept per student.' })
  @Column('text', { array: true, nullable: true })
  objects: string[] | null;

  @Field(() => [String], { nullable: true, description: 'On an entry about several students who each stood on their own consent (legal basis CONSENT, no consentId of its own): each student\'s consent used (gebruikte toestemmingen), as "Student:<id>/Consent:<id>". Null on every other entry.' })
  @Column('text', { array: true, nullable: true })
  consents: string[] | null;

  @Field(() => [String], { description: 'Fields accessed (velden).' })
  @Column('text', { array: true, default: () => "'{}'" })
  fields: string[];

  @Field(() => LegalBasis, { nullable: true, description: 'Legal basis used (grondslag).' })
  @Column({ type: 'enum', enum: LegalBasis, nullable: true })
  legalBasis: LegalBasis | null;

  @Field(() => ID, { nullable: true, description: 'The consent record (toestemming) the access stood on, when its legal basis is CONSENT; on an entry about several students, each one\'s is in `consents` instead.' })
  @Column('uuid', { nullable: true })
  consentId: string | null;

  @Field(() => String, { description: 'Request id (verzoek-id), to correlate entries of one request.' })
  @Column('text')
  requestId: string;

  @Field(() => String, { nullable: true, description: 'Hash of the previous entry (vorige hash).' })
  @Column('text', { nullable: true })
  previousHash: string | null;

  @Field(() => String, { description: 'Hash of this entry (hash).' })
  @Column('text')
  hash: string;
}
