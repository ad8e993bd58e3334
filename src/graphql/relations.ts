/**
 * Relation fields, declared once per relation: `belongsTo` for a foreign key (one row) and
 * `hasMany` for the rows that point back (a paginated connection). Both read through the
 * request's permission-aware loaders, so a nested field costs one batched statement for
 * all parents, and a related row the caller may not see resolves to `null` or is absent.
 * Both are nullable: a relation field the caller's field permissions exclude is `null`.
 * In a query, the relations below a root field are usually loaded beforehand, all levels in one
 * statement with the same permission conditions (./prefetch.ts); the field guard
 * (./schema.ts) then answers from those rows, and these resolvers read through the loaders only
 * where nothing was prefetched.
 */
import { Args, ClassType, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { Context } from './context';
import { Connection, ConnectionArgs, Keyset, connectionType } from './pagination';

type Row = { id: string };

/** The resolver classes of all relation fields; `buildSchema` registers them. */
export const RELATION_RESOLVERS: Function[] = [];

/** A relation field as declared here: what the one-statement prefetch of a query (./prefetch.ts) plans from. */
export type RelationSpec =
  | { kind: 'belongsTo'; target: ClassType<Row>; foreignKey: string }
  | { kind: 'hasMany'; target: ClassType<Row>; foreignKey: string; keyset: Keyset };

/** Relation fields by GraphQL type name (the parent class's name) and field name. */
const RELATIONS = new Map<string, Map<string, RelationSpec>>();

function declareRelation(parent: Function, field: string, spec: RelationSpec): void {
  if (!RELATIONS.has(parent.name)) RELATIONS.set(parent.name, new Map());
  RELATIONS.get(parent.name)!.set(field, spec);
}

/** The relation declared for `typeName.field`, or undefined for any other field. */
export function relationOf(typeName: string, field: string): RelationSpec | undefined {
  return RELATIONS.get(typeName)?.get(field);
}

/** Every declared relation (for the schema check in test/graphql/prefetch.test.ts). */
export function declaredRelations(): Array<{ typeName: string; field: string; spec: RelationSpec }> {
  return [...RELATIONS].flatMap(([typeName, fields]) => [...fields].map(([field, spec]) => ({ typeName, field, spec })));
}

/** `parent.<field>`: the `target` row that `parent.<foreignKey>` points to, or null. */
export function belongsTo<P extends object, T extends Row>(
  parent: ClassType<P>,
  field: string,
  target: ClassType<T>,
  foreignKey: keyof P & string,
  description: string,
): void {
  declareRelation(parent, field, { kind: 'belongsTo', target, foreignKey });

  @Resolver(() => parent)
  class BelongsToResolver {
    // The method is named after the field: type-graphql matches field resolvers by method name.
    @FieldResolver(() => target, { nullable: true, description })
    [field](@Root() row: P, @Ctx() ctx: Context): Promise<T | null> | null {
      const id = row[foreignKey] as unknown as string | null;
      return id ? ctx.loaders.byId(target).load(id) : null;
    }
  }
  RELATION_RESOLVERS.push(BelongsToResolver);
}

/** `parent.<field>`: a page of the `child` rows whose `foreignKey` is the parent's id. */
export function hasMany<P extends Row, C extends Row>(
  parent: ClassType<P>,
  field: string,
  child: ClassType<C>,
  foreignKey: keyof C & string,
  keyset: Keyset,
  description: string,
): void {
  const ChildConnection = connectionType(child, description);
  declareRelation(parent, field, { kind: 'hasMany', target: child, foreignKey, keyset });

  @Resolver(() => parent)
  class HasManyResolver {
    @FieldResolver(() => ChildConnection, { nullable: true, description: `${description[0].toUpperCase()}${description.slice(1)}.` })
    [field](@Root() row: P, @Args(() => ConnectionArgs) args: ConnectionArgs, @Ctx() ctx: Context): Promise<Connection<C>> {
      return ctx.loaders.children(child, foreignKey, keyset).load({ parentId: row.id, first: args.first, after: args.after });
    }
  }
  RELATION_RESOLVERS.push(HasManyResolver);
}
