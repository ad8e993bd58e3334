/**
 * The one-statement prefetch of a query's relations (src/graphql/prefetch.ts) changes where rows
 * come from, never what anybody sees or what the access log records.
 *
 * On the demo data, for a demo user of every role (and every user with several roles) and for a query per list of the schema that selects every
 * field and, two levels deep, every relation (generated from the schema, so a new field or
 * relation is covered without editing this file), the answer and the access-log entries the
 * request writes must be identical with `READ_PREFETCH` on and off; with it on, the statements
 * must be fewer wherever a relation below the rows was selected (at most one more: the prefetch
 * itself, where rows below a field that is not a declared relation still need the loaders). And the prefetch's row mapping
 * must give, for every entity, the same instance TypeORM's hydration gives.
 */
import {
  GraphQLField, GraphQLNamedType, GraphQLObjectType, GraphQLSchema, getNamedType, isLeafType, isNonNullType, isObjectType,
} from 'graphql';
import { seedDemoData } from '../../src/demo/seed';
import { ENTITIES } from '../../src/app/entities';
import { getSchema } from '../../src/graphql/schema';
import { mappedRows } from '../../src/graphql/prefetch';
import { declaredRelations } from '../../src/graphql/relations';
import { isSubjectType, subjectOfRow } from '../../src/authz/subjects';
import { Student } from '../../src/modules/students/student.entity';
import { UnloadedColumn, getEntities, rowColumns } from '../../src/graphql/row-mapping';
import { startTestApp, TestApp } from '../setup/app';

jest.setTimeout(300_000);

const TODAY = new Date('2026-11-20T09:00:00Z');
let app: TestApp;
let users: string[];

beforeAll(async () => {
  app = await startTestApp({ now: TODAY, ownDatabase: true });
  await seedDemoData(app.dataSource, app.config, TODAY);
  // One demo user per role (the first by e-mail), and every user who holds more than one role.
  users = (await app.dataSource.query(
    `SELECT email FROM (
       SELECT DISTINCT ON (m.role) u.email FROM app_user u JOIN membership m ON m.user_id = u.id WHERE m.revoked_at IS NULL ORDER BY m.role, u.email) per_role
     UNION
     SELECT u.email FROM app_user u JOIN membership m ON m.user_id = u.id WHERE m.revoked_at IS NULL GROUP BY u.email HAVING count(DISTINCT m.role) > 1
     ORDER BY email`,
  )).map((r: { email: string }) => r.email);
});
afterAll(() => app.stop());

const isConnection = (type: GraphQLNamedType): type is GraphQLObjectType => isObjectType(type) && type.name.endsWith('Connection');
const optionalArgsOnly = (field: GraphQLField<unknown, unknown>) => field.args.every((a) => !isNonNullType(a.type));

/** Every field of `type` without required arguments; object fields down to `depth` 2, connections paged by 3. */
function selection(schema: GraphQLSchema, type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const field of Object.values(type.getFields())) {
    if (!optionalArgsOnly(field)) continue;
    const named = getNamedType(field.type);
    if (isLeafType(named)) {
      parts.push(field.name);
    } else if (isConnection(named)) {
      if (depth >= 2) continue;
      const node = getNamedType((getNamedType(named.getFields().edges.type) as GraphQLObjectType).getFields().node.type) as GraphQLObjectType;
      parts.push(`${field.name}(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${selection(schema, node, depth + 1)} } } }`);
    } else if (isObjectType(named)) {
      // Entities go two levels deep; value objects (eligibility, grantors) are always spelled out.
      if (isSubjectType(named.name) && depth >= 2) continue;
      parts.push(`${field.name} { ${selection(schema, named, isSubjectType(named.name) ? depth + 1 : depth)} }`);
    }
  }
  return parts.join(' ');
}

/** A query per list of the schema whose rows are entities: every field, relations two levels deep. */
function listQueries(schema: GraphQLSchema): Array<{ name: string; query: string }> {
  return Object.values(schema.getQueryType()!.getFields())
    .filter((field) => optionalArgsOnly(field) && isConnection(getNamedType(field.type)))
    .flatMap((field) => {
      const connection = getNamedType(field.type) as GraphQLObjectType;
      const node = getNamedType((getNamedType(connection.getFields().edges.type) as GraphQLObjectType).getFields().node.type) as GraphQLObjectType;
      if (!isSubjectType(node.name)) return [];
      return [{ name: field.name, query: `query { ${field.name}(first: 15) { totalCount edges { cursor node { ${selection(schema, node, 0)} } } } }` }];
    });
}

interface Outcome {
  body: unknown;
  statements: number;
  log: unknown[];
}

/** The answer, the statement count and the access-log entries the request wrote. */
async function run(subject: string, query: string, variables: Record<string, unknown>, prefetch: boolean): Promise<Outcome> {
  app.config.readPrefetch = prefetch;
  const [{ last }] = await app.dataSource.query('SELECT coalesce(max(sequence), 0)::text AS last FROM access_log_entry');
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(subject)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  const log = await app.dataSource.query(
    `SELECT action, outcome, object_type, object_id, student_id, objects, fields, role, legal_basis, membership_id, consent_id, consents
       FROM access_log_entry WHERE sequence > $1 ORDER BY object_type, object_id, action, objects, membership_id`,
    [last],
  );
  return { body, statements: Number(response.headers.get('x-sql-statements')), log };
}

afterEach(() => {
  app.config.readPrefetch = true;
});

describe('with and without the prefetch: the same answers, the same access log, fewer statements', () => {
  test('every list of the schema, every relation two levels deep, as a demo user of every role', async () => {
    // Not the access log itself: every request adds to it, so two reads of it never agree.
    const queries = listQueries(getSchema()).filter((q) => q.name !== 'accessLog');
    // The lists whose rows carry relations must be among them (a walk that found nothing proves nothing).
    expect(queries.map((q) => q.name)).toEqual(expect.arrayContaining(['trajectories', 'students', 'consents']));
    expect(users.length).toBeGreaterThanOrEqual(8);
    let compared = 0;
    let fewer = 0;
    let nonEmpty = 0;
    for (const subject of users) {
      for (const { name, query } of queries) {
        const without = await run(subject, query, {}, false);
        const withPrefetch = await run(subject, query, {}, true);
        expect({ subject, name, body: withPrefetch.body }).toEqual({ subject, name, body: without.body });
        expect({ subject, name, log: withPrefetch.log }).toEqual({ subject, name, log: without.log });
        // At most the prefetch itself more: where rows below a field that is no declared relation
        // (a windstreek's neighbours) need the loaders anyway, they no longer share a batch with the root's.
        expect({ subject, name, statements: withPrefetch.statements <= without.statements + 1 }).toEqual({ subject, name, statements: true });
        const edges = ((without.body as { data?: Record<string, { edges?: unknown[] } | null> }).data?.[name]?.edges ?? []).length;
        if (edges > 0) nonEmpty++;
        if (withPrefetch.statements < without.statements) fewer++;
        compared++;
      }
    }
    // Positive controls: many answers had rows, and the prefetch really replaced batches.
    expect(compared).toBe(users.length * queries.length);
    expect(nonEmpty).toBeGreaterThan(compared / 4);
    expect(fewer).toBeGreaterThan(nonEmpty / 2);
  });

  test('a nested page after a cursor, aliases of one relation with different pages, and arguments validation refuses', async () => {
    const [detail] = await app.dataSource.query(
      `SELECT t.id, t.team_id FROM trajectory t WHERE (SELECT count(*) FROM trajectory_event e WHERE e.trajectory_id = t.id) >= 4 ORDER BY t.id LIMIT 1`,
    );
    const [member] = await app.dataSource.query(
      `SELECT u.email FROM app_user u JOIN membership m ON m.user_id = u.id WHERE m.topteam_id = $1 AND m.revoked_at IS NULL ORDER BY u.email LIMIT 1`,
      [detail.team_id],
    );
    const first = await run(member.email, 'query($id: ID!) { trajectory(id: $id) { events(first: 1) { pageInfo { endCursor } } } }', { id: detail.id }, true);
    const cursor = (first.body as { data: { trajectory: { events: { pageInfo: { endCursor: string } } } } }).data.trajectory.events.pageInfo.endCursor;
    expect(typeof cursor).toBe('string');
    const query = `query($id: ID!, $after: String, $big: Int) { trajectory(id: $id) {
      a: events(first: 2, after: $after) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id act trajectory { id phase } } } }
      b: events(first: 1) { edges { node { id } } }
      c: events(first: $big) { edges { node { id } } }
      student { givenName school { name } }
    } }`;
    const without = await run(member.email, query, { id: detail.id, after: cursor, big: 1000 }, false);
    const withPrefetch = await run(member.email, query, { id: detail.id, after: cursor, big: 1000 }, true);
    expect(withPrefetch.body).toEqual(without.body);
    expect(withPrefetch.log).toEqual(without.log);
    const body = withPrefetch.body as { data: { trajectory: null }; errors: Array<{ extensions: { code: string } }> };
    // `first: 1000` is refused by validation on both paths; the other fields answer.
    expect(body.errors.map((e) => e.extensions.code)).toEqual(['BAD_USER_INPUT']);
    const valid = await run(member.email, query.replace(', $big: Int', '').replace('c: events(first: $big) { edges { node { id } } }', ''), { id: detail.id, after: cursor }, true);
    const trajectory = (valid.body as { data: { trajectory: { a: { edges: Array<{ node: { id: string } }> }; b: { edges: unknown[] } } } }).data.trajectory;
    expect(trajectory.a.edges).toHaveLength(2);
    expect(trajectory.b.edges).toHaveLength(1);
    expect(trajectory.a.edges.map((e) => e.node.id)).not.toContain((trajectory.b.edges[0] as { node: { id: string } }).node.id);
  });
});

test('the prefetch maps every column of every entity as TypeORM hydrates it', async () => {
  let rows = 0;
  for (const entity of ENTITIES) {
    const meta = app.dataSource.getMetadata(entity);
    if (!meta.columns.some((c) => c.propertyName === 'id')) continue;
    const loaded = (await app.dataSource.getRepository(entity).find({ take: 50, order: { id: 'ASC' } as never })) as Array<{ id: string }>;
    if (loaded.length === 0) continue;
    const mapped = await mappedRows(app.dataSource, entity, loaded.map((r) => r.id));
    const byId = new Map(mapped.map((r) => [r.id, r]));
    for (const row of loaded) {
      expect({ entity: meta.name, row: byId.get(row.id) }).toEqual({ entity: meta.name, row });
      expect(Object.getPrototypeOf(byId.get(row.id))).toBe(Object.getPrototypeOf(row));
    }
    rows += loaded.length;
  }
  expect(rows).toBeGreaterThan(100);
});

test('a partial row holds the chosen columns as a whole row does, and refuses to give any other', async () => {
  const student = app.dataSource.getMetadata(Student);
  const [whole] = await app.dataSource.getRepository(Student).find({ take: 1, order: { id: 'ASC' } });
  const columns = rowColumns(student, ['givenName', 'schoolId', 'notAProperty'])!;
  expect(columns.columns.map((c) => c.propertyName).sort()).toEqual(['givenName', 'id', 'schoolId']);
  // The same set gives the same columns and prototype; every column is no partial row at all.
  expect(rowColumns(student, ['schoolId', 'givenName'])).toBe(columns);
  expect(rowColumns(student, student.columns.map((c) => c.propertyName))).toBeUndefined();
  const qb = app.dataSource.getRepository(Student).createQueryBuilder('s').where('s.id = :id', { id: whole.id });
  const [partial] = await getEntities(qb, columns);
  expect(partial).toBeInstanceOf(Student);
  expect(subjectOfRow(partial)).toBe('Student');
  expect([partial.id, partial.givenName, partial.schoolId]).toEqual([whole.id, whole.givenName, whole.schoolId]);
  expect(() => partial.familyName).toThrow(UnloadedColumn);
  expect(() => partial.partnershipId).toThrow('Student.partnershipId was not loaded with this row.');
  // An assignment gives the row the property, as on any instance.
  partial.familyName = 'Overschreven';
  expect(partial.familyName).toBe('Overschreven');
  expect(() => partial.birthDate).toThrow(UnloadedColumn);
});

test('every declared relation names a field of the schema on its type', () => {
  const schema = getSchema();
  const relations = declaredRelations();
  expect(relations.length).toBeGreaterThan(20);
  for (const { typeName, field } of relations) {
    const type = schema.getType(typeName);
    expect({ typeName, field, found: isObjectType(type) && field in type.getFields() }).toEqual({ typeName, field, found: true });
  }
});

test('every page of a relation is one index range: an index on (foreign key, keyset column, id) of its rows', async () => {
  const ranges = declaredRelations().flatMap(({ typeName, field, spec }) => {
    if (spec.kind !== 'hasMany') return [];
    const meta = app.dataSource.getMetadata(spec.target);
    const column = (property: string) => meta.findColumnWithPropertyName(property)!.databaseName;
    return [{ relation: `${typeName}.${field}`, table: meta.tableName, columns: [column(spec.foreignKey), column(spec.keyset.property), 'id'] }];
  });
  expect(ranges.length).toBeGreaterThan(15);
  // The key columns of every index, in order (expressions and partial indexes excluded).
  const indexes: Array<{ table: string; columns: string[] }> = await app.dataSource.query(
    `SELECT t.relname AS table, array_agg(a.attname::text ORDER BY k.n) AS columns
       FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
       CROSS JOIN LATERAL unnest(i.indkey) WITH ORDINALITY AS k(attnum, n)
       JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = k.attnum
      WHERE i.indpred IS NULL AND t.relnamespace = 'public'::regnamespace
      GROUP BY i.indexrelid, t.relname`,
  );
  const unserved = ranges.filter((range) =>
    !indexes.some((index) => index.table === range.table && range.columns.every((c, n) => index.columns[n] === c)));
  expect(unserved).toEqual([]);
});
