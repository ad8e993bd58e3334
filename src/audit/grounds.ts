/**
 * On which grounds an access stood (NEN 7513: "role and membership used, legal basis or consent
 * used"), resolved for the rows of one request just before they are written.
 *
 * - Membership used: for an ALLOWED entry on a Student, Consent or Trajectory (records under a
 *   trajectory are logged as their trajectory), the first of the caller's memberships (in the
 *   order of the `Role` enum, then by id) whose own rules grant reading that row and every field
 *   the entry lists (else the one granting most of them), decided in SQL by the same rules
 *   translator the reads use: one statement per object type, and only for a caller with more
 *   than one membership (with one, it is that one). For other entries (the
 *   privacy officer reading the log, a change without a row) the first membership whose rules
 *   grant the action on the type at all. A DENIED entry names the caller's first membership: no
 *   membership granted it.
 * - Consent used: when that membership's role reads student data only under consent (Topteam:
 *   care by the Topteam; onderwijsadviseur: sharing with the partnership; AVG rule 4, src/authz/README.md),
 *   the newest consent for that purpose that holds today for the entry's student (one statement
 *   for all entries); legal basis CONSENT. When none holds (the Topteam's pseudonymised stub of
 *   a case whose consent was withdrawn or expired) and for every other role, legal basis
 *   LEGAL_TASK (the partnership's own processing, art. 17a WVO), no consent. A DENIED entry has
 *   neither: nothing was processed.
 */
import { DataSource } from 'typeorm';
import { accessibleFieldWhere, accessibleWhere, SqlFragment } from '../authz/accessible';
import { Action, AppAbility, defineAbilityFor } from '../authz/ability';
import type { Actor, ActorMembership } from '../authz/actor';
import { holdingConsents } from '../authz/holding-consents';
import { GATING_CONSENT } from '../authz/rules/student.rules';
import type { SubjectType } from '../authz/subjects';
import { AccessAction, AccessOutcome, ConsentPurpose, LegalBasis, Role } from '../domain/enums';
import type { AccessLogRow } from './access-recorder';

const ROLE_ORDER = Object.values(Role) as string[];

/** The caller's memberships in the order entries prefer them: by the `Role` enum, then id. */
export function membershipsInOrder(actor: Actor): ActorMembership[] {
  return [...actor.memberships].sort((a, b) => ROLE_ORDER.indexOf(a.role) - ROLE_ORDER.indexOf(b.role) || a.id.localeCompare(b.id));
}

/** Row types whose granting membership is decided per row (subjects: their tables through the DataSource's metadata). */
const BY_ROW: readonly SubjectType[] = ['Student', 'Consent', 'Trajectory'];

/** Log object types that are not entity names, and the subject whose rules grant them. */
const SUBJECT_OF_TYPE: Readonly<Record<string, string>> = { AccessLog: 'AccessLogEntry' };

const ACTION_OF: Readonly<Record<AccessAction, Action>> = {
  [AccessAction.READ]: 'read',
  [AccessAction.SEARCH]: 'read',
  [AccessAction.EXPORT]: 'read',
  [AccessAction.CHANGE]: 'update',
};

/** The entry's own fields (not those of records logged under it, named `<Type>.<field>`). */
const ownFields = (row: AccessLogRow): string[] => row.fields.filter((f) => !f.includes('.'));

/**
 * Per logged row of a row type, the index of the membership whose own rules grant the row AND
 * every own field the entry lists (a field-limited role, e.g. the programme coordinator's
 * pseudonym view, does not account for identity another role showed); failing that, the one
 * granting most of them. One statement per row type, a column per membership (and per field
 * for a field-limited membership).
 */
async function grantingMembership(dataSource: DataSource, abilities: AppAbility[], rows: AccessLogRow[]): Promise<Map<string, number>> {
  const chosen = new Map<string, number>();
  for (const type of BY_ROW) {
    const ofType = rows.filter((r) => r.objectType === type && r.objectId);
    if (ofType.length === 0) continue;
    const fields = [...new Set(ofType.flatMap(ownFields))].sort();
    const qb = dataSource.getRepository(type).createQueryBuilder('g').select('g.id', 'id')
      .where('g.id IN (:...groundIds)', { groundIds: [...new Set(ofType.map((r) => r.objectId!))] });
    const column = (sql: SqlFragment | null, name: string) => {
      qb.addSelect(sql ? `(${sql.sql})` : 'FALSE', name);
      if (sql) qb.setParameters(sql.params);
    };
    const limited = abilities.map((ability) => ability.rulesFor('read', type as never).some((rule) => rule.fields !== undefined));
    abilities.forEach((ability, i) => {
      column(accessibleWhere(ability, 'read', type, 'g', dataSource, `ground${i}_`), `m${i}`);
      if (limited[i]) fields.forEach((field, k) => column(accessibleFieldWhere(ability, 'read', type, field, 'g', dataSource, `ground${i}f${k}_`), `m${i}f${k}`));
    });
    const found = new Map<string, Record<string, unknown>>();
    for (const raw of await qb.getRawMany<Record<string, unknown>>()) found.set(String(raw.id), raw);
    for (const row of ofType) {
      const raw = found.get(row.objectId!);
      if (!raw) continue;
      const own = ownFields(row);
      // How many of the entry's fields each membership grants on this row (-1: not the row).
      const score = abilities.map((_, i) => {
        if (raw[`m${i}`] !== true) return -1;
        return limited[i] ? own.filter((f) => raw[`m${i}f${fields.indexOf(f)}`] === true).length : own.length;
      });
      const best = Math.max(...score);
      if (best >= 0) chosen.set(`${type}:${row.objectId}:${own.join(',')}`, score.indexOf(best));
    }
  }
  return chosen;
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
    const byRow = await grantingMembership(dataSource, abilities, allowed);
    rows.forEach((row, k) => {
      if (row.outcome !== AccessOutcome.ALLOWED) return;
      const perRow = byRow.get(`${row.objectType}:${row.objectId}:${ownFields(row).join(',')}`);
      const subject = SUBJECT_OF_TYPE[row.objectType] ?? row.objectType;
      const index = perRow ?? abilities.findIndex((a) => a.can(ACTION_OF[row.action], subject as never));
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
