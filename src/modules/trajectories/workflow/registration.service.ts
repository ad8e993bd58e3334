/**
 * Steps 3 and 4 of the handbook: the registration (aanmelding) and the dossier review, and
 * ending a trajectory early. Who may do each is in the workflow rules; when, in `acts.ts`.
 */
import { assertCan } from '../../../authz/authorize';
import { uniqueOr } from '../../../db/errors';
import { amsterdamDate } from '../../../domain/clock';
import { CancellationReason, ConsentPurpose, ConsultationKind, ConsultationOutcome, Phase, RefusalGround } from '../../../domain/enums';
import type { Context } from '../../../graphql/context';
import { appError, badInput } from '../../../graphql/errors';
import { requireVisible, unscoped } from '../../../graphql/reads';
import { assignTeam } from '../../caseload/assignment';
import { holdingConsents } from '../../../authz/holding-consents';
import { Consultation } from '../../consultations/consultation.entity';
import { School } from '../../schools/school.entity';
import { Student } from '../../students/student.entity';
import { Eligibility } from '../eligibility';
import { TrajectoryEvent } from '../trajectory-event.entity';
import { Trajectory } from '../trajectory.entity';
import { performAct } from './perform-act';
import { CancelTrajectoryInput, ReviewDecision, ReviewRegistrationInput, SubmitRegistrationInput, SupplementRegistrationInput } from './registration.inputs';

/** The target group of src/domain/README.md, as criteria a registration must meet; the first key names it in NOT_ELIGIBLE. */
const CRITERIA: Array<{ criterion: string; fails: (input: SubmitRegistrationInput) => boolean; message: string }> = [
  { criterion: 'PROBLEM_AREA', fails: (i) => i.problemAreas.length === 0, message: 'at least one problem area is needed' },
  { criterion: 'REGULAR_EDUCATION', fails: (i) => !i.enrolledInRegularEducation, message: 'the student must be enrolled at a regular VO school and continue there' },
  { criterion: 'SINGLE_QUESTION', fails: (i) => i.singleQuestion, message: 'a single question (such as an IQ assessment) is not a Toptraject' },
  { criterion: 'FEASIBILITY', fails: (i) => !i.regularEducationFeasible, message: 'regular education must be expected to be feasible' },
  { criterion: 'INTENSIVE_CARE', fails: (i) => i.needsVeryIntensiveCare, message: 'a student who needs very intensive care needs another route' },
  { criterion: 'MOTIVATION', fails: (i) => !(i.studentMotivated && i.parentsMotivated && i.schoolMotivated), message: 'student, parents and school must all want to work on it' },
  { criterion: 'TERM', fails: (i) => !i.goalsReachableWithinTerm, message: 'the goals must be reachable within the term of a Toptraject' },
];

/** Consents a registration needs: the dossier is shared with the partnership and the Topteam. */
const REQUIRED_CONSENTS = [ConsentPurpose.SHARE_WITH_PARTNERSHIP, ConsentPurpose.CARE_BY_TOPTEAM];

function checkEligibility(input: SubmitRegistrationInput): void {
  const failed = CRITERIA.filter((c) => c.fails(input));
  if (failed.length > 0) {
    throw appError('NOT_ELIGIBLE', `Not the right route for a Toptraject: ${failed.map((c) => c.message).join('; ')}.`, {
      criterion: failed[0].criterion,
      criteria: failed.map((c) => c.criterion),
    });
  }
}

async function checkConsentAndInformation(ctx: Context, student: Student, input: SubmitRegistrationInput, today: string): Promise<void> {
  if (input.parentsInformedOn && input.parentsInformedOn > today) {
    throw badInput('input.parentsInformedOn', 'input.parentsInformedOn: lies in the future.');
  }
  // Whether valid consent exists is a fact the registering school needs, even when it may not
  // read every consent record itself (holdingConsents reads without the ability).
  const valid = await holdingConsents(unscoped(ctx, 'whether valid consent exists, a fact the registering school needs without reading every consent'), [student.id], REQUIRED_CONSENTS, today);
  const missing: string[] = REQUIRED_CONSENTS.filter((p) => !valid.some((v) => v.purpose === p));
  if (!input.parentsInformedOn) missing.push('PARENTS_INFORMED');
  if (missing.length > 0) {
    throw appError('CONSENT_REQUIRED', `The registration needs: ${missing.map((m) => (m === 'PARENTS_INFORMED' ? 'a record that the parents were informed' : `valid consent for ${m}`)).join(', ')}.`, { missing });
  }
}

async function checkConsultation(ctx: Context, student: Student, consultationId: string | undefined): Promise<string | null> {
  if (!consultationId) return null;
  const consultation = await requireVisible(ctx, Consultation, consultationId, 'input.consultationId');
  const fits =
    consultation.kind === ConsultationKind.PRE_CONSULTATION &&
    consultation.outcome === ConsultationOutcome.TOPTRAJECT &&
    consultation.schoolId === student.schoolId &&
    (consultation.studentId === null || consultation.studentId === student.id);
  if (!fits) {
    throw badInput('input.consultationId', 'input.consultationId: must be a pre-consultation of this school (and student) whose outcome is a Toptraject.');
  }
  return consultation.id;
}

/** SCHOOL_COORDINATOR: registers a student; checks the target group, consents and the parents being informed. */
export async function submitRegistration(ctx: Context, input: SubmitRegistrationInput): Promise<Trajectory> {
  const student = await requireVisible(ctx, Student, input.studentId, 'input.studentId');
  const row = { partnershipId: ctx.actor.partnershipId, studentId: student.id, schoolId: student.schoolId };
  assertCan(ctx.ability, 'create', 'Trajectory', row, 'Only the coordinator of the student\'s school can register the student.');
  const consultationId = await checkConsultation(ctx, student, input.consultationId);
  checkEligibility(input);
  const now = ctx.clock.now();
  await checkConsentAndInformation(ctx, student, input, amsterdamDate(now));
  const school = await requireVisible(ctx, School, student.schoolId, 'input.studentId');
  const eligibility: Eligibility = {
    enrolledInRegularEducation: input.enrolledInRegularEducation,
    regularEducationFeasible: input.regularEducationFeasible,
    studentMotivated: input.studentMotivated,
    parentsMotivated: input.parentsMotivated,
    schoolMotivated: input.schoolMotivated,
    goalsReachableWithinTerm: input.goalsReachableWithinTerm,
    singleQuestion: input.singleQuestion,
    needsVeryIntensiveCare: input.needsVeryIntensiveCare,
  };
  return uniqueOr(
    () =>
      unscoped(ctx, 'write: the registration, after assertCan(create, Trajectory)').transaction(async (tx) => {
        const trajectory = await tx.save(
          tx.create(Trajectory, {
            ...row,
            windstreekId: school.windstreekId,
            teamId: null,
            consultationId,
            phase: Phase.REQUESTED,
            phaseStartedAt: now,
            phaseDueOn: null,
            phaseLimitOn: null,
            problemAreas: [...new Set(input.problemAreas)],
            parentsInformedOn: input.parentsInformedOn!,
            eligibility,
            registeredByUserId: ctx.actor.userId,
          }),
        );
        await tx.save(
          tx.create(TrajectoryEvent, {
            partnershipId: row.partnershipId, trajectoryId: trajectory.id, act: 'submitRegistration', fromPhase: null,
            toPhase: Phase.REQUESTED, actorUserId: ctx.actor.userId, reason: null, occurredAt: now,
          }),
        );
        return trajectory;
      }),
    'The student already has a running trajectory.',
  );
}

/** EDUCATION_ADVISOR: accepts (and assigns the team), asks for more information, or refuses. */
export async function reviewRegistration(ctx: Context, input: ReviewRegistrationInput): Promise<Trajectory> {
  const base = { trajectoryId: input.trajectoryId, expectedVersion: input.expectedVersion, reason: input.reason ?? null };
  if (input.refusalGround && input.decision !== ReviewDecision.REFUSE) {
    throw badInput('input.refusalGround', 'input.refusalGround: only with the decision REFUSE.');
  }
  switch (input.decision) {
    case ReviewDecision.ACCEPT: {
      const { trajectory } = await performAct(ctx, {
        ...base,
        act: 'acceptRegistration',
        effect: async (tx, accepted) => {
          // The overflow rule picks the team; when none fits, the case waits, accepted, for the
          // programme coordinator (assignTeam).
          const assignment = await assignTeam(tx, accepted, ctx.config.caseload, { actorUserId: ctx.actor.userId, whenNothingFits: 'leave-unassigned' });
          if (!assignment) return;
          await tx.save(
            tx.create(TrajectoryEvent, {
              partnershipId: accepted.partnershipId, trajectoryId: accepted.id, act: 'assignTeam', fromPhase: accepted.phase,
              toPhase: accepted.phase, actorUserId: ctx.actor.userId, reason: assignment.reason, occurredAt: ctx.clock.now(),
            }),
          );
        },
      });
      return trajectory;
    }
    case ReviewDecision.REQUEST_INFORMATION: {
      if (!input.reason?.trim()) throw badInput('input.reason', 'input.reason: say what is needed.');
      const { trajectory } = await performAct(ctx, { ...base, act: 'requestInformation' });
      return trajectory;
    }
    case ReviewDecision.REFUSE: {
      // The criterion is counted (the dashboard's REFUSALS); the explanation is the closing reason.
      if (!input.refusalGround) throw badInput('input.refusalGround', 'input.refusalGround: say on which of the handbook\'s criteria the registration is refused.');
      const explanation = input.reason?.trim() || null;
      if (input.refusalGround === RefusalGround.OTHER && !explanation) throw badInput('input.reason', 'input.reason: required when the refusal ground is OTHER.');
      const { trajectory } = await performAct(ctx, {
        ...base,
        reason: explanation ?? input.refusalGround,
        act: 'refuseRegistration',
        changes: { refusalGround: input.refusalGround, closingReason: explanation },
      });
      return trajectory;
    }
  }
}

/** SCHOOL_COORDINATOR: supplies what the advisor asked for; the registration returns to review. */
export async function supplementRegistration(ctx: Context, input: SupplementRegistrationInput): Promise<Trajectory> {
  const { trajectory } = await performAct(ctx, { act: 'supplementRegistration', trajectoryId: input.trajectoryId, expectedVersion: input.expectedVersion, reason: input.supplement.trim() });
  return trajectory;
}

/**
 * Ends a running trajectory early, with a reason: the gedragswetenschapper of the assigned
 * team, or the school coordinator for a registration not yet accepted (withdrawal).
 */
export async function cancelTrajectory(ctx: Context, input: CancelTrajectoryInput): Promise<Trajectory> {
  const explanation = input.explanation?.trim() || null;
  if (input.reason === CancellationReason.OTHER && !explanation) {
    throw badInput('input.explanation', 'input.explanation: required when the reason is OTHER.');
  }
  const { trajectory } = await performAct(ctx, {
    act: 'cancelTrajectory',
    trajectoryId: input.trajectoryId,
    expectedVersion: input.expectedVersion,
    reason: explanation ?? input.reason,
    changes: { cancellationReason: input.reason, closingReason: explanation },
  });
  return trajectory;
}
