import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Guarded } from '../../../graphql/policy';
import type { Context } from '../../../graphql/context';
import { FollowUp } from '../follow-up.entity';
import { Trajectory } from '../trajectory.entity';
import {
  AgreeGoalsInput, CloseAfterAssessmentInput, CompleteTrajectoryInput, RecordFollowUpInput, StartAssessmentInput, StartConsolidationInput,
} from './phase.inputs';
import { agreeGoals, closeAfterAssessment, completeTrajectory, recordFollowUp, startAssessment, startConsolidation } from './phase.service';

const INPUT = { description: 'What to do.' };

/** Phase acts of the gedragswetenschapper and the follow-ups. */
@Resolver()
export class PhaseResolver {
  @Guarded('Trajectory', 'movePhase')
  @Mutation(() => Trajectory, { description: 'Gedragswetenschapper (BEHAVIOURAL_SCIENTIST) of the assigned Topteam, step 5 (kennismakingsgesprek): the assessment phase (onderzoeksfase) starts on the day of the intro meeting, stored as introMeetingOn; due 4 weeks after it.' })
  startAssessment(@Arg('input', () => StartAssessmentInput, INPUT) input: StartAssessmentInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return startAssessment(ctx, input);
  }

  @Guarded('Trajectory', 'movePhase')
  @Mutation(() => Trajectory, { description: 'Gedragswetenschapper of the assigned Topteam (advies-/startgesprek): goals are agreed with student, parents and school; the intensive phase starts on the day of the meeting, stored as startMeetingOn (due 12 weeks after it, hard limit 16). Needs at least one goal agreed by all three.' })
  agreeGoals(@Arg('input', () => AgreeGoalsInput, INPUT) input: AgreeGoalsInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return agreeGoals(ctx, input);
  }

  @Guarded('Trajectory', 'movePhase')
  @Mutation(() => Trajectory, { description: 'Gedragswetenschapper of the assigned Topteam: a Toptraject is not a fit after the assessment; the assessment ends with an advice meeting (adviesgesprek, stored as closingMeetingOn) and the trajectory closes (afgesloten) with advice for another route.' })
  closeAfterAssessment(@Arg('input', () => CloseAfterAssessmentInput, INPUT) input: CloseAfterAssessmentInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return closeAfterAssessment(ctx, input);
  }

  @Guarded('Trajectory', 'movePhase')
  @Mutation(() => Trajectory, { description: 'Gedragswetenschapper of the assigned Topteam: the intensive phase ends and the consolidation phase (borgingsfase) starts, due after 3 months. Needs at least one hand-over advice (handelingsadvies).' })
  startConsolidation(@Arg('input', () => StartConsolidationInput, INPUT) input: StartConsolidationInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return startConsolidation(ctx, input);
  }

  @Guarded('Trajectory', 'movePhase')
  @Mutation(() => Trajectory, { description: 'Gedragswetenschapper of the assigned Topteam: the consolidation phase ends and the trajectory is completed (afgerond); the follow-ups at 3 and 12 months are planned.' })
  completeTrajectory(@Arg('input', () => CompleteTrajectoryInput, INPUT) input: CompleteTrajectoryInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return completeTrajectory(ctx, input);
  }

  @Guarded('Trajectory', 'movePhase')
  @Mutation(() => FollowUp, { description: 'Gedragswetenschapper of the assigned Topteam: record a follow-up (nazorg) of a completed trajectory, once per moment, from 14 days before it is due.' })
  recordFollowUp(@Arg('input', () => RecordFollowUpInput, INPUT) input: RecordFollowUpInput, @Ctx() ctx: Context): Promise<FollowUp> {
    return recordFollowUp(ctx, input);
  }
}
