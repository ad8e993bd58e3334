import { Field, ObjectType } from 'type-graphql';
import { Column, Entity } from 'typeorm';
import { ComplaintStatus, Party } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';
import { TrajectoryRecord } from '../../db/trajectory-record';

/** A complaint by a student or parent: first the Topteam, then the provider's procedure. */
@ObjectType({ description: 'Klacht: by a student or parent; first handled by the Topteam, then the klachtenregeling of the provider.' })
@Entity()
export class Complaint extends TrajectoryRecord {
  @Field(() => Party, { nullable: true, description: 'Who complains (klager): STUDENT or PARENTS. Null to whoever sees only the complaint\'s status (the school).' })
  @Column({ type: 'enum', enum: Party, enumName: 'party' })
  complainant: Party;

  @Field(() => String, { nullable: true, description: 'The complaint (omschrijving). Feedback on the Topteam: null to whoever sees only its status (the school).' })
  @Column('text')
  description: string;

  @Field(() => ComplaintStatus, { description: 'Status.' })
  @Column({ type: 'enum', enum: ComplaintStatus, enumName: 'complaint_status', default: ComplaintStatus.RECEIVED })
  status: ComplaintStatus;

  @Field(() => LocalDate, { description: 'Date received (ontvangen op).' })
  @Column('date')
  receivedOn: string;

  @Field(() => LocalDate, { nullable: true, description: "Date escalated to the provider's procedure (doorgezet op)." })
  @Column('date', { nullable: true })
  escalatedOn: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'Date resolved (afgehandeld op).' })
  @Column('date', { nullable: true })
  resolvedOn: string | null;

  @Field(() => String, { nullable: true, description: 'How it was handled or resolved (afhandeling). Case.' })
  @Column('text', { nullable: true })
  resolution: string | null;
}
