import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, JoinColumn } from 'typeorm';
import { HandoverRecipient } from '../../domain/enums';
import { LocalDate } from '../../graphql/scalars';
import { User } from '../users/user.entity';
import { TenantManyToOne } from '../../db/tenant-record';
import { TrajectoryRecord } from '../../db/trajectory-record';

/**
 * A hand-over advice (handelingsadvies): what works, addressed to the school, home or a network
 * partner, and later taken into the student's OPP (`markHandoverAdviceTakenIntoOpp`, once).
 */
@ObjectType({ description: 'Handelingsadvies: advice for the school, home or a network partner, to be taken into the OPP.' })
@Entity()
export class HandoverAdvice extends TrajectoryRecord {
  @Field(() => String, { description: 'The advice (handelingsadvies). Case.' })
  @Column('text')
  advice: string;

  @Field(() => LocalDate, { description: 'The day the advice was written (geschreven op), by the Amsterdam calendar.' })
  @Column('date')
  writtenOn: string;

  @Field(() => HandoverRecipient, { description: 'Who the advice is for (ontvanger): SCHOOL, HOME (the parents) or NETWORK_PARTNER.' })
  @Column({ type: 'enum', enum: HandoverRecipient, enumName: 'handover_recipient', default: HandoverRecipient.SCHOOL })
  recipient: HandoverRecipient;

  @Field(() => String, { nullable: true, description: 'The network partner the advice is for (naam netwerkpartner); only with recipient NETWORK_PARTNER, may be null.' })
  @Column('text', { nullable: true })
  recipientName: string | null;

  @Field(() => LocalDate, { nullable: true, description: 'The day the advice was taken into the OPP (opgenomen in het OPP op); null while it is not. Set once, by markHandoverAdviceTakenIntoOpp.' })
  @Column('date', { nullable: true })
  takenIntoOppOn: string | null;

  @Field(() => Boolean, { description: 'Taken into the development plan (opgenomen in het OPP): whether takenIntoOppOn is set.' })
  get addedToDevelopmentPlan(): boolean {
    return this.takenIntoOppOn !== null && this.takenIntoOppOn !== undefined;
  }

  @Column('uuid')
  authorUserId: string;

  @TenantManyToOne(() => User, { onDelete: 'RESTRICT', nullable: false })
  @JoinColumn()
  authorUser?: User;
}
