import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, JoinColumn } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { Student } from './student.entity';

/** A parent or carer of a student; only those with parental authority can consent for under-16s. */
@ObjectType({ description: 'Ouder/verzorger of a student; may or may not hold parental authority (gezag).' })
@Entity()
@Index(['studentId', 'createdAt', 'id'])
export class Guardian extends TenantRecord {
  @Column('uuid')
  studentId: string;

  @TenantManyToOne(() => Student, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  student?: Student;

  @Field(() => String, { description: 'Name (naam). Identity.' })
  @Column('text')
  name: string;

  @Field(() => String, { description: 'Relationship to the student (relatie), e.g. "moeder", "voogd".' })
  @Column('text')
  relationship: string;

  @Field(() => Boolean, { description: 'Holds parental authority (ouderlijk gezag).' })
  @Column('boolean')
  hasParentalAuthority: boolean;
}
