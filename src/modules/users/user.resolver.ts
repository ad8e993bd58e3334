import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { notFound } from '../../graphql/errors';
import { Connection, ConnectionArgs, NEWEST_FIRST, connectionType } from '../../graphql/pagination';
import { findVisible, listPage } from '../../graphql/reads';
import { belongsTo } from '../../graphql/relations';
import { Partnership } from '../partnerships/partnership.entity';
import { School } from '../schools/school.entity';
import { Topteam } from '../topteams/topteam.entity';
import { Windstreek } from '../windstreken/windstreek.entity';
import { Membership } from './membership.entity';
import { User } from './user.entity';
import { CreateUserInput, GrantMembershipInput, RevokeMembershipInput } from './user.inputs';
import { activeMembershipsOf, createUser, grantMembership, revokeMembership } from './user.service';

const UserConnection = connectionType(User, 'users');
belongsTo(User, 'partnership', Partnership, 'partnershipId', 'The samenwerkingsverband that manages the account.');
belongsTo(Membership, 'user', User, 'userId', 'The user who holds the role.');
belongsTo(Membership, 'windstreek', Windstreek, 'windstreekId', 'Scope: the windstreek (EDUCATION_ADVISOR).');
belongsTo(Membership, 'school', School, 'schoolId', 'Scope: the school (SCHOOL_COORDINATOR, MENTOR).');
belongsTo(Membership, 'topteam', Topteam, 'topteamId', 'Scope: the Topteam (TEAM_MEMBER).');

@Resolver(() => User)
export class UserResolver {
  @Guarded('User', 'read')
  @Query(() => User, { description: 'The signed-in user (ik) and their memberships.' })
  async me(@Ctx() ctx: Context): Promise<User> {
    const user = await ctx.loaders.byId(User).load(ctx.actor.userId);
    if (!user) throw notFound('User');
    return user;
  }

  @Guarded('User', 'read')
  @Query(() => UserConnection, { description: 'ADMIN: the accounts of the partnership, newest first.' })
  users(@Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<User>> {
    return listPage(ctx, User, args, NEWEST_FIRST);
  }

  @Guarded('User', 'read')
  @Query(() => User, { nullable: true, description: 'One account; null when it does not exist or you may not see it.' })
  user(@Arg('id', () => ID, { description: 'The id (id) to look up.' }) id: string, @Ctx() ctx: Context): Promise<User | null> {
    return findVisible(ctx, User, id);
  }

  @FieldResolver(() => [Membership], { description: 'The roles the user holds now (lidmaatschappen); revoked ones are left out.' })
  async memberships(@Root() user: User, @Ctx() ctx: Context): Promise<Membership[]> {
    return ctx.loaders.custom<string, Membership[]>('activeMemberships', (ids) => activeMembershipsOf(ctx, ids)).load(user.id);
  }

  @Guarded('User', 'create')
  @Mutation(() => User, { description: 'ADMIN: create an account.' })
  createUser(@Arg('input', () => CreateUserInput, { description: 'What to create or change.' }) input: CreateUserInput, @Ctx() ctx: Context): Promise<User> {
    return createUser(ctx, input);
  }

  @Guarded('Membership', 'create')
  @Mutation(() => Membership, { description: 'ADMIN: grant a role in a scope.' })
  grantMembership(@Arg('input', () => GrantMembershipInput, { description: 'What to create or change.' }) input: GrantMembershipInput, @Ctx() ctx: Context): Promise<Membership> {
    return grantMembership(ctx, input);
  }

  @Guarded('Membership', 'update')
  @Mutation(() => Membership, { description: 'ADMIN: revoke a membership; effective on the next request of that user.' })
  revokeMembership(@Arg('input', () => RevokeMembershipInput, { description: 'What to create or change.' }) input: RevokeMembershipInput, @Ctx() ctx: Context): Promise<Membership> {
    return revokeMembership(ctx, input);
  }
}
