/**
 * Step 5 of the handbook: the phase acts of the gedragswetenschapper (intro meeting, advice/
 * start meeting, not a fit, consolidation, completion) and the follow-ups. When each may
 * happen is in `acts.ts`, who may do it in the workflow rules, the due dates in `phase-norms.ts`.
 */
import { addDays, amsterdamDate } from '../../../domain/clock';
import { Phase } from '../../../domain/enums';
import type { Context } from '../../../graphql/context';
import { badInput, conflict } from '../../../graphql/errors';
import { FollowUp } from '../follow-up.entity';
import { Goal } from '../goal.entity';
import { HandoverAdvice } from '../handover-advice.entity';
import { Trajectory } from '../trajectory.entity';
import { invalidTransition, performAct } from './perform-act';
import { followUpDates } from './phase-norms';
import {
  AgreeGoalsInput, CloseAfterAssessmentInput, CompleteTrajectoryInput, RecordFollowUpInput, StartAssessmentInput, StartConsolidationInput,
} from './phase.inputs';
import { FOLLOW_UP_OPENS_DAYS_BEFORE } from '../timeliness';
import { notInFuture } from '../../../graphql/validation';

// A follow-up can be recorded from FOLLOW_UP_OPENS_DAYS_BEFORE days before its due date (../timeliness.ts).

/**
 * The day of a meeting an act records: given, or today; never in the future. The handbook
 * counts the phases from the meetings, so the phase starts on this day (its due date and
 * limit follow from it, `phase-norms.ts`) and the trajectory stores it.
 */
function meetingDay(ctx: Context, field: string, given: string | undefined | null): string {
  notInFuture(ctx, field, given);
  return given ?? ctx.today;
}

/**
 * A meeting that follows the intro meeting (the advice/start meeting, or the advice meeting
 * that closes the case) cannot lie before it. Trajectories that entered the assessment before
 * the intro meeting was stored have none to compare with.
 */
function notBeforeIntroMeeting(field: string, meetingOn: string, assessment: Trajectory): void {
  if (assessment.introMeetingOn !== null && meetingOn < assessment.introMeetingOn) {
    throw badInput(field, `${field}: lies before the intro meeting (kennismakingsgesprek) of ${assessment.introMeetingOn}.`);
  }
}

/** Gedragswetenschapper: the intro meeting (kennismakingsgesprek) took place; the assessment phase starts on its day. */
export async function startAssessment(ctx: Context, input: StartAssessmentInput): Promise<Trajectory> {
  const introMeetingOn = meetingDay(ctx, 'input.introMeetingOn', input.introMeetingOn);
  const { trajectory } = await performAct(ctx, {
    act: 'startAssessment',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    phaseStartsOn: introMeetingOn,
    changes: { introMeetingOn },
    effect: async (_tx, _started, accepted) => {
      // Only reached in phase ACCEPTED: phaseStartedAt is the moment of acceptance.
      const acceptedOn = amsterdamDate(accepted.phaseStartedAt);
      if (introMeetingOn < acceptedOn) {
        throw badInput('input.introMeetingOn', `input.introMeetingOn: lies before the acceptance of the registration (${acceptedOn}).`);
      }
    },
  });
  return trajectory;
}

/** Gedragswetenschapper: goals are agreed at the advice/start meeting (advies-/startgesprek); the intensive phase starts on its day. */
export async function agreeGoals(ctx: Context, input: AgreeGoalsInput): Promise<Trajectory> {
  const startMeetingOn = meetingDay(ctx, 'input.meetingOn', input.meetingOn);
  const { trajectory } = await performAct(ctx, {
    act: 'agreeGoals',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    phaseStartsOn: startMeetingOn,
    changes: { startMeetingOn },
    effect: async (tx, t, assessment) => {
      notBeforeIntroMeeting('input.meetingOn', startMeetingOn, assessment);
      const agreed = await tx.existsBy(Goal, { trajectoryId: t.id, agreedWithStudent: true, agreedWithParents: true, agreedWithSchool: true });
      if (!agreed) {
        throw invalidTransition(
          'agreeGoals',
          Phase.ASSESSMENT,
          'The intensive phase starts only when at least one goal is agreed with the student, the parents and the school (addGoal with all three agreements).',
        );
      }
    },
  });
  return trajectory;
}

/**
 * Gedragswetenschapper: a Toptraject is not a fit; the assessment ends with an advice meeting
 * (adviesgesprek) on `meetingOn`, and the trajectory closes with advice for another route.
 * Care ends on that day (the care dossier's retention starts from it).
 */
export async function closeAfterAssessment(ctx: Context, input: CloseAfterAssessmentInput): Promise<Trajectory> {
  const advice = input.adviceForOtherRoute.trim();
  const closingMeetingOn = meetingDay(ctx, 'input.meetingOn', input.meetingOn);
  const { trajectory } = await performAct(ctx, {
    act: 'closeAfterAssessment',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: advice,
    phaseStartsOn: closingMeetingOn,
    changes: { closingReason: advice, closingMeetingOn },
    effect: async (_tx, _closed, assessment) => notBeforeIntroMeeting('input.meetingOn', closingMeetingOn, assessment),
  });
  return trajectory;
}

/** Gedragswetenschapper: the intensive phase ends; consolidation starts once hand-over advice exists. */
export async function startConsolidation(ctx: Context, input: StartConsolidationInput): Promise<Trajectory> {
  const { trajectory } = await performAct(ctx, {
    act: 'startConsolidation',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    effect: async (tx, t) => {
      if (!(await tx.existsBy(HandoverAdvice, { trajectoryId: t.id }))) {
        throw invalidTransition(
          'startConsolidation',
          Phase.INTENSIVE,
          'The consolidation phase starts only with at least one hand-over advice for the OPP (addHandoverAdvice).',
        );
      }
    },
  });
  return trajectory;
}

/** Gedragswetenschapper: consolidation ends; the trajectory is completed and both follow-ups are planned. */
export async function completeTrajectory(ctx: Context, input: CompleteTrajectoryInput): Promise<Trajectory> {
  const { trajectory } = await performAct(ctx, {
    act: 'completeTrajectory',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    effect: async (tx, t) => {
      const completedOn = ctx.today;
      for (const { moment, dueOn } of followUpDates(completedOn, ctx.config.phaseNorms)) {
        await tx.save(tx.create(FollowUp, { partnershipId: t.partnershipId, trajectoryId: t.id, moment, dueOn }));
      }
    },
  });
  return trajectory;
}

/** Gedragswetenschapper: records a follow-up, once, from 14 days before it is due. */
export async function recordFollowUp(ctx: Context, input: RecordFollowUpInput): Promise<FollowUp> {
  const { result } = await performAct(ctx, {
    act: 'recordFollowUp',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: input.moment,
    effect: async (tx, t) => {
      const followUp = await tx.findOneBy(FollowUp, { trajectoryId: t.id, moment: input.moment });
      if (!followUp) throw invalidTransition('recordFollowUp', t.phase, `No ${input.moment} follow-up is planned for this trajectory.`);
      if (followUp.recordedAt) throw conflict(`The ${input.moment} follow-up was already recorded.`);
      const now = ctx.clock.now();
      const opensOn = addDays(followUp.dueOn, -FOLLOW_UP_OPENS_DAYS_BEFORE);
      if (amsterdamDate(now) < opensOn) {
        throw invalidTransition('recordFollowUp', t.phase, `The ${input.moment} follow-up is not due yet: it is due on ${followUp.dueOn} and can be recorded from ${opensOn}.`);
      }
      return tx.save(
        Object.assign(followUp, {
          recordedAt: now,
          recordedByUserId: ctx.actor.userId,
          stillInEducation: input.stillInEducation,
          atExpectedExitLevel: input.atExpectedExitLevel,
          diplomaExpected: input.diplomaExpected,
          howIsItGoing: input.howIsItGoing?.trim() || null,
        }),
      );
    },
  });
  return result;
}
