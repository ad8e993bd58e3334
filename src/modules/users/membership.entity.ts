import { Field, ObjectType } from 'type-graphql';
import { Check, Column, Entity, Index, JoinColumn } from 'typeorm';
import { TenantManyToOne, TenantRecord } from '../../db/tenant-record';
import { Role, TeamFunction } from '../../domain/enums';
import { School } from '../schools/school.entity';
import { Topteam } from '../topteams/topteam.entity';
import { Windstreek } from '../windstreken/windstreek.entity';
import { User } from './user.entity';

/**
 * A role held by a user within one scope. Exactly the scope column the role needs is set
 * (`ROLE_SCOPE`); the check constraint is the database's copy of that rule.
 */
@ObjectType({ description: 'Lidmaatschap: a role of a user, scoped to the partnership, a windstreek, a school or a Topteam.' })
@Entity()
@Index(['userId', 'createdAt', 'id'])
@Index(['schoolId'])
@Index(['topteamId'])
@Index(['windstreekId'])
@Check(
  'membership_scope',
  `("role" IN ('ADMIN','PRIVACY_OFFICER','PROGRAMME_COORDINATOR','PARTNERSHIP_ANALYST') AND "windstreek_id" IS NULL AND "school_id" IS NULL AND "topteam_id" IS NULL AND "team_function" IS NULL)
   OR ("role" = 'EDUCATION_ADVISOR' AND "windstreek_id" IS NOT NULL AND "school_id" IS NULL AND "topteam_id" IS NULL AND "team_function" IS NULL)
   OR ("role" IN ('SCHOOL_COORDINATOR','MENTOR') AND "school_id" IS NOT NULL AND "windstreek_id" IS NULL AND "topteam_id" IS NULL AND "team_function" IS NULL)
   OR ("role" = 'TEAM_MEMBER' AND "topteam_id" IS NOT NULL AND "team_function" IS NOT NULL AND "windstreek_id" IS NULL AND "school_id" IS NULL)`,
)
export class Membership extends TenantRecord {
  @Column('uuid')
  userId: string;

  @TenantManyToOne(() => User, { onDelete: 'CASCADE', nullable: false })
  @JoinColumn()
  user?: User;

  @Field(() => Role, { description: 'Role (rol).' })
  @Column({ type: 'enum', enum: Role, enumName: 'role' })
  role: Role;

  @Field(() => TeamFunction, { nullable: true, description: 'Function within the Topteam (functie), for TEAM_MEMBER.' })
  @Column({ type: 'enum', enum: TeamFunction, enumName: 'team_function', nullable: true })
  teamFunction: TeamFunction | null;

  @Column('uuid', { nullable: true })
  windstreekId: string | null;

  @TenantManyToOne(() => Windstreek, { onDelete: 'RESTRICT' })
  @JoinColumn()
  windstreek?: Windstreek;

  @Column('uuid', { nullable: true })
  schoolId: string | null;

  @TenantManyToOne(() => School, { onDelete: 'RESTRICT' })
  @JoinColumn()
  school?: School;

  @Column('uuid', { nullable: true })
  topteamId: string | null;

  @TenantManyToOne(() => Topteam, { onDelete: 'RESTRICT' })
  @JoinColumn()
  topteam?: Topteam;

  @Field(() => Date, { nullable: true, description: 'When the membership was revoked (ingetrokken op); null while it holds.' })
  @Column('timestamptz', { nullable: true })
  revokedAt: Date | null;
}
