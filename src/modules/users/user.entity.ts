import { Field, ObjectType } from 'type-graphql';
import { Column, Entity, Index, OneToMany, Unique } from 'typeorm';
import { TenantRecord } from '../../db/tenant-record';
import type { Membership } from './membership.entity';

/** An account; what it may do comes from its memberships, read on every request. */
@ObjectType({ description: 'Gebruiker: an account of the partnership; roles come from memberships.' })
@Entity({ name: 'app_user' })
@Index(['subject'], { unique: true })
@Index(['email'], { unique: true })
@Unique('UQ_app_user_partnership_id', ['partnershipId', 'id']) // the target of composite keys (TenantManyToOne)
export class User extends TenantRecord {
  @Field(() => String, { description: 'Subject (sub) of the identity provider; the demo users use their e-mail.' })
  @Column('text')
  subject: string;

  @Field(() => String, { description: 'E-mail address (e-mailadres), lower case.' })
  @Column('text')
  email: string;

  @Field(() => String, { description: 'Display name (naam).' })
  @Column('text')
  name: string;

  @Field(() => Boolean, { description: 'Active (actief): a deactivated user cannot sign in.' })
  @Column('boolean', { default: true })
  active: boolean;

  @OneToMany('Membership', 'user')
  memberships?: Membership[];
}
