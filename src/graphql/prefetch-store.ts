/**
 * Where a query's prefetched relations wait for their fields: ./prefetch.ts files them, the field
 * guard of a relation field (./schema.ts) or the compiled execution (./compiled-execution.ts)
 * reads them. A value is filed under its parent row and
 * the response path of the field without list indices (`trajectories.edges.node.school`), so the
 * same row reached under two aliases with different arguments never answers one with the other's
 * value.
 */
import type { GraphQLResolveInfo } from 'graphql';

type Path = GraphQLResolveInfo['path'];

const STORE = new WeakMap<object, Map<string, unknown>>();

/** `a.b.c` from a response path, list indices left out. */
export function pathKey(path: Path | undefined): string {
  const keys: string[] = [];
  for (let p = path; p; p = p.prev) if (typeof p.key === 'string') keys.push(p.key);
  return keys.reverse().join('.');
}

/** Files `value` as the answer of the field at `key` (a `pathKey`) of `row`. */
export function fileRelation(row: object, key: string, value: unknown): void {
  let byPath = STORE.get(row);
  if (!byPath) STORE.set(row, (byPath = new Map()));
  byPath.set(key, value);
}

/** The prefetched answer of the field at `key` (a `pathKey`) of `row`, or undefined when none was filed. */
export function prefetchedAt<T>(row: object, key: string): T | undefined {
  const byPath = STORE.get(row);
  return byPath ? (byPath.get(key) as T | undefined) : undefined;
}

/** The prefetched answer of the field `info` resolves on `row`, or undefined when none was filed. */
export function prefetched<T>(row: object, info: GraphQLResolveInfo): T | undefined {
  return STORE.has(row) ? prefetchedAt<T>(row, pathKey(info.path)) : undefined;
}
