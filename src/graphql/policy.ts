/**
 * Default deny for operations: every Query and Mutation field declares how it is authorized,
 * and a root field without a declaration is refused (FORBIDDEN) before its resolver runs.
 *
 * - `@Guarded(subject, ...actions)`: the caller's rules for these actions on `subject` decide
 *   what the operation reads or changes (through the permission-aware read paths,
 *   `requireVisible`, `assertCan` or the workflow's acts). The declaration is the operation's
 *   entry in the access matrix (src/authz/README.md); the rules themselves do the filtering.
 * - `@OpenToEveryCaller(why)`: meant for every signed-in caller, and says why.
 *
 * A schema walk (test/graphql/operation-policies.test.ts) fails on any root field without a
 * declaration, on an unknown subject or action, and lists the open ones. The same step checks
 * every filter argument against what its fields reveal (`@Reveals`, ./reads.ts).
 */
import type { GraphQLField, GraphQLResolveInfo } from 'graphql';
import { Extensions } from 'type-graphql';
import type { Action, AppAbility } from '../authz/ability';
import type { SubjectType } from '../authz/subjects';
import { forbidden } from './errors';
import { assertFiltersReadable } from './reads';

export type OperationPolicy =
  | { kind: 'guarded'; subject: SubjectType; actions: readonly Action[] }
  | { kind: 'open'; why: string };

/** The rules for `actions` on `subject` decide what this operation reads or changes. */
export function Guarded(subject: SubjectType, ...actions: [Action, ...Action[]]): MethodDecorator {
  return Extensions({ policy: { kind: 'guarded', subject, actions } satisfies OperationPolicy });
}

/** Open to every signed-in caller, on purpose (`why` says so in the schema walk's list). */
export function OpenToEveryCaller(why: string): MethodDecorator {
  return Extensions({ policy: { kind: 'open', why } satisfies OperationPolicy });
}

/** The declared policy of a field, if any. */
export function policyOf(field: GraphQLField<unknown, unknown>): OperationPolicy | undefined {
  return (field.extensions as { policy?: OperationPolicy } | undefined)?.policy;
}

/**
 * For a Query or Mutation field: refuses it when it declares no policy (default deny), and
 * refuses a filter argument on a field the caller may not read (./reads.ts, `@Reveals`).
 * Other fields pass at the cost of two comparisons.
 */
export function assertOperationPolicy(info: GraphQLResolveInfo, ability?: AppAbility, args?: Record<string, unknown>): void {
  const { parentType, schema } = info;
  if (parentType !== schema.getQueryType() && parentType !== schema.getMutationType()) return;
  const field = parentType.getFields()[info.fieldName];
  if (!policyOf(field)) throw forbidden();
  if (ability && args && field.args.length) assertFiltersReadable(ability, field, args);
}
