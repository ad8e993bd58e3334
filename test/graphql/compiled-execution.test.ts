/**
 * The compiled read path (src/graphql/compiled-execution.ts) changes how a query's answer is
 * put together, never what it says, which errors it carries or what the access log records.
 *
 * Every query here runs twice against the demo data: with `READ_COMPILED` off (graphql-js field by
 * field) and on. The answers and the access-log entries the requests wrote must be equal, and the
 * request log's `executor` must show the compiled path answered wherever the query was compilable
 * (a comparison of two graphql-js answers would prove nothing) and graphql-js where it was not.
 */
import { GraphQLObjectType, GraphQLSchema, getNamedType, isLeafType, isNonNullType, isObjectType } from 'graphql';
import { seedDemoData } from '../../src/demo/seed';
import { getSchema } from '../../src/graphql/schema';
import { plainProperty, simpleResolver } from '../../src/graphql/plain-fields';
import { relationOf } from '../../src/graphql/relations';
import * as fieldAccess from '../../src/authz/field-access';
import * as rowMapping from '../../src/graphql/row-mapping';
import { isSubjectType, subjectOfRow } from '../../src/authz/subjects';
import { Role, TeamFunction } from '../../src/domain/enums';
import { Partnership } from '../../src/modules/partnerships/partnership.entity';
import { Topteam } from '../../src/modules/topteams/topteam.entity';
import { createUser } from '../factories';
import { startTestApp, TestApp } from '../setup/app';

jest.setTimeout(300_000);

const TODAY = new Date('2026-11-20T09:00:00Z');
let app: TestApp;
let users: string[];
let coordinator: string;
/** Programme coordinator (field-limited) and team member (relation-scoped): field grants decided in SQL. */
let dual: string;

beforeAll(async () => {
  app = await startTestApp({ now: TODAY, ownDatabase: true });
  await seedDemoData(app.dataSource, app.config, TODAY);
  users = (await app.dataSource.query(
    `SELECT DISTINCT ON (m.role) u.email FROM app_user u JOIN membership m ON m.user_id = u.id WHERE m.revoked_at IS NULL ORDER BY m.role, u.email`,
  )).map((r: { email: string }) => r.email);
  [{ email: coordinator }] = await app.dataSource.query(
    `SELECT u.email FROM app_user u JOIN membership m ON m.user_id = u.id WHERE m.role = $1 AND m.revoked_at IS NULL ORDER BY u.email LIMIT 1`,
    [Role.PROGRAMME_COORDINATOR],
  );
  // The team with the most cases, so the team grants cover a good part of the coordinator's list.
  const [{ team_id: teamId }] = await app.dataSource.query(`SELECT team_id FROM trajectory WHERE team_id IS NOT NULL GROUP BY team_id ORDER BY count(*) DESC LIMIT 1`);
  const team = await app.dataSource.getRepository(Topteam).findOneByOrFail({ id: teamId });
  const partnership = await app.dataSource.getRepository(Partnership).findOneByOrFail({ id: team.partnershipId });
  dual = (await createUser(app.dataSource, partnership, [[Role.PROGRAMME_COORDINATOR], [Role.TEAM_MEMBER, { topteam: team, teamFunction: TeamFunction.TEACHER }]])).email;
  users.push(dual);
});
afterAll(() => app.stop());

afterEach(() => {
  app.config.readCompiled = true;
});

interface Outcome {
  body: { data?: Record<string, unknown> | null; errors?: unknown[] };
  log: unknown[];
  executor: unknown;
  /** The statements the request ran (its request log line's `sqlStatements`). */
  statements: unknown;
}

/** The answer, the access-log entries the request wrote, and the executor its request log line names. */
async function run(subject: string, query: string, variables: Record<string, unknown>, compiled: boolean): Promise<Outcome> {
  app.config.readCompiled = compiled;
  const [{ last }] = await app.dataSource.query('SELECT coalesce(max(sequence), 0)::text AS last FROM access_log_entry');
  const response = await fetch(app.url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${await app.token(subject)}` },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as Outcome['body'];
  const log = await app.dataSource.query(
    `SELECT action, outcome, object_type, object_id, student_id, objects, fields, role, legal_basis, membership_id, consent_id, consents
       FROM access_log_entry WHERE sequence > $1 ORDER BY object_type, object_id, action, objects, membership_id`,
    [last],
  );
  const requestId = response.headers.get('x-request-id');
  // The request's line is written once the answer has gone: wait for it.
  let line: Record<string, unknown> | undefined;
  for (let i = 0; i < 50 && !line; i++) {
    line = app.logs().find((l) => l.requestId === requestId && l.msg === 'request');
    if (!line) await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { body, log, executor: line?.executor, statements: line?.sqlStatements };
}

/** Runs `query` both ways; expects the same answer and log; returns the compiled run. */
async function same(subject: string, query: string, variables: Record<string, unknown> = {}): Promise<Outcome> {
  const reference = await run(subject, query, variables, false);
  const compiled = await run(subject, query, variables, true);
  expect(reference.executor).toBe('graphql-js');
  expect({ subject, query, body: compiled.body }).toEqual({ subject, query, body: reference.body });
  expect({ subject, query, log: compiled.log }).toEqual({ subject, query, log: reference.log });
  return compiled;
}

const NESTED = `query($first: Int, $after: String) { trajectories(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor }
  edges { cursor node { id phase phaseDueOn student { givenName familyName } school { name windstreek { name } } team { name } events(first: 5) { edges { node { id } } } } }
} }`;

describe('the compiled answer is graphql-js\'s answer, with the same access log', () => {
  test('the programme coordinator\'s nested list: compiled, identity hidden by field permission', async () => {
    const out = await same(coordinator, NESTED, { first: 50 });
    expect(out.executor).toBe('compiled');
    const edges = (out.body.data!.trajectories as { edges: Array<{ node: { student: { givenName: unknown } | null } }> }).edges;
    expect(edges.length).toBeGreaterThan(10);
    // The coordinator sees the student row but not the name: null by field permission.
    expect(edges.every((e) => e.node.student !== null && e.node.student.givenName === null)).toBe(true);
    // The cases' students, read alike, in one entry naming them all.
    const students = (out.log as Array<{ objects: string[] | null }>).flatMap((e) => (e.objects ?? []).filter((o) => o.startsWith('Student:')));
    expect(new Set(students).size).toBeGreaterThan(10);
  });

  test('a coordinator who is also in a team: field grants decided in SQL, names of the team\'s cases only', async () => {
    const out = await same(dual, NESTED, { first: 100 });
    expect(out.executor).toBe('compiled');
    const names = (out.body.data!.trajectories as { edges: Array<{ node: { student: { givenName: unknown } } }> }).edges.map((e) => e.node.student.givenName);
    expect(names.some((n) => typeof n === 'string')).toBe(true);
    expect(names.some((n) => n === null)).toBe(true);
  });

  test('a second page after a cursor', async () => {
    for (const subject of [coordinator, dual]) {
      const first = await same(subject, NESTED, { first: 7 });
      const { endCursor, hasNextPage } = (first.body.data!.trajectories as { pageInfo: { endCursor: string; hasNextPage: boolean } }).pageInfo;
      expect(hasNextPage).toBe(true);
      const second = await same(subject, NESTED, { first: 7, after: endCursor });
      expect(second.executor).toBe('compiled');
      const ids = (page: Outcome) => (page.body.data!.trajectories as { edges: Array<{ node: { id: string } }> }).edges.map((e) => e.node.id);
      expect(ids(second)).toHaveLength(7);
      expect(ids(second).some((id) => ids(first).includes(id))).toBe(false);
    }
  });

  test('aliases, fragments, @skip/@include and __typename', async () => {
    const query = `query($skip: Boolean!, $include: Boolean!) {
      __typename
      list: trajectories(first: 10) {
        __typename count: totalCount
        edges { __typename node { ...Case key: id phase @skip(if: $skip) phaseDueOn @include(if: $include) student { ... on Student { __typename given: givenName } } } }
        more: pageInfo { hasNextPage }
      }
      again: trajectories(first: 2) { edges { node { id team { id name } } } }
    }
    fragment Case on Trajectory { id school { name windstreek { name } } a: events(first: 1) { totalCount edges { node { id } } } b: events(first: 3) { edges { cursor node { id } } } }`;
    for (const subject of [coordinator, dual, ...users.slice(0, 3)]) {
      for (const variables of [{ skip: true, include: false }, { skip: false, include: true }]) {
        const out = await same(subject, query, variables);
        expect({ subject, executor: out.executor }).toEqual({ subject, executor: 'compiled' });
      }
    }
    const out = await run(coordinator, query, { skip: true, include: false }, true);
    const list = out.body.data!.list as { __typename: string; edges: Array<Record<string, unknown>> };
    expect(out.body.data!.__typename).toBe('Query');
    expect(list.__typename).toBe('TrajectoryConnection');
    expect(Object.keys(list.edges[0].node as object)).toEqual(['id', 'school', 'a', 'b', 'key', 'student']);
  });

  test('single rows: one that exists, one that does not (null), a bad id (the error at its path)', async () => {
    const [{ id }] = await app.dataSource.query('SELECT id FROM trajectory ORDER BY id LIMIT 1');
    const query = `query($id: ID!) { trajectory(id: $id) { id phase student { givenName } school { name } events(first: 2) { edges { node { id } } } } }`;
    for (const subject of [coordinator, dual]) {
      const reference = await run(subject, query, { id }, false);
      const found = await same(subject, query, { id });
      expect(found.executor).toBe('compiled');
      expect((found.body.data!.trajectory as { id: string }).id).toBe(id);
      // The row's own statement carries the relations below it (graphql-js: the row, then the prefetch).
      expect(found.statements).toBe((reference.statements as number) - 1);
      const missing = await same(subject, query, { id: '00000000-0000-4000-8000-000000000000' });
      expect(missing.executor).toBe('compiled');
      expect(missing.body).toEqual({ data: { trajectory: null } });
    }
    const bad = await same(coordinator, `query { a: trajectory(id: "nope") { id } b: trajectories(first: 1) { totalCount } }`);
    expect(bad.executor).toBe('compiled');
    const errors = bad.body.errors as Array<{ path: string[]; extensions: { code: string } }>;
    expect(errors.map((e) => [e.path, e.extensions.code])).toEqual([[['a'], 'BAD_USER_INPUT']]);
    expect(bad.body.data!.a).toBeNull();
    expect(typeof (bad.body.data!.b as { totalCount: unknown }).totalCount).toBe('number');
  });

  test('every list of the schema, every plain field and relations two levels deep, as a demo user of every role', async () => {
    const queries = compilableListQueries(getSchema()).filter((q) => q.name !== 'accessLog');
    expect(queries.map((q) => q.name)).toEqual(expect.arrayContaining(['trajectories', 'students', 'consents']));
    let compiled = 0;
    let answered = 0;
    for (const subject of users) {
      for (const { query } of queries) {
        const out = await same(subject, query);
        answered++;
        if (out.executor === 'compiled') compiled++;
        else expect(out.executor).toBe('fallback');
      }
    }
    // Most answers were compiled; the rest were abandoned to graphql-js (a refused non-null field), not skipped.
    expect(compiled).toBeGreaterThan(answered / 2);
  });
  test('partial rows: one field of the rows and one of each related row, as a demo user of every role', async () => {
    // The compiled path loads only the columns the answer, the caller's rules and the access log
    // need: every field a rule decides on must come out as with whole rows (which graphql-js reads).
    let compiled = 0;
    let answered = 0;
    for (const [u, subject] of users.entries()) {
      const queries = compilableListQueries(getSchema(), (node) => sparseSelection(node, 0, u)).filter((q) => q.name !== 'accessLog');
      for (const [q, { query }] of queries.entries()) {
        const out = await same(subject, query.replace(/(edges \{ cursor node \{ )/, `$1${q % 2 ? 'id ' : ''}`));
        answered++;
        if (out.executor === 'compiled') compiled++;
      }
    }
    // None fell back: a partial row that lacked a column some rule or the recorder reads would
    // have (reading it throws, and graphql-js answers with whole rows instead).
    expect(compiled).toBe(answered);
  });
  test('one statement for a page, its count and every relation below its rows', async () => {
    for (const subject of [coordinator, dual]) {
      const reference = await run(subject, NESTED, { first: 20 }, false);
      const out = await same(subject, NESTED, { first: 20 });
      expect(out.executor).toBe('compiled');
      // graphql-js (with the prefetch): the page, the count and the relations' statement apart.
      expect(out.statements).toBe((reference.statements as number) - 2);
      // A later page (a cursor condition on the page, not on its count): the whole list's count, as graphql-js gives it.
      const after = await same(subject, NESTED, { first: 20, after: (reference.body.data!.trajectories as { pageInfo: { endCursor: string } }).pageInfo.endCursor });
      expect(after.executor).toBe('compiled');
    }
    // Two root fields of one entity: partial rows each, their counts and relations apart.
    const two = await same(coordinator, `query { a: trajectories(first: 3) { totalCount edges { node { id school { name } } } } b: trajectories(first: 2) { totalCount edges { node { phase } } } }`);
    expect(two.executor).toBe('compiled');
  });
  test('a non-null root field that fails: the whole answer is null, as graphql-js answers it', async () => {
    // `overdueCases` is non-null; the administrator does not read trajectories: FORBIDDEN.
    const [admin] = users.filter((u) => u.startsWith('admin@'));
    const out = await same(admin, 'query { overdueCases(first: 3) { totalCount edges { node { id } } } trajectories(first: 3) { edges { node { id } } } }');
    // Answered without graphql-js: after a failed statement the transaction could not run it again.
    expect(out.executor).toBe('compiled');
    expect(out.body.data).toBeNull();
    expect((out.body.errors as Array<{ extensions: { code: string } }>).map((e) => e.extensions.code)).toEqual(['FORBIDDEN']);
  });
});

describe('what is not compilable, or would not be answered the same, runs through graphql-js', () => {
  test('a field with a resolver that reads more than its row (declared to return a promise)', async () => {
    // `Consent.status` asks the database whether the consent needs re-confirmation.
    expect([plainProperty('Consent', 'status'), simpleResolver('Consent', 'status')]).toEqual([undefined, undefined]);
    const query = 'query { consents(first: 20) { edges { node { id status } } } }';
    for (const subject of [coordinator, dual, ...users]) {
      const out = await same(subject, query);
      expect(out.executor).toBe('graphql-js');
    }
  });

  test('a field resolver of the row and the context alone is called by the compiled path, as graphql-js calls it', async () => {
    expect(simpleResolver('Trajectory', 'overdue')).toBeDefined();
    const query = 'query { trajectories(first: 30) { edges { node { id overdue timeliness timelinessDate daysPast careConsentValid school { name } } } } }';
    for (const subject of [coordinator, dual, ...users]) {
      const out = await same(subject, query);
      expect(out.executor).not.toBe('graphql-js');
    }
    const out = await same(dual, query);
    expect(out.executor).toBe('compiled');
    expect((out.body.data!.trajectories as { edges: Array<{ node: { overdue: unknown } }> }).edges.some((e) => typeof e.node.overdue === 'boolean')).toBe(true);
  });

  test.each([['memory', false], ['SQL', true]])('a non-null field refused (decided in %s): abandoned after fields were recorded, the log holds graphql-js\'s entries only', async (_how, inSql) => {
    // No demo role is refused a non-null field of a row it reads: refuse `Trajectory.createdAt` here.
    const original = fieldAccess.mayReadField;
    const spy = jest.spyOn(fieldAccess, 'mayReadField').mockImplementation((context, root, field) => {
      if (field === 'createdAt' && subjectOfRow(root) === 'Trajectory') return inSql ? Promise.resolve(false) : false;
      return original(context, root, field);
    });
    try {
      const query = 'query { trajectories(first: 5) { totalCount edges { node { id phase student { givenName } school { name } createdAt } } } }';
      for (const subject of [coordinator, dual]) {
        const out = await same(subject, query);
        expect(out.executor).toBe('fallback');
        expect((out.body.errors ?? []).length).toBeGreaterThan(0);
        // graphql-js resolved the rows' other fields before the error nulled them: their entries are there, once.
        expect(out.log.length).toBeGreaterThan(0);
      }
    } finally {
      spy.mockRestore();
    }
  });

  test.each([
    ['the root field\'s rows (their cursors)', 'Trajectory'],
    ['related rows (a field the answer shows)', 'Student'],
  ])('a partial row that lacks a column something reads, in %s: graphql-js answers with whole rows, the same', async (_where, entity) => {
    // Only the id loaded for rows of `entity`: reading any other column of them throws.
    const original = rowMapping.rowColumns;
    const spy = jest.spyOn(rowMapping, 'rowColumns').mockImplementation((meta, properties) =>
      original(meta, meta.name === entity ? ['id'] : properties));
    try {
      const query = 'query { trajectories(first: 5) { totalCount edges { cursor node { id phase student { pseudonym givenName familyName } school { name } } } } }';
      for (const subject of [coordinator, dual]) {
        const out = await same(subject, query);
        expect(out.executor).toBe('fallback');
        expect(out.body.errors).toBeUndefined();
        expect(out.log.length).toBeGreaterThan(0);
      }
    } finally {
      spy.mockRestore();
    }
  });

  test('an abandoned answer leaves no entry of its own: a read of the log is logged once', async () => {
    // The privacy officer's read of a student's log entries notes itself (an entry without object
    // id, so a second note would be a second entry); refuse the entries' non-null `createdAt`.
    const [privacy] = users.filter((u) => u.startsWith('privacy@'));
    // Reading a student leaves entries about them to read.
    const read = await run(privacy, 'query { students(first: 1) { edges { node { id givenName } } } }', {}, true);
    const studentId = (read.body.data!.students as { edges: Array<{ node: { id: string } }> }).edges[0].node.id;
    const original = fieldAccess.mayReadField;
    const spy = jest.spyOn(fieldAccess, 'mayReadField').mockImplementation((context, root, field) =>
      field === 'createdAt' && subjectOfRow(root) === 'AccessLogEntry' ? false : original(context, root, field));
    try {
      const query = 'query($id: ID!) { studentAccessOverview(studentId: $id, first: 3) { edges { node { id createdAt } } } }';
      const out = await same(privacy, query, { id: studentId });
      expect(out.executor).toBe('fallback');
      expect((out.log as Array<{ object_type: string }>).filter((e) => e.object_type === 'AccessLog')).toHaveLength(1);
    } finally {
      spy.mockRestore();
    }
  });

  test('relation arguments the planner leaves to validation', async () => {
    const out = await same(dual, 'query { trajectories(first: 3) { edges { node { id events(first: 1000) { edges { node { id } } } } } } }');
    expect(out.executor).toBe('graphql-js');
    expect((out.body.errors as Array<{ extensions: { code: string } }>).map((e) => e.extensions.code)).toContain('BAD_USER_INPUT');
  });

  test('a mutation', async () => {
    const out = await run(coordinator, 'mutation { __typename }', {}, true);
    expect(out.executor).toBe('graphql-js');
  });
});

/** Every plain field and declared relation of `type`; connections paged by 3, relations down to `depth` 2. */
function selection(type: GraphQLObjectType, depth: number): string {
  const parts: string[] = [];
  for (const [name, field] of Object.entries(type.getFields())) {
    const named = getNamedType(field.type);
    const relation = relationOf(type.name, name);
    if (relation) {
      if (depth >= 2 || !isObjectType(named)) continue;
      if (relation.kind === 'belongsTo') {
        parts.push(`${name} { ${selection(named, depth + 1)} }`);
      } else {
        const node = getNamedType((getNamedType(named.getFields().edges.type) as GraphQLObjectType).getFields().node.type) as GraphQLObjectType;
        parts.push(`${name}(first: 3) { totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ${selection(node, depth + 1)} } } }`);
      }
    } else if ((plainProperty(type.name, name) !== undefined || simpleResolver(type.name, name)) && field.args.length === 0) {
      if (isLeafType(named)) parts.push(name);
      else if (isObjectType(named) && !isSubjectType(named.name) && [...Object.keys(named.getFields())].every((f) => plainProperty(named.name, f) !== undefined)) {
        parts.push(`${name} { ${selection(named, depth)} }`);
      }
    }
  }
  return parts.join(' ');
}

/**
 * One plain leaf field of `type` (the `pick`-th, cyclically) and, one level down, every declared
 * relation with one of its own: the compiled path loads partial rows for it, with only the
 * columns that field, the rules and the access log need.
 */
function sparseSelection(type: GraphQLObjectType, depth: number, pick: number): string {
  const fields = Object.entries(type.getFields());
  const leaves = fields
    .filter(([name, field]) => plainProperty(type.name, name) !== undefined && field.args.length === 0 && isLeafType(getNamedType(field.type)))
    .map(([name]) => name);
  const parts = leaves.length > 0 ? [leaves[pick % leaves.length]] : ['__typename'];
  if (depth >= 1) return parts.join(' ');
  for (const [name, field] of fields) {
    const relation = relationOf(type.name, name);
    const named = getNamedType(field.type);
    if (!relation || !isObjectType(named)) continue;
    if (relation.kind === 'belongsTo') {
      parts.push(`${name} { ${sparseSelection(named, depth + 1, pick)} }`);
    } else {
      const node = getNamedType((getNamedType(named.getFields().edges.type) as GraphQLObjectType).getFields().node.type) as GraphQLObjectType;
      parts.push(`${name}(first: 3) { edges { node { ${sparseSelection(node, depth + 1, pick)} } } }`);
    }
  }
  return parts.join(' ');
}

/** A query per list of the schema whose rows are entities, selecting only what the compiled path compiles. */
function compilableListQueries(schema: GraphQLSchema, select: (node: GraphQLObjectType) => string = (node) => selection(node, 0)): Array<{ name: string; query: string }> {
  return Object.values(schema.getQueryType()!.getFields())
    .filter((field) => field.args.every((a) => !isNonNullType(a.type)))
    .flatMap((field) => {
      const connection = getNamedType(field.type);
      if (!isObjectType(connection) || !connection.name.endsWith('Connection')) return [];
      const node = getNamedType((getNamedType(connection.getFields().edges.type) as GraphQLObjectType).getFields().node.type) as GraphQLObjectType;
      if (!isSubjectType(node.name)) return [];
      return [{ name: field.name, query: `query { ${field.name}(first: 15) { totalCount edges { cursor node { ${select(node)} } } } }` }];
    });
}
