/**
 * Step 6 of the handbook: the work during a trajectory. Team members (writeCase) add goals
 * and their progress, evaluations, hand-over advice and internal notes, and record the
 * cooperation agreements; the school registers absence and records when a hand-over advice was
 * taken into the OPP. Each is an act through `performAct`, so it is checked (visibility, permission,
 * phase, version) and recorded as a TrajectoryEvent; the event carries no case text.
 */
import { EntityManager } from 'typeorm';
import type { Context } from '../../../graphql/context';
import { requireVisible } from '../../../graphql/reads';
import { HandoverRecipient } from '../../../domain/enums';
import { badInput, conflict } from '../../../graphql/errors';
import { AbsenceRegistration } from '../absence-registration.entity';
import { CooperationAgreements } from '../cooperation-agreements';
import { Evaluation } from '../evaluation.entity';
import { Goal } from '../goal.entity';
import { HandoverAdvice } from '../handover-advice.entity';
import { Note } from '../note.entity';
import { Trajectory } from '../trajectory.entity';
import { ActName } from './acts';
import {
  AddGoalInput, AddHandoverAdviceInput, AddNoteInput, MarkHandoverAdviceTakenIntoOppInput, RecordCooperationAgreementsInput, RecordEvaluationInput,
  RegisterAbsenceInput, UpdateGoalProgressInput,
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

/** Team member: adds a hand-over advice (handelingsadvies) for the school, home or a network partner. */
export function addHandoverAdvice(ctx: Context, input: AddHandoverAdviceInput): Promise<HandoverAdvice> {
  const recipientName = optionalText(input.recipientName);
  if (recipientName !== null && input.recipient !== HandoverRecipient.NETWORK_PARTNER) {
    throw badInput('input.recipientName', 'input.recipientName: only an advice for a NETWORK_PARTNER names its recipient.');
  }
  return recordUnder(ctx, 'addHandoverAdvice', input, (tx, t) =>
    tx.save(
      tx.create(HandoverAdvice, {
        partnershipId: t.partnershipId,
        trajectoryId: t.id,
        advice: input.advice.trim(),
        writtenOn: ctx.today,
        recipient: input.recipient,
        recipientName,
        takenIntoOppOn: null,
        authorUserId: ctx.actor.userId,
      }),
    ),
  );
}

/**
 * School coordinator of the student's school, or a member of the assigned team: records the day
 * a hand-over advice was taken into the OPP. Not in the future, not before the advice was
 * written; once (CONFLICT when it is already marked, also when two marks race).
 */
export async function markHandoverAdviceTakenIntoOpp(ctx: Context, input: MarkHandoverAdviceTakenIntoOppInput): Promise<HandoverAdvice> {
  notInFuture(ctx, 'input.takenOn', input.takenOn);
  const advice = await requireVisible(ctx, HandoverAdvice, input.handoverAdviceId, 'input.handoverAdviceId');
  if (input.takenOn < advice.writtenOn) {
    throw badInput('input.takenOn', `input.takenOn: lies before the advice was written (${advice.writtenOn}).`);
  }
  const { result } = await performAct(ctx, {
    act: 'markHandoverAdviceTakenIntoOpp',
    trajectoryId: advice.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: null,
    effect: async (tx) => {
      const updated = await tx
        .createQueryBuilder()
        .update(HandoverAdvice)
        .set({ takenIntoOppOn: input.takenOn })
        .where('id = :id AND taken_into_opp_on IS NULL', { id: advice.id })
        .execute();
      if (updated.affected !== 1) throw conflict('This hand-over advice has already been taken into the OPP.');
      return tx.findOneByOrFail(HandoverAdvice, { id: advice.id });
    },
  });
  return result;
}

/**
 * Team member: records the cooperation agreements (samenwerkingsafspraken) at the start of the
 * intensive phase: the teachers, mentor, zorgcoördinator and management involved, and what was
 * agreed. Replaces the agreements recorded before, so `expectedVersion` is required.
 */
export async function recordCooperationAgreements(ctx: Context, input: RecordCooperationAgreementsInput): Promise<Trajectory> {
  notInFuture(ctx, 'input.agreedOn', input.agreedOn);
  const cooperationAgreements: CooperationAgreements = {
    agreedOn: input.agreedOn,
    teachers: input.teachers.map((name) => name.trim()),
    mentor: optionalText(input.mentor),
    careCoordinator: optionalText(input.careCoordinator),
    management: optionalText(input.management),
    agreements: input.agreements.trim(),
  };
  const { trajectory } = await performAct(ctx, {
    act: 'recordCooperationAgreements',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: null,
    changes: { cooperationAgreements },
  });
  return trajectory;
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
