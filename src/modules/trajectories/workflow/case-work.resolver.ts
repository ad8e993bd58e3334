import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Guarded } from '../../../graphql/policy';
import type { Context } from '../../../graphql/context';
import { AbsenceRegistration } from '../absence-registration.entity';
import { Evaluation } from '../evaluation.entity';
import { Goal } from '../goal.entity';
import { HandoverAdvice } from '../handover-advice.entity';
import { Note } from '../note.entity';
import { Trajectory } from '../trajectory.entity';
import {
  AddGoalInput, AddHandoverAdviceInput, AddNoteInput, MarkHandoverAdviceTakenIntoOppInput, RecordCooperationAgreementsInput, RecordEvaluationInput,
  RegisterAbsenceInput, UpdateGoalProgressInput,
} from './case-work.inputs';
import {
  addGoal, addHandoverAdvice, addNote, markHandoverAdviceTakenIntoOpp, recordCooperationAgreements, recordEvaluation, registerAbsence, updateGoalProgress,
} from './case-work.service';

const INPUT = { description: 'What to do.' };

/** Work during a trajectory: goals, evaluations, hand-over advice, notes, absence. */
@Resolver()
export class CaseWorkResolver {
  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Goal, { description: 'TEAM_MEMBER of the assigned Topteam, step 5–6: add a goal (doel) and with whom it is agreed; needs the consent for care.' })
  addGoal(@Arg('input', () => AddGoalInput, INPUT) input: AddGoalInput, @Ctx() ctx: Context): Promise<Goal> {
    return addGoal(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Goal, { description: 'TEAM_MEMBER of the assigned Topteam, step 6: record the progress (voortgang) of a goal during the intensive or consolidation phase.' })
  updateGoalProgress(@Arg('input', () => UpdateGoalProgressInput, INPUT) input: UpdateGoalProgressInput, @Ctx() ctx: Context): Promise<Goal> {
    return updateGoalProgress(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Evaluation, { description: 'TEAM_MEMBER of the assigned Topteam, step 6: record an evaluation (evaluatie): do more of what works, stop what does not.' })
  recordEvaluation(@Arg('input', () => RecordEvaluationInput, INPUT) input: RecordEvaluationInput, @Ctx() ctx: Context): Promise<Evaluation> {
    return recordEvaluation(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => HandoverAdvice, { description: 'TEAM_MEMBER of the assigned Topteam, step 6: add a hand-over advice (handelingsadvies) that goes into the OPP.' })
  addHandoverAdvice(@Arg('input', () => AddHandoverAdviceInput, INPUT) input: AddHandoverAdviceInput, @Ctx() ctx: Context): Promise<HandoverAdvice> {
    return addHandoverAdvice(ctx, input);
  }

  @Guarded('Trajectory', 'recordOppUptake', 'writeCase')
  @Mutation(() => HandoverAdvice, {
    description: 'SCHOOL_COORDINATOR of the student\'s school (the OPP is the school\'s) or TEAM_MEMBER of the assigned Topteam: record the day a hand-over advice was taken into the OPP (opgenomen in het OPP); once (CONFLICT when already recorded), not in the future, not before the advice was written.',
  })
  markHandoverAdviceTakenIntoOpp(
    @Arg('input', () => MarkHandoverAdviceTakenIntoOppInput, INPUT) input: MarkHandoverAdviceTakenIntoOppInput,
    @Ctx() ctx: Context,
  ): Promise<HandoverAdvice> {
    return markHandoverAdviceTakenIntoOpp(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Trajectory, {
    description: 'TEAM_MEMBER of the assigned Topteam, at the start meeting (ASSESSMENT) or in the INTENSIVE phase: record the cooperation agreements (samenwerkingsafspraken) with the school; replaces earlier ones (expectedVersion required).',
  })
  recordCooperationAgreements(
    @Arg('input', () => RecordCooperationAgreementsInput, INPUT) input: RecordCooperationAgreementsInput,
    @Ctx() ctx: Context,
  ): Promise<Trajectory> {
    return recordCooperationAgreements(ctx, input);
  }

  @Guarded('Trajectory', 'writeCase')
  @Mutation(() => Note, { description: 'TEAM_MEMBER of the assigned Topteam: add a team-internal note (teamnotitie); only the team reads it.' })
  addNote(@Arg('input', () => AddNoteInput, INPUT) input: AddNoteInput, @Ctx() ctx: Context): Promise<Note> {
    return addNote(ctx, input);
  }

  @Guarded('Trajectory', 'registerAbsence')
  @Mutation(() => AbsenceRegistration, { description: 'SCHOOL_COORDINATOR of the student\'s school, step 6: register absence (verzuimregistratie) during the trajectory; the school keeps that duty.' })
  registerAbsence(@Arg('input', () => RegisterAbsenceInput, INPUT) input: RegisterAbsenceInput, @Ctx() ctx: Context): Promise<AbsenceRegistration> {
    return registerAbsence(ctx, input);
  }
}
