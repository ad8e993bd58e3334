/**
 * Checks for writes. A write names its target by the row it would create or change; the
 * check runs the same rules as reads (`ability.can`), in memory, on that row.
 */
import { subject } from '@casl/ability';
import { forbidden } from '../domain/errors';
import type { Action, AppAbility } from './ability';
import type { SubjectType } from './subjects';

/** Throws FORBIDDEN unless `ability` allows `action` on `row` (a plain object of `type`), or on its `field`. */
export function assertCan(ability: AppAbility, action: Action, type: SubjectType, row: object, message?: string, field?: string): void {
  if (!ability.can(action, subject(type, { ...row }) as never, field)) throw forbidden(message);
}
