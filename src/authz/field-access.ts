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

type Rule = ReturnType<AppAbility['rulesFor']>[number];

/**
 * How the caller's rules decide reading one field of one subject, worked out once per ability,
 * subject and field (an ability is built once per caller and day, src/authz/ability.ts), so a
 * row's field costs a lookup instead of CASL filtering and walking its rules anew.
 */
interface FieldRules {
  /** The rules that concern the field, in CASL's priority order (`rulesFor`). */
  rules: readonly Rule[];
  /** Some rule follows a relation: memory alone cannot decide. */
  relation: boolean;
  /** Some rule is a `cannot`. */
  inverted: boolean;
  /**
   * The answer for every row, where one exists: false when no rule concerns the field, the first
   * rule's when it has no conditions (it matches every row, so CASL stops there).
   */
  verdict: boolean | undefined;
}

const fieldRulesOf = new WeakMap<AppAbility, Map<string, Map<string, FieldRules>>>();

function fieldRules(ability: AppAbility, subjectType: string, field: string): FieldRules {
  let bySubject = fieldRulesOf.get(ability);
  if (!bySubject) fieldRulesOf.set(ability, (bySubject = new Map()));
  let byField = bySubject.get(subjectType);
  if (!byField) bySubject.set(subjectType, (byField = new Map()));
  let known = byField.get(field);
  if (!known) {
    const rules = ability.rulesFor('read', subjectType as never, field);
    const first = rules[0];
    known = {
      rules,
      relation: rules.some((rule) => hasRelationCondition(rule.conditions)),
      inverted: rules.some((rule) => rule.inverted),
      verdict: first === undefined ? false : first.conditions === undefined ? !first.inverted : undefined,
    };
    byField.set(field, known);
  }
  return known;
}

/** `ability.can('read', row, field)` over the field's rules: the first rule whose conditions the row meets decides. */
function grantedInMemory(rules: readonly Rule[], row: unknown): boolean {
  for (const rule of rules) if (rule.matchesConditions(row as never)) return !rule.inverted;
  return false;
}

/** Whether the rules grant reading `field` of the loaded `row` (of `subjectType`), decided in SQL, batched per request. */
async function grantedInSql(context: FieldCheckContext, subjectType: SubjectType, row: { id?: unknown }, field: string, rules: readonly Rule[]): Promise<boolean> {
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
  const decided = fieldRules(context.ability, subjectType, field);
  if (decided.verdict !== undefined) return decided.verdict;
  // Memory is exact unless a rule follows a relation: a granting one may match where memory
  // says no, a refusing one (`cannot`) may match where memory says yes. Then SQL decides.
  if (!decided.relation) return grantedInMemory(decided.rules, root);
  if (!decided.inverted && grantedInMemory(decided.rules, root)) return true;
  return grantedInSql(context, subjectType, root as { id?: unknown }, field, decided.rules);
}
