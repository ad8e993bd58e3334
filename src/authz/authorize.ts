/**
 * Checks for writes. A write names its target by the row it would create or change; the
 * check runs the same rules as reads (`ability.can`), in memory, on that row.
 */
import { subject } from '@casl/ability';
import { forbidden } from '../domain/errors';
import type { Action, AppAbility } from './ability';
import type { SubjectType } from './subjects';

/**
 * Throws FORBIDDEN unless `ability` allows `action` on `row` (a plain object of `type`), or on
 * its `field`. With `row` null: unless some rule allows it on some row of `type` (a duty of the
 * caller's role over the whole partnership, such as retention). The one way a write is checked
 * in memory; a write whose rules follow relations is checked in SQL by the rules translator
 * (`accessibleQuery` with the action, as the workflow's acts do).
 */
export function assertCan(ability: AppAbility, action: Action, type: SubjectType, row: object | null, message?: string, field?: string): void {
  const target = row === null ? type : subject(type, { ...row });
  if (!ability.can(action, target as never, field)) throw forbidden(message);
}
