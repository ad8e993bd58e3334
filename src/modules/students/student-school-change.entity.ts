import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { LocalDate } from '../../graphql/scalars';
import { School } from '../schools/school.entity';
import { User } from '../users/user.entity';
import { Student } from './student.entity';

/**
 * The history of a student's school (overstap): one row per transfer to another school of the
 * partnership (`transferStudent`), from which school to which, on which day and by whom.
 * Append-only; identity of the student, so read like the student's guardians.
 */
@ObjectType({ description: 'Overstap: a transfer of a student to another school of the partnership (from which school, to which, on which day).' })
@Entity()
@Index(['studentId', 'createdAt', 'id'])
export class StudentSchoolChange extends TenantRecord {
  @Column('uuid')
  studentId: string;

  @TenantManyToOne(() => Student, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  student?: Student;

  @Column('uuid')
  fromSchoolId: string;

  @TenantManyToOne(() => School, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  fromSchool?: School;

  @Column('uuid')
  toSchoolId: string;

  @TenantManyToOne(() => School, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  toSchool?: School;

  @Field(() => LocalDate, { description: 'The day the student moved to the new school (overgestapt op).' })
  @Column('date')
  transferredOn: string;

  @Column('uuid')
  transferredByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  transferredByUser?: User;
}
