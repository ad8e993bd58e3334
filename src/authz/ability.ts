/**
 * `defineAbilityFor(actor)`: the CASL ability of a caller, composed from `rules/*`; a request
 * takes it from `abilityFor`, which builds it once per (actor as loaded, day).
 *
 * Every rule is tenant-bound here, once: `can(...)` adds the caller's partnership to its
 * conditions, so no rule file can forget it and nobody reaches another partnership.
 * After composing, every rule is compiled to SQL once (`assertTranslatable`): an unknown
 * field or operator throws now, when the ability is built, not on the first query that
 * happens to use it.
 */
import { AbilityBuilder, createMongoAbility, MongoAbility, MongoQuery } from '@casl/ability';
import { DataSource } from 'typeorm';
import type { Action } from './actions';
import { Actor } from './actor';
import { assertTranslatable } from './accessible';
import { accountRules } from './rules/account.rules';
import { consentRules } from './rules/consent.rules';
import { consultationRules } from './rules/consultation.rules';
import { privacyRules } from './rules/privacy.rules';
import { structureRules } from './rules/structure.rules';
import { studentRules } from './rules/student.rules';
import { trajectoryRules } from './rules/trajectory.rules';
import { SubjectType } from './subjects';
import { workflowRules } from './rules/workflow.rules';
import { caseloadRules } from './rules/caseload.rules';
import { aggregateRules } from './rules/aggregate.rules';

export type { Action } from './actions';
export type AppAbility = MongoAbility<[Action, SubjectType | object], MongoQuery>;

/** What a rule file gets: the actor and tenant-bound `can`/`cannot`. */
export interface RuleBuilder {
  actor: Actor;
  /** The request's calendar day (YYYY-MM-DD, Europe/Amsterdam, by the injectable clock): when a consent holds depends on it. */
  today: string;
  /** Grants `action` on `subject` where `conditions` hold (and always: in the caller's partnership). */
  can(action: Action | Action[], subject: SubjectType, conditions?: MongoQuery, fields?: string[]): void;
  /** Refuses `action` on `subject` where `conditions` hold; overrides earlier `can`s. */
  cannot(action: Action | Action[], subject: SubjectType, conditions?: MongoQuery): void;
}

export type RuleSet = (rules: RuleBuilder) => void;

const RULE_SETS: RuleSet[] = [structureRules, accountRules, studentRules, consentRules, consultationRules, trajectoryRules, workflowRules, caseloadRules, privacyRules, aggregateRules];

/**
 * Test-only: with `enabled` false the rules leave the partnership out, as a translator bug
 * might, so that a test proves row-level security holds the tenant boundary on its own
 * (test/db/row-level-security.test.ts). Nothing outside that test sets it.
 */
export const tenantConditionForTesting = { enabled: true };

function tenantBound(actor: Actor, subject: SubjectType, conditions: MongoQuery = {}): MongoQuery {
  if (!tenantConditionForTesting.enabled) return conditions;
  // Partnership has no partnership_id: its own id is the tenant.
  return subject === 'Partnership'
    ? { ...conditions, id: actor.partnershipId }
    : { ...conditions, partnershipId: actor.partnershipId };
}

/**
 * Builds the ability of `actor` for the calendar day `today` (YYYY-MM-DD). Throws if a rule
 * names an unknown field or operator. A request takes its ability from `abilityFor`.
 */
export function defineAbilityFor(actor: Actor, dataSource: DataSource, today: string): AppAbility {
  const builder = new AbilityBuilder<AppAbility>(createMongoAbility);
  const rules: RuleBuilder = {
    actor,
    today,
    can: (action, subject, conditions, fields) =>
      fields
        ? builder.can(action, subject, fields, tenantBound(actor, subject, conditions))
        : builder.can(action, subject, tenantBound(actor, subject, conditions)),
    cannot: (action, subject, conditions) => builder.cannot(action, subject, tenantBound(actor, subject, conditions)),
  };
  for (const ruleSet of RULE_SETS) ruleSet(rules);
  const ability = builder.build();
  assertTranslatable(ability, dataSource);
  return ability;
}

/**
 * Abilities kept; beyond it the least recently used goes, and is built again when next needed.
 * One takes about 30 KB (a programme coordinator) to 120 KB (five memberships) with CASL's
 * indexes filled: at most some 30 MB for the callers active now.
 */
const ABILITIES_KEPT = 256;

/** Built abilities per data source (whose metadata they were checked against), by `abilityKey`. */
const built = new WeakMap<DataSource, Map<string, AppAbility>>();

/**
 * Everything an ability is built from: the actor exactly as loaded (user, partnership and every
 * current membership with its scopes), the day, and the test-only tenant switch. The rule files
 * read nothing else (`RuleBuilder`).
 */
function abilityKey(actor: Actor, today: string): string {
  return JSON.stringify([today, tenantConditionForTesting.enabled, actor]);
}

/**
 * The ability of one request: `defineAbilityFor`, built once per (actor as loaded, day) and
 * shared by the requests that follow, so a caller's next request does not compose and check
 * every rule again. Safe because an ability is a pure function of its key and is never changed
 * once built: nothing calls `update` on it, and what is memoised on it (CASL's rule index,
 * ./field-access.ts's field restrictions) follows from its rules alone; a request's own state
 * (loaders, the access recorder, prefetched rows) lives in its context. The actor is loaded
 * from the database on every request (./actor.ts), so a revoked or new membership, a changed
 * scope or a new day makes a different key and a new ability on the very next request.
 */
export function abilityFor(actor: Actor, dataSource: DataSource, today: string): AppAbility {
  let abilities = built.get(dataSource);
  if (!abilities) built.set(dataSource, (abilities = new Map()));
  const key = abilityKey(actor, today);
  let ability = abilities.get(key);
  if (ability) {
    // Most recently used last: a Map iterates in insertion order.
    abilities.delete(key);
  } else {
    ability = defineAbilityFor(actor, dataSource, today);
    if (abilities.size >= ABILITIES_KEPT) abilities.delete(abilities.keys().next().value!);
  }
  abilities.set(key, ability);
  return ability;
}
