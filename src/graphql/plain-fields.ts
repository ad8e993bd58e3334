/**
 * The fields type-graphql resolves by reading a property of the object: what the compiled read
 * path (./compiled-execution.ts) reads itself, and what the prefetch (./prefetch.ts) loads as
 * columns of a partial row. And the field resolvers that need nothing but the row and the
 * request's context (no arguments, no resolve info, no middleware), which the compiled read path
 * calls itself, as type-graphql would.
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

/** A field resolver of the row and the context alone. */
export type SimpleResolver = (root: object, context: unknown) => unknown;

/** Type name → field name → its simple field resolver (filled with the schema). */
const SIMPLE_RESOLVERS = new Map<string, Map<string, SimpleResolver>>();

/**
 * Records the `@FieldResolver` methods whose parameters are only the row (`@Root()`) and the
 * context (`@Ctx()`), without middleware or roles, and that are not declared to return a
 * promise: called by the compiled read path with the same two values, on one instance of their
 * resolver class (type-graphql's default container keeps one per class too). One that answers
 * with a promise after all leaves its query to graphql-js. Called with `recordPlainFields`.
 */
export function recordSimpleResolvers(built: GraphQLSchema): void {
  const storage = getMetadataStorage();
  const instances = new Map<Function, Record<string, (...args: unknown[]) => unknown>>();
  for (const resolver of storage.fieldResolvers) {
    if (resolver.kind !== 'external' || resolver.middlewares?.length || resolver.roles?.length) continue;
    const objectType = resolver.getObjectType?.();
    const typeName = storage.objectTypes.find((o) => o.target === objectType)?.name;
    const type = typeName ? built.getType(typeName) : undefined;
    if (!typeName || !isObjectType(type) || !(resolver.schemaName in type.getFields())) continue;
    const params = [...(resolver.params ?? [])].sort((a, b) => a.index - b.index);
    const simple = params.every((p, i) => p.index === i && (p.kind === 'root' || p.kind === 'context') && p.propertyName === undefined);
    // A method declared to return a promise reads more than the row: left to graphql-js.
    const returns = Reflect.getMetadata('design:returntype', resolver.target.prototype, resolver.methodName) as unknown;
    if (!simple || returns === Promise) continue;
    let instance = instances.get(resolver.target);
    if (!instance) instances.set(resolver.target, (instance = new (resolver.target as new () => Record<string, (...args: unknown[]) => unknown>)()));
    const method = instance[resolver.methodName].bind(instance);
    const kinds = params.map((p) => p.kind);
    const call: SimpleResolver = (root, context) => method(...kinds.map((kind) => (kind === 'root' ? root : context)));
    if (!SIMPLE_RESOLVERS.has(typeName)) SIMPLE_RESOLVERS.set(typeName, new Map());
    SIMPLE_RESOLVERS.get(typeName)!.set(resolver.schemaName, call);
  }
}

/** The simple field resolver of `typeName.field` (see `recordSimpleResolvers`), or undefined. */
export function simpleResolver(typeName: string, field: string): SimpleResolver | undefined {
  return SIMPLE_RESOLVERS.get(typeName)?.get(field);
}
