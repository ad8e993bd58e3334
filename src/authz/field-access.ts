/**
 * Field permissions: whether the caller may read a field of a loaded row (`mayReadField`). The
 * GraphQL layer resolves a field that the caller's rules do not grant to `null` (AVG rule 1,
 * src/authz/README.md; the guard that applies it is in src/graphql/schema.ts).
 *
 * Only subjects for which some rule of the caller lists `fields` are checked, so the common
 * case costs one map lookup. The check is `ability.can` on the loaded row, which is exact for
 * column conditions (consent state and the student's mentor are loaded with the row as virtual
 * columns for this). A relation condition (`$elemMatch`) cannot be evaluated on a loaded row:
 * when a rule concerning the field follows a relation (a `can` that memory would miss, or a
 * `cannot` that memory would overlook), the rows are asked in SQL instead, with the same rules
 * translated for that field (`accessibleFieldWhere`, CASL's priority order), batched per
 * request and per set of deciding rules, so a list costs one more statement, not one per row. This matters for a caller who combines a field-limited
 * role (e.g. the programme coordinator's planning view) with a relation-scoped one (e.g. an
 * advisor's case summary): each row shows what either grants.
 */
import type { DataSource } from 'typeorm';
import type { AppAbility } from './ability';
import { accessibleFieldWhere } from './accessible';
import { SubjectType, subjectOfRow } from './subjects';

const restrictedSubjects = new WeakMap<AppAbility, Map<string, boolean>>();

function isFieldRestricted(ability: AppAbility, subjectType: string): boolean {
  let bySubject = restrictedSubjects.get(ability);
  if (!bySubject) restrictedSubjects.set(ability, (bySubject = new Map()));
  let restricted = bySubject.get(subjectType);
  if (restricted === undefined) {
    restricted = ability.rulesFor('read', subjectType as never).some((rule) => rule.fields !== undefined);
    bySubject.set(subjectType, restricted);
  }
  return restricted;
}

const testedProperties = new WeakMap<AppAbility, Map<string, readonly string[]>>();

/** The property names a condition (a MongoQuery) tests, at its top level and below `$and`, `$or`, `$not`, `$nor`. */
function conditionProperties(conditions: unknown, into: Set<string>): void {
  if (Array.isArray(conditions)) {
    for (const c of conditions) conditionProperties(c, into);
    return;
  }
  if (!conditions || typeof conditions !== 'object') return;
  for (const [key, value] of Object.entries(conditions)) {
    if (key.startsWith('$')) conditionProperties(value, into);
    else into.add(key.split('.')[0]);
  }
}

/**
 * The properties of a row of `subjectType` that the caller's rules test (any rule naming the
 * subject or all subjects, any action): what a loaded row must hold for `mayReadField` to decide
 * as on the whole row (a partial row of the compiled read path, src/graphql/prefetch.ts). Once per
 * ability and subject.
 */
export function propertiesTestedByRules(ability: AppAbility, subjectType: string): readonly string[] {
  let bySubject = testedProperties.get(ability);
  if (!bySubject) testedProperties.set(ability, (bySubject = new Map()));
  let known = bySubject.get(subjectType);
  if (!known) {
    const properties = new Set<string>();
    for (const rule of ability.rules) {
      const subjects = ([] as unknown[]).concat(rule.subject ?? []);
      if (subjects.includes(subjectType) || subjects.includes('all')) conditionProperties(rule.conditions, properties);
    }
    bySubject.set(subjectType, (known = [...properties]));
  }
  return known;
}

/** Whether a condition (MongoQuery) follows a relation somewhere: then memory cannot decide it. */
function hasRelationCondition(conditions: unknown): boolean {
  if (!conditions || typeof conditions !== 'object') return false;
  return Object.entries(conditions).some(([key, value]) => key === '$elemMatch' || hasRelationCondition(value));
}

/** Whether the rules grant reading `field` of the loaded `row` (of `subjectType`), decided in SQL, batched per request. */
async function grantedInSql(context: FieldCheckContext, subjectType: SubjectType, row: { id?: unknown }, field: string): Promise<boolean> {
  const rules = context.ability.rulesFor('read', subjectType as never, field);
  if (typeof row.id !== 'string') return false;
  // Fields decided by the same rules share one batch (a rule's priority is unique in its ability).
  const key = `fieldGrant:${subjectType}:${rules.map((rule) => rule.priority).join(',')}`;
  const loader = context.loaders.custom<string, boolean>(key, async (ids) => {
    const where = accessibleFieldWhere(context.ability, 'read', subjectType, field, 'fg', context.dataSource);
    if (!where) return ids.map(() => false);
    const rows: Array<{ id: string }> = await context.dataSource
      .getRepository(subjectType)
      .createQueryBuilder('fg')
      .select('fg.id', 'id')
      .where('fg.id IN (:...fieldGrantIds)', { fieldGrantIds: [...ids] })
      .andWhere(where.sql, where.params)
      .getRawMany();
    const granted = new Set(rows.map((r) => r.id));
    return ids.map((id) => granted.has(id));
  });
  return loader.load(row.id);
}

/** What the field check needs of the request (src/graphql/context.ts provides it). */
export interface FieldCheckContext {
  ability: AppAbility;
  dataSource: DataSource;
  /** The request's DataLoaders: one batch per key, so a list costs one statement, not one per row. */
  loaders: { custom<K, V>(key: string, batch: (keys: readonly K[]) => Promise<V[]>): { load(key: K): Promise<V> } };
}

/**
 * Whether the caller may read `field` of `root`, a value some resolver returned: true for
 * anything that is not a loaded entity of a subject the caller's rules limit by field.
 * Answered at once (a boolean) when memory decides, which is nearly always; a promise only
 * when SQL must (a relation condition), so the common field costs no promise.
 */
export function mayReadField(context: FieldCheckContext, root: unknown, field: string): boolean | Promise<boolean> {
  const subjectType = subjectOfRow(root);
  if (subjectType === undefined || !isFieldRestricted(context.ability, subjectType)) return true;
  const rules = context.ability.rulesFor('read', subjectType as never, field);
  // Memory is exact unless a rule follows a relation: a granting one may match where memory
  // says no, a refusing one (`cannot`) may match where memory says yes. Then SQL decides.
  if (!rules.some((rule) => hasRelationCondition(rule.conditions))) return context.ability.can('read', root as never, field);
  if (!rules.some((rule) => rule.inverted) && context.ability.can('read', root as never, field)) return true;
  return grantedInSql(context, subjectType, root as { id?: unknown }, field);
}
