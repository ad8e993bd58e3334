/**
 * Input validation: class-validator decorators on the input and argument classes, run by
 * type-graphql before a resolver. A failure is BAD_USER_INPUT naming the field the way the
 * client wrote it (`input.brinCode`, `filter.schoolId`, `first`), the same convention the
 * services use for their own checks (`badInput('input.birthDate', …)`).
 */
import { getMetadataStorage, validate, ValidationError } from 'class-validator';
import { getNamedType, GraphQLResolveInfo } from 'graphql';
import type { ValidatorFn } from 'type-graphql';
import { badInput } from './errors';

/** The path and message of the first failing field. */
function firstFailure(errors: ValidationError[], prefix: string): { field: string; message: string } | null {
  for (const error of errors) {
    const field = prefix ? `${prefix}.${error.property}` : error.property;
    const constraint = error.constraints && Object.values(error.constraints)[0];
    if (constraint) return { field, message: `${field}: ${constraint.replace(new RegExp(`^${error.property} `), '')}` };
    const nested = firstFailure(error.children ?? [], field);
    if (nested) return nested;
  }
  return null;
}

/** The name of the argument whose GraphQL input type is `argType`; '' for flattened `@Args` classes. */
function argumentName(argType: unknown, info: GraphQLResolveInfo): string {
  if (typeof argType !== 'function') return '';
  const field = info.parentType.getFields()[info.fieldName];
  return field?.args.find((arg) => getNamedType(arg.type).name === argType.name)?.name ?? '';
}

/** Whether instances of `type` carry any class-validator constraint (its own, inherited or nested); asked once per class. */
const constrained = new WeakMap<Function, boolean>();
function hasConstraints(type: unknown): boolean {
  if (typeof type !== 'function') return true;
  let known = constrained.get(type);
  if (known === undefined) {
    known = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false).length > 0;
    constrained.set(type, known);
  }
  return known;
}

export const validateArgument: ValidatorFn = async (value, argType, { info }) => {
  if (value === null || value === undefined || typeof value !== 'object') return;
  // Arguments without constraints (a page's `first` and `after` on a nested list, say) cost nothing.
  if (!hasConstraints(argType) && !hasConstraints((value as object).constructor)) return;
  const values = Array.isArray(value) ? value : [value];
  const prefix = argumentName(argType, info);
  for (const item of values) {
    const errors = await validate(item, { skipMissingProperties: true, forbidUnknownValues: false, validationError: { target: false, value: false } });
    const failure = firstFailure(errors, prefix);
    if (failure) throw badInput(failure.field, `Invalid input: ${failure.message}.`);
  }
};

/**
 * A service-side check of a calendar date (YYYY-MM-DD) the client gives: not after the request's
 * day in Amsterdam (`today`), else BAD_USER_INPUT naming `field`. Nothing to check when absent.
 * Returns today.
 */
export function notInFuture(ctx: { today: string }, field: string, date: string | null | undefined): string {
  const today = ctx.today;
  if (date && date > today) throw badInput(field, `${field}: lies in the future (today is ${today}).`);
  return today;
}
