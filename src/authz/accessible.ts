/**
 * CASL rules → SQL: the only way lists, counts, single reads and DataLoader batches read.
 *
 * `rulesToAST` flattens the ability's rules for one action and subject into one condition
 * (CASL's own priority semantics: a `cannot` bounds every earlier `can`). This module turns
 * that condition into a parameterised SQL fragment over TypeORM's metadata:
 *
 * - a column condition becomes a comparison (`null` becomes `IS NULL`);
 * - a relation condition (`{ trajectories: { $elemMatch: … } }`) becomes an `EXISTS`
 *   subquery on the related table, never a join, so rows are never multiplied;
 * - `$in: []` is FALSE, `$nin: []` is TRUE: an empty scope grants nothing;
 * - no rule at all means no query: `accessibleQuery` returns `null` and callers answer
 *   "nothing" without touching the database (fail closed);
 * - an unknown field or operator throws; `assertTranslatable` runs this for every rule
 *   when the ability is built.
 *
 * The same conditions serve `ability.can(...)` in memory, where a relation is an array of
 * plain objects; the property-based test proves both paths agree.
 */
import { Condition, CompoundCondition, FieldCondition, MongoQueryParser, allParsingInstructions } from '@ucast/mongo2js';
import type { MongoQuery } from '@casl/ability';
import { rulesToAST, rulesToCondition } from '@casl/ability/extra';
import { DataSource, EntityMetadata, ObjectLiteral, Repository, SelectQueryBuilder } from 'typeorm';
import type { Action, AppAbility } from './ability';
import { SubjectType, subjectTypeOf } from './subjects';
import { TRAJECTORY_PERMISSIONS } from './actions';

/** A WHERE fragment with its named parameters. */
export interface SqlFragment {
  sql: string;
  params: Record<string, unknown>;
}

/** Thrown for a rule the translator cannot express: a bug in `rules/`, caught at build time. */
export class UntranslatableRuleError extends Error {}

const TRUE = 'TRUE';
const FALSE = 'FALSE';

class Translator {
  private params: Record<string, unknown> = {};
  private aliasCount = 0;

  constructor(private readonly prefix: string) {}

  translate(condition: Condition, meta: EntityMetadata, alias: string): SqlFragment {
    const sql = this.node(condition, meta, alias);
    return { sql, params: this.params };
  }

  private param(value: unknown): string {
    const name = `${this.prefix}${Object.keys(this.params).length}`;
    this.params[name] = value;
    return `:${Array.isArray(value) ? '...' : ''}${name}`;
  }

  private node(condition: Condition, meta: EntityMetadata, alias: string): string {
    if (condition instanceof CompoundCondition || ['and', 'or', 'not'].includes(condition.operator)) {
      const parts = (condition.value as Condition[]).map((c) => this.node(c, meta, alias));
      switch (condition.operator) {
        case 'and':
          return parts.length === 0 ? TRUE : `(${parts.join(' AND ')})`;
        case 'or':
          return parts.length === 0 ? FALSE : `(${parts.join(' OR ')})`;
        case 'not':
          // COALESCE: a comparison with NULL is NULL, and NOT NULL would drop the row where
          // CASL's in-memory check (NULL does not equal the value) keeps it.
          return `NOT COALESCE((${parts.length === 0 ? TRUE : parts.join(' AND ')}), FALSE)`;
      }
    }
    if (!(condition instanceof FieldCondition) || typeof condition.field !== 'string') {
      throw new UntranslatableRuleError(`Unsupported condition "${condition.operator}" on ${meta.name}`);
    }
    if (condition.operator === 'elemMatch') return this.relation(condition, meta, alias);
    const column = meta.findColumnWithPropertyName(condition.field);
    if (!column) {
      throw new UntranslatableRuleError(`Unknown field "${condition.field}" of ${meta.name} in a rule`);
    }
    // A virtual column (computed with the row, e.g. Trajectory.careConsentValidThrough) is its query.
    const ref = column.isVirtualProperty && column.query ? `(${column.query(`"${alias}"`)})` : `"${alias}"."${column.databaseName}"`;
    const value = condition.value;
    switch (condition.operator) {
      case 'eq':
        return value === null ? `${ref} IS NULL` : `${ref} = ${this.param(value)}`;
      case 'ne':
        return value === null ? `${ref} IS NOT NULL` : `${ref} IS DISTINCT FROM ${this.param(value)}`;
      case 'in':
      case 'nin': {
        if (!Array.isArray(value)) throw new UntranslatableRuleError(`$${condition.operator} needs an array (${meta.name}.${condition.field})`);
        const values = value.filter((v) => v !== null);
        const withNull = values.length !== value.length;
        const member = values.length === 0 ? FALSE : `${ref} IN (${this.param(values)})`;
        const matches = withNull ? `(${member} OR ${ref} IS NULL)` : member;
        if (condition.operator === 'in') return matches;
        return value.length === 0 ? TRUE : `NOT COALESCE(${matches}, FALSE)`;
      }
      case 'lt':
        return `${ref} < ${this.param(value)}`;
      case 'lte':
        return `${ref} <= ${this.param(value)}`;
      case 'gt':
        return `${ref} > ${this.param(value)}`;
      case 'gte':
        return `${ref} >= ${this.param(value)}`;
      default:
        throw new UntranslatableRuleError(`Unsupported operator "$${condition.operator}" on ${meta.name}.${condition.field}`);
    }
  }

  /** `{ relation: { $elemMatch: inner } }` → EXISTS over the related table. */
  private relation(condition: FieldCondition, meta: EntityMetadata, alias: string): string {
    const relation = meta.findRelationWithPropertyPath(condition.field as string);
    if (!relation) throw new UntranslatableRuleError(`Unknown relation "${condition.field}" of ${meta.name} in a rule`);
    const target = relation.inverseEntityMetadata;
    const sub = `${alias}_${this.aliasCount++}`;
    let link: string;
    if (relation.isOneToMany && relation.inverseRelation) {
      // child.fk = parent.pk
      link = relation.inverseRelation.joinColumns
        .map((c) => `"${sub}"."${c.databaseName}" = "${alias}"."${c.referencedColumn!.databaseName}"`)
        .join(' AND ');
    } else if (relation.isManyToOne || relation.isOneToOneOwner) {
      // related.pk = row.fk
      link = relation.joinColumns
        .map((c) => `"${sub}"."${c.referencedColumn!.databaseName}" = "${alias}"."${c.databaseName}"`)
        .join(' AND ');
    } else {
      throw new UntranslatableRuleError(`Relation "${condition.field}" of ${meta.name} cannot be used in a rule`);
    }
    const inner = this.node(condition.value as Condition, target, sub);
    const where = inner === TRUE ? link : `${link} AND ${inner}`;
    return `EXISTS (SELECT 1 FROM "${target.tablePath}" "${sub}" WHERE ${where})`;
  }
}

/**
 * The permission filter of `action` on `entity` for `ability`, as SQL over `alias`; `null`
 * when no rule grants anything (then do not query at all). `prefix` names its parameters
 * (distinct prefixes let several abilities' filters share one query).
 */
export function accessibleWhere(
  ability: AppAbility,
  action: Action,
  entity: Function | SubjectType,
  alias: string,
  dataSource: DataSource,
  prefix = `authz_${alias}_`,
): SqlFragment | null {
  const ast = rulesToAST(ability, action, subjectTypeOf(entity));
  if (ast === null) return null;
  return new Translator(prefix).translate(ast, dataSource.getMetadata(entity), alias);
}

/**
 * The condition under which `ability` grants `action` on `field` of `subjectType`, as one AST;
 * `null` when no rule grants the field. CASL's own flattening (`rulesToCondition`, which
 * `rulesToAST` uses for whole rows), applied to the rules that concern this field: each `can`
 * bounded by the `cannot`s of higher priority.
 */
export function fieldRulesToAST(ability: AppAbility, action: Action, subjectType: string, field: string): Condition | null {
  return rulesToCondition(
    ability.rulesFor(action, subjectType as never, field),
    (rule): Condition => {
      if (!rule.ast) throw new UntranslatableRuleError(`A rule on ${subjectType} has no conditions AST`);
      return rule.inverted ? new CompoundCondition('not', [rule.ast]) : rule.ast;
    },
    {
      and: (conditions) => new CompoundCondition('and', conditions),
      or: (conditions) => new CompoundCondition('or', conditions),
      empty: () => new CompoundCondition('and', []),
    },
  );
}

/**
 * The rows of `entity` (over `alias`) for which `ability` grants `action` on `field`, as SQL;
 * `null` when no rule grants the field. Field permissions use it when a granting rule has a
 * relation condition, which `ability.can` on a loaded row cannot evaluate (./field-access.ts).
 */
export function accessibleFieldWhere(
  ability: AppAbility,
  action: Action,
  entity: Function | SubjectType,
  field: string,
  alias: string,
  dataSource: DataSource,
  prefix = `field_${alias}_`,
): SqlFragment | null {
  const ast = fieldRulesToAST(ability, action, subjectTypeOf(entity), field);
  if (ast === null) return null;
  return new Translator(prefix).translate(ast, dataSource.getMetadata(entity), alias);
}

const PARSER = new MongoQueryParser(allParsingInstructions);

/**
 * A domain condition written in the rules' language (a MongoQuery over `entity`'s columns and
 * relations, e.g. `consentHolds(today)`), as SQL over `alias`: so a rule that is not a
 * permission (when a consent holds) has one spelling for CASL, for memory and for SQL.
 * `prefix` keeps its parameter names apart from others in the same query.
 */
export function conditionWhere(dataSource: DataSource, entity: Function | SubjectType, condition: MongoQuery, alias: string, prefix: string): SqlFragment {
  return new Translator(prefix).translate(PARSER.parse(condition as never), dataSource.getMetadata(entity), alias);
}

/**
 * A query builder over `entity` that only ever sees rows `ability` permits for `action`,
 * or `null` when it permits none. Lists, counts, single reads and loaders start here.
 */
export function accessibleQuery<T extends ObjectLiteral>(
  ability: AppAbility,
  entity: { new (): T } | Function,
  dataSource: DataSource,
  alias: string,
  action: Action = 'read',
): SelectQueryBuilder<T> | null {
  const where = accessibleWhere(ability, action, entity, alias, dataSource);
  if (where === null) return null;
  const repository = dataSource.getRepository(entity as { new (): T }) as Repository<T>;
  return repository.createQueryBuilder(alias).where(where.sql, where.params);
}

const ACTIONS: Action[] = ['read', 'create', 'update', 'delete', 'viewLoad', 'supervise', 'aggregate', ...TRAJECTORY_PERMISSIONS];

/** Compiles every rule of `ability` once; throws `UntranslatableRuleError` for a bad one. */
export function assertTranslatable(ability: AppAbility, dataSource: DataSource): void {
  const subjects = new Set(ability.rules.flatMap((rule) => (Array.isArray(rule.subject) ? rule.subject : [rule.subject])));
  for (const subject of subjects) {
    const meta = dataSource.getMetadata(subject as string);
    for (const action of ACTIONS) {
      const ast = rulesToAST(ability, action, subject as never);
      if (ast) new Translator('check_').translate(ast, meta, 'check');
    }
  }
}
