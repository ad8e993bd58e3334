/**
 * The caller: a user and the memberships they hold now. Loaded from the database on every
 * request (tokens carry only the subject), so a revoked membership or a deactivated user
 * takes effect on the very next request.
 */
import { DataSource } from 'typeorm';
import { Role, TeamFunction } from '../domain/enums';

export interface ActorMembership {
  id: string;
  role: Role;
  teamFunction: TeamFunction | null;
  windstreekId: string | null;
  schoolId: string | null;
  topteamId: string | null;
  /** For school-scoped memberships: the school's windstreek. */
  schoolWindstreekId: string | null;
  /** For Topteam memberships: the team's windstreek. */
  topteamWindstreekId: string | null;
}

export interface Actor {
  userId: string;
  subject: string;
  email: string;
  name: string;
  partnershipId: string;
  memberships: ActorMembership[];
}

/** Scope ids of the actor's memberships with `role` (and, optionally, a team function). */
export function scopeIds(
  actor: Actor,
  role: Role,
  key: 'windstreekId' | 'schoolId' | 'topteamId' | 'schoolWindstreekId' | 'topteamWindstreekId',
  teamFunction?: TeamFunction,
): string[] {
  const ids = actor.memberships
    .filter((m) => m.role === role && (teamFunction === undefined || m.teamFunction === teamFunction))
    .map((m) => m[key])
    .filter((id): id is string => id !== null);
  return [...new Set(ids)];
}

/** True when the actor holds `role` in any scope. */
export function hasRole(actor: Actor, role: Role): boolean {
  return actor.memberships.some((m) => m.role === role);
}

/** The statement `loadActor` runs: an active user by token subject, with their current memberships ($1: the subject). */
export const ACTOR_BY_SUBJECT_SQL = `SELECT u.id AS user_id, u.subject, u.email, u.name, u.partnership_id,
            m.id AS membership_id, m.role, m.team_function, m.windstreek_id, m.school_id, m.topteam_id,
            s.windstreek_id AS school_windstreek_id, t.windstreek_id AS topteam_windstreek_id
       FROM app_user u
       LEFT JOIN membership m ON m.user_id = u.id AND m.revoked_at IS NULL AND m.partnership_id = u.partnership_id
       LEFT JOIN school s ON s.id = m.school_id
       LEFT JOIN topteam t ON t.id = m.topteam_id
      WHERE u.subject = $1 AND u.active`;

/**
 * Loads an active user by token subject with their current memberships, in one statement.
 * NOTE: this read bypasses the ability on purpose (there is no ability before the actor);
 * it reads only the caller's own rows.
 */
export async function loadActor(dataSource: DataSource, subject: string): Promise<Actor | null> {
  const rows: Array<Record<string, string | null>> = await dataSource.query(ACTOR_BY_SUBJECT_SQL, [subject]);
  if (rows.length === 0) return null;
  const first = rows[0];
  return {
    userId: first.user_id!,
    subject: first.subject!,
    email: first.email!,
    name: first.name!,
    partnershipId: first.partnership_id!,
    memberships: rows
      .filter((r) => r.membership_id !== null)
      .map((r) => ({
        id: r.membership_id!,
        role: r.role as Role,
        teamFunction: r.team_function as TeamFunction | null,
        windstreekId: r.windstreek_id,
        schoolId: r.school_id,
        topteamId: r.topteam_id,
        schoolWindstreekId: r.school_windstreek_id,
        topteamWindstreekId: r.topteam_windstreek_id,
      })),
  };
}
