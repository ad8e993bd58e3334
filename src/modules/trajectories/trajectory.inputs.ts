import { Reveals } from '../../graphql/reads';
import { IsBoolean, IsEnum, IsOptional, IsUUID } from 'class-validator';
import { Field, ID, InputType } from 'type-graphql';
import { Phase, Timeliness } from '../../domain/enums';

@InputType({ description: 'Filter for trajectories; all given conditions must hold.' })
export class TrajectoryFilter {
  @Reveals('Trajectory', 'phase')
  @Field(() => [Phase], { nullable: true, description: 'Only trajectories in one of these phases (fasen).' })
  @IsOptional()
  @IsEnum(Phase, { each: true })
  phases?: Phase[];

  @Reveals('Trajectory', 'team')
  @Field(() => ID, { nullable: true, description: 'Only trajectories assigned to this Topteam.' })
  @IsOptional()
  @IsUUID('all')
  teamId?: string;

  @Reveals('Trajectory', 'school')
  @Field(() => ID, { nullable: true, description: 'Only trajectories of students of this school.' })
  @IsOptional()
  @IsUUID('all')
  schoolId?: string;

  @Reveals('Trajectory', 'windstreek')
  @Field(() => ID, { nullable: true, description: 'Only trajectories from schools in this windstreek.' })
  @IsOptional()
  @IsUUID('all')
  windstreekId?: string;

  @Reveals('Trajectory', 'phase', 'team')
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only the waiting list (wachtlijst): accepted cases that have no Topteam yet; false: every other case.',
  })
  @IsOptional()
  @IsBoolean()
  unassigned?: boolean;

  @Reveals('Trajectory', 'timeliness')
  @Field(() => [Timeliness], { nullable: true, description: 'Only trajectories whose timeliness today is one of these (tijdigheid).' })
  @IsOptional()
  @IsEnum(Timeliness, { each: true })
  timeliness?: Timeliness[];

  @Reveals('Trajectory', 'behaviouralScientist', 'teacher', 'careWorker')
  @Field(() => Boolean, {
    nullable: true,
    description: 'true: only the cases you are staffed on (mijn casussen: you are their gedragswetenschapper, Topdocent or ambulant hulpverlener); false: only those you are not. Narrows what you may see, never widens it.',
  })
  @IsOptional()
  @IsBoolean()
  mine?: boolean;

  @Reveals('Trajectory', 'phaseDueOn')
  @Field(() => Boolean, { nullable: true, description: 'true: only overdue trajectories (past the due date of their phase); false: only those on time.' })
  @IsOptional()
  @IsBoolean()
  overdue?: boolean;
}
