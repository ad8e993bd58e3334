/**
 * The actions rules grant: CRUD, the dashboard's `aggregate`, and the permissions on a
 * trajectory. Who holds each trajectory permission is written in `rules/workflow.rules.ts`;
 * which act needs which permission, and when the act may happen, in the trajectory's state
 * machine (src/modules/trajectories/workflow/acts.ts), which takes these names from here.
 */

/** Permissions on a trajectory, granted per role in the workflow rules. */
export type TrajectoryPermission =
  | 'reviewRegistration'   // onderwijsadviseur of the windstreek
  | 'supplementRegistration' // school coordinator
  | 'withdrawRegistration' // school coordinator, before acceptance
  | 'movePhase'            // gedragswetenschapper of the assigned team
  | 'cancelTrajectory'     // gedragswetenschapper of the assigned team
  | 'writeCase'            // any member of the assigned team
  | 'registerAbsence'      // school coordinator
  | 'recordOppUptake'      // school coordinator (a hand-over advice taken into the OPP)
  | 'resolveEscalation'    // programme coordinator
  | 'assignTeam'           // programme coordinator; gedragswetenschapper of the home windstreek
  | 'transferStudent'      // school coordinator of the case's school; programme coordinator
  | 'staffCase';           // gedragswetenschapper of the assigned team; programme coordinator

export const TRAJECTORY_PERMISSIONS: readonly TrajectoryPermission[] = [
  'reviewRegistration', 'supplementRegistration', 'withdrawRegistration', 'movePhase', 'cancelTrajectory', 'writeCase',
  'registerAbsence', 'recordOppUptake', 'resolveEscalation', 'assignTeam', 'staffCase',
  'transferStudent',
];

/** `rectify`: correct a student's identity on a rectification request (AVG art. 16), the privacy officer's. */
export type Action = 'manage' | 'read' | 'create' | 'update' | 'delete' | 'viewLoad' | 'supervise' | 'aggregate' | 'rectify' | TrajectoryPermission;
