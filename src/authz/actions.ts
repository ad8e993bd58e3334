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
  | 'resolveEscalation'    // programme coordinator
  | 'assignTeam'           // programme coordinator; gedragswetenschapper of the home windstreek
  | 'staffCase';           // gedragswetenschapper of the assigned team; programme coordinator

export const TRAJECTORY_PERMISSIONS: readonly TrajectoryPermission[] = [
  'reviewRegistration', 'supplementRegistration', 'withdrawRegistration', 'movePhase', 'cancelTrajectory', 'writeCase',
  'registerAbsence', 'resolveEscalation', 'assignTeam', 'staffCase',
];

export type Action = 'manage' | 'read' | 'create' | 'update' | 'delete' | 'viewLoad' | 'supervise' | 'aggregate' | TrajectoryPermission;
