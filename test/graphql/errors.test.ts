/**
 * What errors reveal (the README, "Errors"): in production no stack traces, no introspection
 * and no "Did you mean" suggestions; an unexpected internal error reaches the client only
 * as INTERNAL_SERVER_ERROR with a plain message (no SQL, table or constraint names), while
 * the details are logged on the server. `/healthz` and `/readyz` answer as documented.
 *
 * Internal errors are provoked without touching src/: a trigger that only fires for a
 * school with a unique marker name raises a database error full of internal names, and a
 * separate app whose connection pool is closed fails while loading the actor.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, KeyLike, SignJWT } from 'jose';
import { Role } from '../../src/domain/enums';
import { createPartnership, createUser, createWindstreek, unique } from '../factories';
import { GraphQLResponse, startTestApp, TestApp } from '../setup/app';

type GqlError = NonNullable<GraphQLResponse['body']['errors']>[number];

const MISSPELLED = '{ me { emial } }';
const INTROSPECTION = '{ __schema { types { name } } }';
const CREATE_SCHOOL = 'mutation($input: CreateSchoolInput!) { createSchool(input: $input) { id name } }';

/** Words that would mean internals leaked into a client-visible error. */
const INTERNALS = /select |insert |update |delete |duplicate key|violates|constraint|relation "|app_user|membership|windstreek_id|partnership_id|QueryFailedError|typeorm|node_modules|\.ts:\d|\n\s+at |secret_internal_detail|errors_test_/i;

/** Every `stacktrace`/`exception` key anywhere in a response body. */
function leakedStackKeys(value: unknown, path = ''): string[] {
  if (!value || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, inner]) => [
    ...(['stacktrace', 'exception', 'stack'].includes(key) ? [`${path}.${key}`] : []),
    ...leakedStackKeys(inner, `${path}.${key}`),
  ]);
}

function onlyError(response: GraphQLResponse): GqlError {
  expect(response.body.errors).toHaveLength(1);
  return response.body.errors![0];
}

/** A JWKS endpoint on 127.0.0.1 publishing one RS256 public key. */
async function startJwksServer() {
  const { publicKey, privateKey } = await generateKeyPair('RS256');
  const jwk = { ...(await exportJWK(publicKey)), kid: 'errors-test', alg: 'RS256', use: 'sig' };
  const server = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/jwks.json`,
    privateKey: privateKey as KeyLike,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** How many schools partnership `partnershipId` has. */
async function schoolCount(app: TestApp, partnershipId: string): Promise<number> {
  const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM school WHERE partnership_id = $1', [partnershipId]);
  return count;
}

/** A database trigger that raises an error full of internal names for one marker school name. */
async function installFailingSchoolTrigger(app: TestApp, marker: string): Promise<() => Promise<void>> {
  const name = `errors_test_${unique().replace(/[^a-z0-9]/gi, '').toLowerCase()}`;
  await app.dataSource.query(`CREATE FUNCTION ${name}() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      RAISE EXCEPTION 'insert into relation "school" violates check constraint "secret_internal_detail" (partnership_id, windstreek_id)';
    END $$`);
  await app.dataSource.query(`CREATE TRIGGER ${name} BEFORE INSERT ON school FOR EACH ROW WHEN (NEW.name = '${marker}') EXECUTE FUNCTION ${name}()`);
  return async () => {
    await app.dataSource.query(`DROP TRIGGER IF EXISTS ${name} ON school`);
    await app.dataSource.query(`DROP FUNCTION IF EXISTS ${name}()`);
  };
}

describe('errors in production (NODE_ENV=production, keys from a JWKS)', () => {
  const ISSUER = 'https://idp.errors.test';
  const AUDIENCE = 'toptrajecten-errors-test';
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let app: TestApp;
  let admin: { email: string; subject: string };
  let coordinator: { email: string; subject: string };
  let windstreekId: string;
  let partnershipId: string;
  let removeTrigger: () => Promise<void>;
  const marker = `Boom school ${unique()}`;

  const bearer = async (subject: string) =>
    `Bearer ${await new SignJWT({ sub: subject, iss: ISSUER, aud: AUDIENCE })
      .setProtectedHeader({ alg: 'RS256', kid: 'errors-test' })
      .setIssuedAt()
      .setExpirationTime('10m')
      .sign(jwks.privateKey)}`;

  beforeAll(async () => {
    jwks = await startJwksServer();
    app = await startTestApp({
      env: { NODE_ENV: 'production', AUTH_JWKS_URL: jwks.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, PSEUDONYM_KEY: 'x'.repeat(32), AUDIT_CHECKPOINT_KEY: 'c'.repeat(32) },
    });
    const partnership = await createPartnership(app.dataSource);
    partnershipId = partnership.id;
    const windstreek = await createWindstreek(app.dataSource, partnership);
    windstreekId = windstreek.id;
    admin = await createUser(app.dataSource, partnership, [[Role.ADMIN]]);
    coordinator = await createUser(app.dataSource, partnership, [[Role.PROGRAMME_COORDINATOR]]);
    removeTrigger = await installFailingSchoolTrigger(app, marker);
  });
  afterAll(async () => {
    await removeTrigger?.();
    await app?.stop();
    await jwks?.close();
  });

  test('positive control: as ADMIN with a valid RS256 token, me answers 200', async () => {
    const response = await app.gql(await bearer(admin.subject), '{ me { email } }');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ data: { me: { email: admin.email } } });
  });

  test('introspection is refused: __schema and __type answer an error and no schema', async () => {
    for (const query of [INTROSPECTION, '{ __type(name: "Student") { fields { name } } }']) {
      const response = await app.gql(await bearer(admin.subject), query);
      const error = onlyError(response);
      expect(response.body.data ?? null).toBeNull();
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(JSON.stringify(response.body)).not.toMatch(/"Student"|"types"/);
    }
  });

  test('a misspelled field answers BAD_USER_INPUT without "Did you mean" and without naming the real field', async () => {
    const response = await app.gql(await bearer(admin.subject), MISSPELLED);
    const error = onlyError(response);
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/emial/);
    expect(error.message).not.toMatch(/Did you mean/i);
    expect(error.message).not.toMatch(/"email"/);
  });

  test('misspellings in variables (an enum value, an input field) answer BAD_USER_INPUT without suggestions', async () => {
    const token = await bearer(admin.subject);
    const grant = 'mutation($input: GrantMembershipInput!) { grantMembership(input: $input) { id } }';
    const userId = '00000000-0000-4000-8000-000000000000';
    const responses = [
      await app.gql(token, grant, { input: { userId, role: 'ADMNI' } }),
      await app.gql(token, grant, { input: { userId, role: 'EDUCATION_ADVISOR', windstreekid: windstreekId } }),
    ];
    for (const response of responses) {
      const error = onlyError(response);
      expect(error.extensions?.code).toBe('BAD_USER_INPUT');
      expect(error.message).not.toMatch(/Did you mean/i);
    }
  });

  test('no error of any kind carries a stack trace or internal names', async () => {
    const token = await bearer(admin.subject);
    const responses: GraphQLResponse[] = [
      await app.gql(null, '{ me { email } }'), // UNAUTHENTICATED
      await app.gql(token, '{ me { email '), // parse error
      await app.gql(token, MISSPELLED), // validation
      await app.gql(token, INTROSPECTION), // introspection
      await app.gql(token, '{ student(id: "not-a-uuid") { id } }'), // BAD_USER_INPUT from a resolver
      await app.gql(token, '{ students(first: 1000) { totalCount } }'), // argument validation
      await app.gql(token, CREATE_SCHOOL, { input: { name: 'x', brinCode: '12AB', windstreekId: '00000000-0000-4000-8000-000000000000' } }), // NOT_FOUND
      await app.gql(await bearer(coordinator.subject), CREATE_SCHOOL, { input: { name: 'x', brinCode: '12AB', windstreekId } }), // FORBIDDEN
    ];
    const silenced = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      responses.push(await app.gql(token, CREATE_SCHOOL, { input: { name: marker, brinCode: '98ZZ', windstreekId } })); // INTERNAL
    } finally {
      silenced.mockRestore();
    }
    const codes = responses.map((r) => r.body.errors?.[0]?.extensions?.code);
    expect(codes).toEqual([
      'UNAUTHENTICATED', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'BAD_USER_INPUT', 'NOT_FOUND', 'FORBIDDEN', 'INTERNAL_SERVER_ERROR',
    ]);
    for (const response of responses) {
      expect(leakedStackKeys(response.body)).toEqual([]);
      for (const error of response.body.errors!) expect(error.message).not.toMatch(INTERNALS);
    }
  });

  test('an unexpected database error is masked as INTERNAL_SERVER_ERROR, logged on the server, and writes nothing', async () => {
    const before = await schoolCount(app, partnershipId);
    const response = await app.gql(await bearer(admin.subject), CREATE_SCHOOL, { input: { name: marker, brinCode: '97ZZ', windstreekId } });
    // The details are not lost: the server logs the original database error, with the request's id.
    const logged = app.logs().filter((line) => line.msg === 'internal error');
    expect(JSON.stringify(logged)).toMatch(/secret_internal_detail/);
    expect(logged.every((line) => typeof line.requestId === 'string')).toBe(true);
    const error = onlyError(response);
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(error.message).not.toMatch(INTERNALS);
    expect(error.message).not.toMatch(/school/i);
    expect(error.message.length).toBeGreaterThan(10);
    expect(response.body.data ?? null).toBeNull();
    expect(await schoolCount(app, partnershipId)).toBe(before);
  });

  test('positive control for the trigger: a school with another name is created normally', async () => {
    const response = await app.gql<{ createSchool: { name: string } }>(await bearer(admin.subject), CREATE_SCHOOL, {
      input: { name: `Normal school ${unique()}`, brinCode: '96ZZ', windstreekId },
    });
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.createSchool.name).toMatch(/^Normal school/);
  });

  test('responses carry no x-sql-statements header in production', async () => {
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: await bearer(admin.subject) },
      body: JSON.stringify({ query: '{ me { id } }' }),
    });
    expect(response.status).toBe(200);
    expect(response.headers.get('x-sql-statements')).toBeNull();
  });
});

describe('errors in test mode', () => {
  let app: TestApp;
  let admin: { email: string };
  let windstreekId: string;
  let partnershipId: string;
  let removeTrigger: () => Promise<void>;
  const marker = `Boom school ${unique()}`;

  beforeAll(async () => {
    app = await startTestApp();
    const partnership = await createPartnership(app.dataSource);
    partnershipId = partnership.id;
    windstreekId = (await createWindstreek(app.dataSource, partnership)).id;
    admin = await createUser(app.dataSource, partnership, [[Role.ADMIN]]);
    removeTrigger = await installFailingSchoolTrigger(app, marker);
  });
  afterAll(async () => {
    await removeTrigger?.();
    await app?.stop();
  });

  test('as ADMIN, a misspelled field answers BAD_USER_INPUT (with a suggestion outside production)', async () => {
    const error = onlyError(await app.gql(admin.email, MISSPELLED));
    expect(error.extensions?.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/emial/);
    // Positive control for the production test: outside production graphql-js suggests.
    expect(error.message).toMatch(/Did you mean "email"/);
  });

  test('positive control for the production test: introspection works outside production', async () => {
    const response = await app.gql<{ __schema: { types: Array<{ name: string }> } }>(admin.email, INTROSPECTION);
    expect(response.body.errors).toBeUndefined();
    expect(response.body.data!.__schema.types.map((t) => t.name)).toEqual(expect.arrayContaining(['Student', 'School', 'Query', 'Mutation']));
  });

  test('no stack traces outside production either', async () => {
    const responses = [
      await app.gql(admin.email, MISSPELLED),
      await app.gql(admin.email, '{ student(id: "nope") { id } }'),
      await app.gql(null, '{ me { id } }'),
    ];
    for (const response of responses) {
      expect(response.body.errors?.length).toBeGreaterThan(0);
      expect(leakedStackKeys(response.body)).toEqual([]);
    }
  });

  test('as ADMIN, an unexpected database error answers INTERNAL_SERVER_ERROR with a plain message and writes nothing', async () => {
    const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    let response: GraphQLResponse;
    try {
      response = await app.gql(admin.email, CREATE_SCHOOL, { input: { name: marker, brinCode: '95ZZ', windstreekId } });
    } finally {
      logged.mockRestore();
    }
    const error = onlyError(response);
    expect(error.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(error.message).not.toMatch(INTERNALS);
    expect(leakedStackKeys(response.body)).toEqual([]);
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM school WHERE partnership_id = $1', [partnershipId]);
    expect(count).toBe(0);
  });
});

describe('health endpoints', () => {
  let app: TestApp;
  let admin: { email: string };

  beforeAll(async () => {
    app = await startTestApp();
    const partnership = await createPartnership(app.dataSource);
    admin = await createUser(app.dataSource, partnership, [[Role.ADMIN]]);
  });
  afterAll(() => app.stop());

  test('GET /healthz answers 200 and GET /readyz answers 200 while the database answers', async () => {
    const health = await fetch(`${app.baseUrl}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${app.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    // Neither needs a token.
    expect((await app.gql(admin.email, '{ me { email } }')).status).toBe(200);
  });

  test('when the database stops answering: /readyz 503, /healthz still 200, and GraphQL answers a masked INTERNAL_SERVER_ERROR', async () => {
    // A server of its own: closing its pool must not take the other tests' server down.
    const down = await startTestApp();
    try {
      const user = await createUser(down.dataSource, await createPartnership(down.dataSource), [[Role.ADMIN]]);
      await down.apiDataSource.destroy();
      const ready = await fetch(`${down.baseUrl}/readyz`);
      expect(ready.status).toBe(503);
      expect(JSON.stringify(await ready.json())).not.toMatch(INTERNALS);
      expect((await fetch(`${down.baseUrl}/healthz`)).status).toBe(200);

      const logged = jest.spyOn(console, 'error').mockImplementation(() => undefined);
      let response: GraphQLResponse;
      try {
        response = await down.gql(user.email, '{ me { email } }');
      } finally {
        logged.mockRestore();
      }
      expect(response.status).toBeGreaterThanOrEqual(500);
      expect(response.body.data ?? null).toBeNull();
      const error = onlyError(response);
      expect(error.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error.message).not.toMatch(INTERNALS);
      expect(error.message).not.toMatch(/Context creation failed|connection|pool|driver/i);
      expect(leakedStackKeys(response.body)).toEqual([]);
      // The server logs what happened, with the request's id, and its request line says INTERNAL_SERVER_ERROR.
      const lines = down.logs();
      const failure = lines.find((l) => l.msg === 'the request\'s transaction could not begin; response withheld');
      expect(failure).toMatchObject({ level: 50, requestId: expect.any(String), err: expect.objectContaining({ message: expect.any(String) }) });
      expect(lines.find((l) => l.msg === 'request' && l.requestId === failure!.requestId)).toMatchObject({ outcome: 'INTERNAL_SERVER_ERROR', userId: user.id, status: 500 });
    } finally {
      await down.stop();
    }
  });
});

describe('bodies the server cannot read answer a JSON GraphQL error with a stable code and no stack, in every mode', () => {
  test.each(['development', 'test'])('NODE_ENV=%s', async (mode) => {
    const app = await startTestApp({ env: { NODE_ENV: mode } });
    try {
      const send = async (body: string, contentType: string) => {
        const response = await fetch(app.url, { method: 'POST', headers: { 'content-type': contentType, authorization: `Bearer ${await app.token('nobody@test.toptrajecten.test')}` }, body });
        const text = await response.text();
        return { status: response.status, type: response.headers.get('content-type') ?? '', text };
      };
      const cases = [
        ['malformed JSON', await send('{"query": "{ me { id } ', 'application/json'), 400],
        ['a body over 256 kB', await send(JSON.stringify({ query: `{ me { id } } #${'x'.repeat(300_000)}` }), 'application/json'), 413],
        ['a form body', await send('query=%7B+me+%7B+id+%7D+%7D', 'application/x-www-form-urlencoded'), 400],
        ['plain text', await send('{ me { id } }', 'text/plain'), 400],
      ] as const;
      for (const [label, answer, status] of cases) {
        expect({ label, status: answer.status, json: answer.type.startsWith('application/json') }).toEqual({ label, status, json: true });
        const body = JSON.parse(answer.text) as { errors: Array<{ extensions: { code: string } }> };
        expect({ label, code: body.errors[0].extensions.code }).toEqual({ label, code: 'BAD_USER_INPUT' });
        expect(answer.text).not.toMatch(/stack|at \w+ \(|node_modules|<html/i);
      }
    } finally {
      await app.stop();
    }
  });
});
