/**
 * Step 6 of the handbook: the work during a trajectory. Team members (writeCase) add goals
 * and their progress, evaluations, hand-over advice and internal notes; the school registers
 * absence. Each is an act through `performAct`, so it is checked (visibility, permission,
 * phase, version) and recorded as a TrajectoryEvent; the event carries no case text.
 */
import { EntityManager } from 'typeorm';
import type { Context } from '../../../graphql/context';
import { requireVisible } from '../../../graphql/reads';
import { AbsenceRegistration } from '../absence-registration.entity';
import { Evaluation } from '../evaluation.entity';
import { Goal } from '../goal.entity';
import { HandoverAdvice } from '../handover-advice.entity';
import { Note } from '../note.entity';
import { Trajectory } from '../trajectory.entity';
import { ActName } from './acts';
import {
  AddGoalInput, AddHandoverAdviceInput, AddNoteInput, RecordEvaluationInput, RegisterAbsenceInput, UpdateGoalProgressInput,
} from './case-work.inputs';
import { performAct } from './perform-act';
import { notInFuture } from '../../../graphql/validation';
import type { ActInput } from './registration.inputs';

/** Optional free text: trimmed, and null when empty. */
function optionalText(value: string | undefined | null): string | null {
  return value?.trim() || null;
}

/** Performs `act`, which writes one record under the trajectory, and returns that record. */
async function recordUnder<R>(ctx: Context, act: ActName, input: ActInput, write: (tx: EntityManager, trajectory: Trajectory) => Promise<R>): Promise<R> {
  const { result } = await performAct(ctx, { act, trajectoryId: input.trajectoryId, expectedVersion: input.expectedVersion, reason: null, effect: write });
  return result;
}

/** Team member: adds a goal, with whom it is agreed. */
export function addGoal(ctx: Context, input: AddGoalInput): Promise<Goal> {
  return recordUnder(ctx, 'addGoal', input, (tx, t) =>
    tx.save(
      tx.create(Goal, {
        partnershipId: t.partnershipId,
        trajectoryId: t.id,
        description: input.description.trim(),
        agreedWithStudent: input.agreedWithStudent,
        agreedWithParents: input.agreedWithParents,
        agreedWithSchool: input.agreedWithSchool,
      }),
    ),
  );
}

/** Team member: records the progress of a goal the caller can see. */
export async function updateGoalProgress(ctx: Context, input: UpdateGoalProgressInput): Promise<Goal> {
  const goal = await requireVisible(ctx, Goal, input.goalId, 'input.goalId');
  const { result } = await performAct(ctx, {
    act: 'updateGoalProgress',
    trajectoryId: goal.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: null,
    effect: async (tx) => {
      await tx.update(Goal, { id: goal.id }, { progress: input.progress, progressNote: optionalText(input.progressNote) });
      return tx.findOneByOrFail(Goal, { id: goal.id });
    },
  });
  return result;
}

/** Team member: records an evaluation (do more of what works, stop what does not). */
export function recordEvaluation(ctx: Context, input: RecordEvaluationInput): Promise<Evaluation> {
  notInFuture(ctx, 'input.evaluatedOn', input.evaluatedOn);
  return recordUnder(ctx, 'recordEvaluation', input, (tx, t) =>
    tx.save(
      tx.create(Evaluation, {
        partnershipId: t.partnershipId,
        trajectoryId: t.id,
        evaluatedOn: input.evaluatedOn,
        whatWorks: input.whatWorks.trim(),
        whatToStop: input.whatToStop.trim(),
        summary: optionalText(input.summary),
        authorUserId: ctx.actor.userId,
      }),
    ),
  );
}

/** Team member: adds a hand-over advice (handelingsadvies) for the OPP. */
export function addHandoverAdvice(ctx: Context, input: AddHandoverAdviceInput): Promise<HandoverAdvice> {
  return recordUnder(ctx, 'addHandoverAdvice', input, (tx, t) =>
    tx.save(
      tx.create(HandoverAdvice, {
        partnershipId: t.partnershipId,
        trajectoryId: t.id,
        advice: input.advice.trim(),
        addedToDevelopmentPlan: input.addedToDevelopmentPlan ?? false,
        authorUserId: ctx.actor.userId,
      }),
    ),
  );
}

/** Team member: adds a team-internal note. */
export function addNote(ctx: Context, input: AddNoteInput): Promise<Note> {
  return recordUnder(ctx, 'addNote', input, (tx, t) =>
    tx.save(tx.create(Note, { partnershipId: t.partnershipId, trajectoryId: t.id, body: input.body.trim(), authorUserId: ctx.actor.userId })),
  );
}

/** School coordinator: registers absence of the student during the trajectory. */
export function registerAbsence(ctx: Context, input: RegisterAbsenceInput): Promise<AbsenceRegistration> {
  notInFuture(ctx, 'input.absentOn', input.absentOn);
  return recordUnder(ctx, 'registerAbsence', input, (tx, t) =>
    tx.save(
      tx.create(AbsenceRegistration, {
        partnershipId: t.partnershipId,
        trajectoryId: t.id,
        absentOn: input.absentOn,
        lessonsMissed: input.lessonsMissed,
        authorised: input.authorised,
        note: optionalText(input.note),
        registeredByUserId: ctx.actor.userId,
      }),
    ),
  );
}
