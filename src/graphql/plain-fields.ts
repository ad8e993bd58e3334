/**
 * The fields type-graphql resolves by reading a property of the object: what the compiled read
 * path (./compiled-execution.ts) reads itself, and what the prefetch (./prefetch.ts) loads as
 * columns of a partial row.
 */
import { GraphQLSchema, isObjectType } from 'graphql';
import { getMetadataStorage } from 'type-graphql';

/** Type name → field name → the property type-graphql's own resolver reads (filled with the schema). */
const PLAIN_FIELDS = new Map<string, Map<string, string>>();

/**
 * Records the fields type-graphql resolves by reading a property of the object (its basic
 * resolver: `root[property]`, with no middleware, role or field resolver of its own): the
 * compiled execution reads them the same way. Called once, when ./schema.ts builds the schema
 * (type-graphql's metadata is complete then). Any other field
 * (a `@FieldResolver`, a relation) is not listed. A class inherits the fields of an object-type
 * superclass (entities extend `TenantRecord`), its own declarations taking precedence, as
 * type-graphql builds them.
 */
export function recordPlainFields(built: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const byTarget = new Map(storage.objectTypes.map((o) => [o.target, o]));
  const resolved = storage.fieldResolvers.map((r) => ({ type: r.getObjectType?.(), method: r.methodName }));
  const memo = new Map<Function, Map<string, string>>();
  const plainOf = (target: Function): Map<string, string> => {
    const known = memo.get(target);
    if (known) return known;
    const superClass = Object.getPrototypeOf(target) as Function;
    const fields = new Map(byTarget.has(superClass) ? plainOf(superClass) : []);
    for (const field of byTarget.get(target)?.fields ?? []) {
      const plain = !field.simple && !field.middlewares?.length && !field.roles?.length
        && !resolved.some((r) => r.type === field.target && r.method === field.name);
      if (plain) fields.set(field.schemaName, field.name);
      else fields.delete(field.schemaName);
    }
    memo.set(target, fields);
    return fields;
  };
  for (const objectType of storage.objectTypes) {
    const type = built.getType(objectType.name);
    if (!isObjectType(type)) continue;
    const inSchema = type.getFields();
    PLAIN_FIELDS.set(objectType.name, new Map([...plainOf(objectType.target)].filter(([field]) => field in inSchema)));
  }
}

/**
 * The property that `typeName.field` reads when type-graphql resolves it as a plain property of
 * the object, or undefined for a field with a resolver of its own.
 */
export function plainProperty(typeName: string, field: string): string | undefined {
  return PLAIN_FIELDS.get(typeName)?.get(field);
}
