/**
 * Field permissions as a type-graphql global middleware: a field of an entity that the
 * caller's rules do not grant resolves to `null` (ACCESS.md, rule 1).
 *
 * Only subjects for which some rule of the caller lists `fields` are checked, so the common
 * case costs one map lookup. The check runs `ability.can` on the loaded row: relation
 * conditions (`$elemMatch`) see no loaded relations there and do not match, so for a caller
 * who combines a field-limited role with a relation-scoped one the result errs towards
 * `null`, never towards disclosure. NOTE: the AVG issue replaces this with per-row rule
 * flags computed in SQL.
 */
import { MiddlewareFn } from 'type-graphql';
import type { Context } from '../graphql/context';
import type { AppAbility } from './ability';
import { SUBJECT_ENTITIES } from './subjects';

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

export const fieldAccess: MiddlewareFn<Context> = async ({ root, info, context }, next) => {
  const subjectType = root && typeof root === 'object' ? (root as object).constructor.name : undefined;
  if (
    subjectType !== undefined &&
    SUBJECT_ENTITIES.get(subjectType) === (root as object).constructor &&
    isFieldRestricted(context.ability, subjectType) &&
    !context.ability.can('read', root as never, info.fieldName)
  ) {
    return null;
  }
  // What is resolved for the caller is what the access log records (src/audit).
  context.access?.see(root, info.fieldName, info);
  return next();
};
