import { Field, Int, ObjectType } from 'type-graphql';
import { Check, Column, Entity, JoinColumn } from 'typeorm';
import { LocalDate } from '../../graphql/scalars';
import { User } from '../users/user.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** Absence during a trajectory, registered by the school, which keeps that duty. */
@ObjectType({ description: 'Verzuimregistratie: absence registered by the school during the trajectory.' })
@Entity()
@Check('"lessons_missed" BETWEEN 1 AND 20')
export class AbsenceRegistration extends TrajectoryRecord {
  @Field(() => LocalDate, { description: 'Day of the absence (datum).' })
  @Column('date')
  absentOn: string;

  @Field(() => Int, { description: 'Lessons missed that day (gemiste lesuren).' })
  @Column('int')
  lessonsMissed: number;

  @Field(() => Boolean, { description: 'Authorised absence (geoorloofd).' })
  @Column('boolean')
  authorised: boolean;

  @Field(() => String, { nullable: true, description: 'Note (toelichting). Case.' })
  @Column('text', { nullable: true })
  note: string | null;

  @Column('uuid')
  registeredByUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  registeredByUser?: User;
}
