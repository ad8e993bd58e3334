import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { DataSubjectRequestKind, DataSubjectRequestStatus } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';
import { Student } from '../students/student.entity';
import { User } from '../users/user.entity';

/** A data-subject request (AVG art. 15–21), due one month after receipt, extendable to three. */
@ObjectType({ description: 'Verzoek van een betrokkene (AVG): inzage, rectificatie, verwijdering of bezwaar, with its deadline.' })
@Entity()
@Index(['studentId'])
export class DataSubjectRequest extends TenantRecord {
  @Column('uuid')
  studentId: string;

  @TenantManyToOne(() => Student, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  student?: Student;

  @Field(() => DataSubjectRequestKind, { description: 'Kind of request (soort verzoek).' })
  @Column({ type: 'enum', enum: DataSubjectRequestKind, enumName: 'data_subject_request_kind' })
  kind: DataSubjectRequestKind;

  @Field(() => DataSubjectRequestStatus, { description: 'Status.' })
  @Column({ type: 'enum', enum: DataSubjectRequestStatus, enumName: 'data_subject_request_status', default: DataSubjectRequestStatus.RECEIVED })
  status: DataSubjectRequestStatus;

  @Field(() => LocalDate, { description: 'Date received (ontvangen op).' })
  @Column('date')
  receivedOn: string;

  @Field(() => Date, { nullable: true, description: 'When the identity was verified (identiteit vastgesteld op).' })
  @Column('timestamptz', { nullable: true })
  identityVerifiedAt: Date | null;

  @Field(() => LocalDate, { description: 'Due date (uiterste datum): one month after receipt, at most three when extended.' })
  @Column('date')
  dueOn: string;

  @Field(() => String, { nullable: true, description: 'Reason for an extension (reden verlenging).' })
  @Column('text', { nullable: true })
  extensionReason: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected (reden afwijzing).' })
  @Column('text', { nullable: true })
  rejectionReason: string | null;

  /** What carrying out the request did (a rectification's corrected fields, an erasure's erased and kept records); null until carried out. */
  @Field(() => String, { nullable: true, description: 'What was done to carry it out (uitvoering): for a rectification the fields corrected, for an erasure what was erased and what was kept and why; null until carried out by carryOutRectification or carryOutErasure.' })
  @Column('text', { nullable: true })
  resolution: string | null;

  @Field(() => Date, { nullable: true, description: 'When it was completed (afgehandeld op).' })
  @Column('timestamptz', { nullable: true })
  completedAt: Date | null;

  @Column('uuid')
  handledByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  handledByUser?: User;
}
