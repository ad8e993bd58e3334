/**
 * The trajectory's state machine: every act of the handbook, the phases it may happen in,
 * the phase it leads to, the mutation that performs it, and the permission it needs. The one
 * home of "what may happen when"; the permissions' names are authz's (`src/authz/actions.ts`)
 * and who holds each is written in `src/authz/rules/workflow.rules.ts`.
 */
import type { TrajectoryPermission } from '../../../authz/actions';
import { ACTIVE_PHASES, Phase } from '../../../domain/enums';

export interface ActSpec {
  /** Phases in which the act is allowed. */
  from: readonly Phase[];
  /** The phase it leads to; absent for acts that record something without moving. */
  to?: Phase;
  /** The GraphQL mutation that performs it. */
  mutation: string;
  /** The permissions that allow it (any one suffices). */
  permissions: readonly TrajectoryPermission[];
  /**
   * The act adds a record under the trajectory (a note, a goal, …) and changes nothing on the
   * trajectory or on another record: it does not raise the trajectory's version, so additions
   * never conflict with each other; it still cannot happen once a concurrent act has moved the
   * case to a phase that does not allow it (./perform-act.ts).
   */
  adds?: true;
}

const { REQUESTED, IN_REVIEW, INFO_REQUESTED, ACCEPTED, REFUSED, ASSESSMENT, INTENSIVE, CONSOLIDATION, COMPLETED, CLOSED, CANCELLED } = Phase;
const REVIEWABLE = [REQUESTED, IN_REVIEW];
const RUNNING = [ASSESSMENT, INTENSIVE, CONSOLIDATION];
const ASSIGNED = [ACCEPTED, ...RUNNING];
const AFTER_ACCEPTANCE = [...ASSIGNED, COMPLETED, CLOSED, CANCELLED];

export const ACTS = {
  acceptRegistration: { from: REVIEWABLE, to: ACCEPTED, mutation: 'reviewRegistration', permissions: ['reviewRegistration'] },
  requestInformation: { from: REVIEWABLE, to: INFO_REQUESTED, mutation: 'reviewRegistration', permissions: ['reviewRegistration'] },
  refuseRegistration: { from: REVIEWABLE, to: REFUSED, mutation: 'reviewRegistration', permissions: ['reviewRegistration'] },
  supplementRegistration: { from: [INFO_REQUESTED], to: IN_REVIEW, mutation: 'supplementRegistration', permissions: ['supplementRegistration'] },
  startAssessment: { from: [ACCEPTED], to: ASSESSMENT, mutation: 'startAssessment', permissions: ['movePhase'] },
  agreeGoals: { from: [ASSESSMENT], to: INTENSIVE, mutation: 'agreeGoals', permissions: ['movePhase'] },
  closeAfterAssessment: { from: [ASSESSMENT], to: CLOSED, mutation: 'closeAfterAssessment', permissions: ['movePhase'] },
  startConsolidation: { from: [INTENSIVE], to: CONSOLIDATION, mutation: 'startConsolidation', permissions: ['movePhase'] },
  completeTrajectory: { from: [CONSOLIDATION], to: COMPLETED, mutation: 'completeTrajectory', permissions: ['movePhase'] },
  cancelTrajectory: { from: ACTIVE_PHASES, to: CANCELLED, mutation: 'cancelTrajectory', permissions: ['cancelTrajectory', 'withdrawRegistration'] },
  recordFollowUp: { from: [COMPLETED], mutation: 'recordFollowUp', permissions: ['movePhase'] },
  addGoal: { from: RUNNING, mutation: 'addGoal', permissions: ['writeCase'], adds: true },
  updateGoalProgress: { from: [INTENSIVE, CONSOLIDATION], mutation: 'updateGoalProgress', permissions: ['writeCase'] },
  recordEvaluation: { from: [INTENSIVE, CONSOLIDATION], mutation: 'recordEvaluation', permissions: ['writeCase'], adds: true },
  addHandoverAdvice: { from: [INTENSIVE, CONSOLIDATION], mutation: 'addHandoverAdvice', permissions: ['writeCase'], adds: true },
  // The advice is taken into the OPP once, also after the case ended (the school's OPP outlives it): the school coordinator, or the team.
  markHandoverAdviceTakenIntoOpp: {
    from: [INTENSIVE, CONSOLIDATION, COMPLETED, CANCELLED], mutation: 'markHandoverAdviceTakenIntoOpp', permissions: ['recordOppUptake', 'writeCase'],
  },
  // Made at the start meeting (end of the assessment) or during the intensive phase; an overwrite.
  recordCooperationAgreements: { from: [ASSESSMENT, INTENSIVE], mutation: 'recordCooperationAgreements', permissions: ['writeCase'] },
  addNote: { from: AFTER_ACCEPTANCE, mutation: 'addNote', permissions: ['writeCase'], adds: true },
  registerAbsence: { from: RUNNING, mutation: 'registerAbsence', permissions: ['registerAbsence'], adds: true },
  escalateTrajectory: { from: ASSIGNED, mutation: 'escalateTrajectory', permissions: ['writeCase'], adds: true },
  resolveEscalation: { from: Object.values(Phase), mutation: 'resolveEscalation', permissions: ['resolveEscalation'] },
  fileComplaint: { from: AFTER_ACCEPTANCE, mutation: 'fileComplaint', permissions: ['writeCase'], adds: true },
  handleComplaint: { from: AFTER_ACCEPTANCE, mutation: 'handleComplaint', permissions: ['writeCase'] },
  escalateComplaint: { from: AFTER_ACCEPTANCE, mutation: 'escalateComplaint', permissions: ['writeCase'] },
  resolveComplaint: { from: AFTER_ACCEPTANCE, mutation: 'resolveComplaint', permissions: ['writeCase'] },
  recordExitQuestionnaire: { from: [COMPLETED, CLOSED], mutation: 'recordExitQuestionnaire', permissions: ['writeCase'], adds: true },
  assignTeam: { from: [ACCEPTED], mutation: 'assignTeam', permissions: ['assignTeam'] },
  reassignTeam: { from: ASSIGNED, mutation: 'reassignTeam', permissions: ['assignTeam'] },
  // A running case follows its student to another school of the partnership (the mutation
  // addresses the student: src/modules/students/student.service.ts). A case in any other phase
  // stays with the school that registered it: the act is not performed on it at all.
  transferStudent: { from: ACTIVE_PHASES, mutation: 'transferStudent', permissions: ['transferStudent'] },
  staffTrajectory: { from: ASSIGNED, mutation: 'staffTrajectory', permissions: ['staffCase'] },
} satisfies Record<string, ActSpec>;

export type ActName = keyof typeof ACTS;

/** The mutations allowed in `phase` (for INVALID_TRANSITION messages), in table order. */
export function mutationsAllowedIn(phase: Phase): string[] {
  const mutations = (Object.values(ACTS) as ActSpec[]).filter((spec) => spec.from.includes(phase)).map((spec) => spec.mutation);
  return [...new Set(mutations)];
}
