/**
 * Per-request DataLoaders, built with the caller's ability baked in: every batch reads
 * through `accessibleQuery`, so a loader can never return a row its caller may not see.
 *
 * - `byId(Entity)`: one statement per batch of ids; a hidden or missing id resolves to null.
 * - `children(Entity, fk, keyset)`: one page of children for many parents in one statement
 *   (`row_number() OVER (PARTITION BY fk)`, since LIMIT would cut across parents).
 * - `childCount(Entity, fk)`: the matching `totalCount`s in one grouped statement.
 *
 * A nested list therefore costs a fixed number of statements however many parents it has.
 */
import DataLoader from 'dataloader';
import { DataSource, ObjectLiteral } from 'typeorm';
import { accessibleQuery } from '../authz/accessible';
import type { AppAbility } from '../authz/ability';
import { ConnectionArgs, Connection, Keyset, PageReading, applyKeyset, keysetOrderSql, pageSize, readRows, toConnection } from './pagination';
import { getEntities } from './row-mapping';

type Row = ObjectLiteral & { id: string };
type EntityClass<T> = { new (): T };

interface ChildKey {
  parentId: string;
  first?: number;
  after?: string;
}

export class Loaders {
  private readonly cache = new Map<string, DataLoader<unknown, unknown, string>>();

  /** How a compiled read wants rows read while its root fields run (`readWith`): the one home of the request's readings. */
  private readings: ReadonlyMap<Function, PageReading> | undefined;

  constructor(
    private readonly ability: AppAbility,
    private readonly dataSource: DataSource,
  ) {}

  /**
   * While a compiled read's root fields run (./compiled-execution.ts `pageReadings`; undefined
   * after): per entity, how its rows are read: partial rows (./row-mapping.ts), and, for the one
   * root field of its entity, its count and the relations below its rows in the same statement.
   * A page (`listPage`, ./reads.ts, through `readingOf`) and a row read by id (`byId`) alike; an
   * entity that is absent is read as ever. Kept here, with the loaders every read of the request
   * reaches, in one place.
   */
  readWith(readings: ReadonlyMap<Function, PageReading> | undefined): void {
    this.readings = readings;
  }

  /** How a compiled read wants `entity`'s rows read (`readWith`), or undefined. */
  readingOf(entity: Function): PageReading | undefined {
    return this.readings?.get(entity);
  }

  /** Forgets every loader and what it cached (after a mutation field's work was undone). */
  clear(): void {
    this.cache.clear();
  }

  /** A loader of this request under `key`, made on first use (for module-specific batches). */
  custom<K, V>(key: string, batch: (keys: readonly K[]) => Promise<V[]>): DataLoader<K, V, string> {
    return this.memo(`custom:${key}`, () => new DataLoader<K, V, string>(batch));
  }

  private memo<K, V>(key: string, make: () => DataLoader<K, V, string>): DataLoader<K, V, string> {
    let loader = this.cache.get(key);
    if (!loader) {
      loader = make() as DataLoader<unknown, unknown, string>;
      this.cache.set(key, loader);
    }
    return loader as unknown as DataLoader<K, V, string>;
  }

  /** Rows of `entity` by id, null where missing or not permitted. */
  byId<T extends Row>(entity: EntityClass<T>): DataLoader<string, T | null, string> {
    return this.memo(`byId:${entity.name}`, () =>
      new DataLoader<string, T | null, string>(async (ids) => {
        const qb = accessibleQuery<T>(this.ability, entity, this.dataSource, 'row');
        if (qb === null) return ids.map(() => null);
        qb.andWhere('"row"."id" IN (:...ids)', { ids: [...ids] });
        const reading = this.readingOf(entity);
        const rows = reading ? await readRows(qb, 'row', reading) : await getEntities(qb);
        const byId = new Map(rows.map((r) => [r.id, r]));
        return ids.map((id) => byId.get(id) ?? null);
      }, { cacheKeyFn: (id) => id }),
    );
  }

  /** A page of the permitted children of each parent, ordered by `keyset`. */
  children<T extends Row>(entity: EntityClass<T>, foreignKey: keyof T & string, keyset: Keyset): DataLoader<ChildKey, Connection<T>, string> {
    return this.memo(`children:${entity.name}:${foreignKey}:${keyset.property}:${keyset.direction}`, () =>
      new DataLoader<ChildKey, Connection<T>, string>(
        async (keys) => {
          // Keys with the same page arguments share one statement.
          const groups = new Map<string, ChildKey[]>();
          for (const key of keys) {
            const group = `${key.first ?? ''}|${key.after ?? ''}`;
            groups.set(group, [...(groups.get(group) ?? []), key]);
          }
          const results = new Map<string, Connection<T>>();
          for (const group of groups.values()) {
            const args: ConnectionArgs = { first: group[0].first, after: group[0].after };
            const pages = await this.loadChildPages(entity, foreignKey, keyset, args, group.map((k) => k.parentId));
            for (const key of group) results.set(childKeyString(key), pages.get(key.parentId)!);
          }
          return keys.map((key) => results.get(childKeyString(key))!);
        },
        { cacheKeyFn: childKeyString },
      ),
    );
  }

  private async loadChildPages<T extends Row>(
    entity: EntityClass<T>,
    foreignKey: keyof T & string,
    keyset: Keyset,
    args: ConnectionArgs,
    parentIds: string[],
  ): Promise<Map<string, Connection<T>>> {
    const limit = pageSize(args);
    const count = (parentId: string) => () => this.childCount(entity, foreignKey).load(parentId);
    const pages = new Map<string, Connection<T>>(parentIds.map((id) => [id, Connection.empty<T>()]));
    const ranked = accessibleQuery<T>(this.ability, entity, this.dataSource, 'ranked');
    const outer = accessibleQuery<T>(this.ability, entity, this.dataSource, 'child');
    if (ranked === null || outer === null) return pages;
    const fkColumn = `"ranked"."${columnName(this.dataSource, entity, foreignKey)}"`;
    applyKeyset(ranked, 'ranked', keyset, args.after);
    const order = keysetOrderSql(ranked, 'ranked', keyset);
    ranked
      .andWhere(`${fkColumn} IN (:...parentIds)`, { parentIds })
      .select('"ranked"."id"', 'id')
      .addSelect(`row_number() OVER (PARTITION BY ${fkColumn} ORDER BY ${order})`, 'rn')
      .orderBy();
    // The inner query keeps its named parameters; the outer one hydrates real entities.
    outer.andWhere(`"child"."id" IN (SELECT "id" FROM (${ranked.getQuery()}) "page" WHERE "page"."rn" <= :pageLimit)`, {
      ...ranked.getParameters(),
      pageLimit: limit + 1,
    });
    const rows = await getEntities(applyKeyset(outer, 'child', keyset, undefined));
    const byParent = new Map<string, T[]>();
    for (const row of rows) {
      const parentId = String(row[foreignKey]);
      byParent.set(parentId, [...(byParent.get(parentId) ?? []), row]);
    }
    for (const parentId of parentIds) pages.set(parentId, toConnection(byParent.get(parentId) ?? [], limit, keyset, count(parentId)));
    return pages;
  }

  /** Number of permitted children per parent, for `totalCount` of nested connections. */
  childCount<T extends Row>(entity: EntityClass<T>, foreignKey: keyof T & string): DataLoader<string, number, string> {
    return this.memo(`childCount:${entity.name}:${foreignKey}`, () =>
      new DataLoader<string, number, string>(async (parentIds) => {
        const qb = accessibleQuery<T>(this.ability, entity, this.dataSource, 'counted');
        if (qb === null) return parentIds.map(() => 0);
        const fk = `"counted"."${columnName(this.dataSource, entity, foreignKey)}"`;
        const rows: Array<{ parent: string; n: string }> = await qb
          .select(fk, 'parent')
          .addSelect('count(*)', 'n')
          .andWhere(`${fk} IN (:...parentIds)`, { parentIds: [...parentIds] })
          .groupBy(fk)
          .getRawMany();
        const counts = new Map(rows.map((r) => [r.parent, Number(r.n)]));
        return parentIds.map((id) => counts.get(id) ?? 0);
      }),
    );
  }
}

function childKeyString(key: ChildKey): string {
  return `${key.parentId}|${key.first ?? ''}|${key.after ?? ''}`;
}

function columnName(dataSource: DataSource, entity: Function, property: string): string {
  const column = dataSource.getMetadata(entity).findColumnWithPropertyName(property);
  if (!column) throw new Error(`${entity.name}.${property} is not a column`);
  return column.databaseName;
}
