/**
 * On which grounds an access stood (NEN 7513: "role and membership used, legal basis or consent
 * used"), resolved for the rows of one request just before they are written.
 *
 * - Membership used: for an ALLOWED entry on a Student, Consent or Trajectory (records under a
 *   trajectory are logged as their trajectory), the first of the caller's memberships (in the
 *   order of the `Role` enum, then by id) whose own rules grant reading that row, decided in SQL
 *   by the same rules translator the reads use: one statement per object type, and only for a
 *   caller with more than one membership (with one, it is that one). For other entries (the
 *   privacy officer reading the log, a change without a row) the first membership whose rules
 *   grant the action on the type at all. A DENIED entry names the caller's first membership: no
 *   membership granted it.
 * - Consent used: when that membership's role reads student data only under consent (Topteam:
 *   care by the Topteam; onderwijsadviseur: sharing with the partnership; ACCESS.md rule 4),
 *   the newest consent for that purpose that holds today for the entry's student (one statement
 *   for all entries); legal basis CONSENT. When none holds (the Topteam's pseudonymised stub of
 *   a case whose consent was withdrawn or expired) and for every other role, legal basis
 *   LEGAL_TASK (the partnership's own processing, art. 17a WVO), no consent. A DENIED entry has
 *   neither: nothing was processed.
 */
import { DataSource, ObjectLiteral } from 'typeorm';
import { accessibleWhere } from '../authz/accessible';
import { Action, AppAbility, defineAbilityFor } from '../authz/ability';
import type { Actor, ActorMembership } from '../authz/actor';
import { GATING_CONSENT } from '../authz/rules/student.rules';
import { AccessAction, AccessOutcome, ConsentPurpose, LegalBasis, Role } from '../domain/enums';
import { Consent } from '../modules/consents/consent.entity';
import { holdingConsents } from '../modules/consents/holding-consents';
import { Student } from '../modules/students/student.entity';
import { Trajectory } from '../modules/trajectories/trajectory.entity';
import type { AccessLogRow } from './access-recorder';

const ROLE_ORDER = Object.values(Role) as string[];

/** The caller's memberships in the order entries prefer them: by the `Role` enum, then id. */
export function membershipsInOrder(actor: Actor): ActorMembership[] {
  return [...actor.memberships].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.id.localeCompare(b.id));
}

/** Row types whose granting membership is decided per row, with their entity. */
const BY_ROW: Readonly<Record<string, { new (): ObjectLiteral }>> = { Student, Consent, Trajectory };

/** Log object types that are not entity names, and the subject whose rules grant them. */
const SUBJECT_OF_TYPE: Readonly<Record<string, string>> = { AccessLog: 'AccessLogEntry' };

const ACTION_OF: Readonly<Record<AccessAction, Action>> = {
  [AccessAction.READ]: 'read',
  [AccessAction.SEARCH]: 'read',
  [AccessAction.EXPORT]: 'read',
  [AccessAction.CHANGE]: 'update',
};

/** Per row type, the ids each membership (by index) may read: one statement per type. */
async function grantsByRow(dataSource: DataSource, abilities: AppAbility[], rows: AccessLogRow[]): Promise<Map<string, Set<number>>> {
  const granted = new Map<string, Set<number>>();
  for (const [type, entity] of Object.entries(BY_ROW)) {
    const ids = [...new Set(rows.filter((r) => r.objectType === type && r.objectId).map((r) => r.objectId!))];
    if (ids.length === 0) continue;
    const qb = dataSource.getRepository(entity).createQueryBuilder('g').select('g.id', 'id').where('g.id IN (:...groundIds)', { groundIds: ids });
    abilities.forEach((ability, i) => {
      const where = accessibleWhere(ability, 'read', entity, 'g', dataSource, `ground${i}_`);
      qb.addSelect(where ? `(${where.sql})` : 'FALSE', `m${i}`);
      if (where) qb.setParameters(where.params);
    });
    const found: Array<Record<string, unknown>> = await qb.getRawMany();
    for (const row of found) {
      granted.set(`${type}:${row.id}`, new Set(abilities.map((_, i) => i).filter((i) => row[`m${i}`] === true)));
    }
  }
  return granted;
}

/**
 * Sets membership, role, legal basis and consent on `rows` (one request of `actor`, on the
 * calendar day `today`), as the header describes. At most one statement per row type and one
 * for the consents, none for a caller with one membership and no consent-gated role.
 */
export async function applyGrounds(dataSource: DataSource, actor: Actor, today: string, rows: AccessLogRow[]): Promise<void> {
  const memberships = membershipsInOrder(actor);
  const first = memberships[0] ?? null;
  const chosen: Array<ActorMembership | null> = rows.map(() => first);

  if (memberships.length > 1) {
    const abilities = memberships.map((m) => defineAbilityFor({ ...actor, memberships: [m] }, dataSource, today));
    const allowed = rows.filter((r) => r.outcome === AccessOutcome.ALLOWED);
    const byRow = await grantsByRow(dataSource, abilities, allowed);
    rows.forEach((row, k) => {
      if (row.outcome !== AccessOutcome.ALLOWED) return;
      const perRow = row.objectId ? byRow.get(`${row.objectType}:${row.objectId}`) : undefined;
      const subject = SUBJECT_OF_TYPE[row.objectType] ?? row.objectType;
      const index = perRow
        ? memberships.findIndex((_, i) => perRow.has(i))
        : abilities.findIndex((a) => a.can(ACTION_OF[row.action], subject as never));
      if (index >= 0) chosen[k] = memberships[index];
    });
  }

  // The consents the consent-gated entries stood on.
  const purposeOf = (m: ActorMembership | null): ConsentPurpose | null =>
    m && m.role in GATING_CONSENT ? GATING_CONSENT[m.role as keyof typeof GATING_CONSENT] : null;
  const gated = rows.filter((r, k) => r.outcome === AccessOutcome.ALLOWED && r.studentId && purposeOf(chosen[k]));
  const purposes = [...new Set(rows.map((_, k) => purposeOf(chosen[k])).filter((p): p is ConsentPurpose => p !== null))];
  const holding = await holdingConsents(dataSource, gated.map((r) => r.studentId!), purposes, today);
  const consentFor = new Map<string, string>();
  for (const c of holding) if (!consentFor.has(`${c.studentId}:${c.purpose}`)) consentFor.set(`${c.studentId}:${c.purpose}`, c.id);

  rows.forEach((row, k) => {
    const membership = chosen[k];
    row.membershipId = membership?.id ?? null;
    row.role = membership?.role ?? null;
    if (row.outcome !== AccessOutcome.ALLOWED || membership === null) {
      row.legalBasis = null;
      row.consentId = null;
      return;
    }
    const purpose = purposeOf(membership);
    const consentId = purpose && row.studentId ? consentFor.get(`${row.studentId}:${purpose}`) ?? null : null;
    row.consentId = consentId;
    row.legalBasis = consentId ? LegalBasis.CONSENT : LegalBasis.LEGAL_TASK;
  });
}
