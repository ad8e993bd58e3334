/**
 * Authentication (the README, "Transport and identity"): every way a bearer token can be unusable
 * answers HTTP 401 with code UNAUTHENTICATED and no data at all; a usable token for an active
 * user answers normally. Roles are read from the database on each request, so a revoked
 * membership or a deactivated account takes effect on the next request with the same token.
 * Production verifies RS256 tokens against the provider's JWKS and refuses HS256.
 */
import http from 'node:http';
import { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, JWK, KeyLike, SignJWT } from 'jose';
import { mintDevelopmentToken } from '../../src/auth/authenticate';
import { DEVELOPMENT_JWT_SECRET, loadConfig } from '../../src/config';
import { Role } from '../../src/domain/enums';
import { createPartnership, createUser, unique } from '../factories';
import { createWorld, World } from '../factories/world';
import { GraphQLResponse, startTestApp, TestApp } from '../setup/app';

const ME = '{ me { id email memberships { role } } }';
const STUDENTS = '{ students(first: 100) { totalCount edges { node { id } } } }';

const secretKey = (secret: string) => new TextEncoder().encode(secret);
const nowSeconds = () => Math.floor(Date.now() / 1000);
const b64url = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 token with exactly the claims given (no defaults), signed with `secret`. */
function hs256(claims: Record<string, unknown>, secret = DEVELOPMENT_JWT_SECRET): Promise<string> {
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256', typ: 'JWT' }).sign(secretKey(secret));
}

/** A fresh, otherwise valid claim set for `sub`. */
function claimsFor(sub: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { sub, iat: nowSeconds(), exp: nowSeconds() + 600, ...extra };
}

/** The shape every authentication failure must have: 401, UNAUTHENTICATED, no data. */
function expectUnauthenticated(response: GraphQLResponse): void {
  expect(response.status).toBe(401);
  expect(response.body.data).toBeUndefined();
  expect(response.body.errors).toHaveLength(1);
  expect(response.body.errors![0].extensions?.code).toBe('UNAUTHENTICATED');
  expect(response.body.errors![0].extensions).not.toHaveProperty('stacktrace');
  expect(typeof response.body.errors![0].message).toBe('string');
}

/** The shape of a successful `me` answer for `email`. */
function expectMe(response: GraphQLResponse, email: string): void {
  expect(response.status).toBe(200);
  expect(response.body.errors).toBeUndefined();
  expect((response.body.data as { me: { email: string } }).me.email).toBe(email);
}

describe('authentication with HS256 (development and test)', () => {
  let app: TestApp;
  let world: World;

  beforeAll(async () => {
    app = await startTestApp();
    world = await createWorld(app.dataSource);
  });
  afterAll(() => app.stop());

  test('positive control: as ADMIN with a valid token, me answers 200 with the own account', async () => {
    const response = await app.gql(world.users.admin.email, ME);
    expectMe(response, world.users.admin.email);
    expect((response.body.data as { me: { memberships: Array<{ role: string }> } }).me.memberships).toEqual([{ role: 'ADMIN' }]);
  });

  test('positive control: a hand-made HS256 token with sub and exp is accepted (the failure tests below differ in one thing only)', async () => {
    const token = await hs256(claimsFor(world.users.admin.subject));
    expectMe(await app.gql(`Bearer ${token}`, ME), world.users.admin.email);
  });

  test('without an Authorization header: 401 UNAUTHENTICATED, no data', async () => {
    expectUnauthenticated(await app.gql(null, ME));
  });

  test('an empty Authorization header or "Bearer" with nothing after it: 401', async () => {
    expectUnauthenticated(await app.gql('Bearer ', ME));
    const response = await fetch(app.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: '' },
      body: JSON.stringify({ query: ME }),
    });
    expect(response.status).toBe(401);
    const body = (await response.json()) as GraphQLResponse['body'];
    expect(body.data).toBeUndefined();
    expect(body.errors?.[0].extensions?.code).toBe('UNAUTHENTICATED');
  });

  test('a non-Bearer scheme (Basic, or a valid token under another scheme): 401', async () => {
    const valid = await app.token(world.users.admin.subject);
    expectUnauthenticated(await app.gql(`Basic ${Buffer.from('admin:secret').toString('base64')}`, ME));
    expectUnauthenticated(await app.gql(`Token ${valid}`, ME));
    expectUnauthenticated(await app.gql(`JWT ${valid}`, ME));
  });

  test('a malformed token (garbage, two segments, four segments, a JSON body): 401', async () => {
    const valid = await app.token(world.users.admin.subject);
    const [header, payload] = valid.split('.');
    expectUnauthenticated(await app.gql('Bearer garbage', ME));
    expectUnauthenticated(await app.gql('Bearer not a token at all', ME));
    expectUnauthenticated(await app.gql(`Bearer ${header}.${payload}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${valid}.extra`, ME));
    expectUnauthenticated(await app.gql('Bearer a.b.c', ME));
    expectUnauthenticated(await app.gql(`Bearer ${JSON.stringify({ sub: world.users.admin.subject })}`, ME));
  });

  test('a token whose payload was altered after signing: 401', async () => {
    const valid = await app.token(world.users.schoolA1.subject);
    const [header, , signature] = valid.split('.');
    const forged = `${header}.${b64url(claimsFor(world.users.admin.subject))}.${signature}`;
    expectUnauthenticated(await app.gql(`Bearer ${forged}`, ME));
  });

  test('a token signed with another secret: 401', async () => {
    const token = await hs256(claimsFor(world.users.admin.subject), 'another-secret-that-is-long-enough-0123456789');
    expectUnauthenticated(await app.gql(`Bearer ${token}`, ME));
  });

  test('an expired token: 401', async () => {
    const token = await hs256({ sub: world.users.admin.subject, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 });
    expectUnauthenticated(await app.gql(`Bearer ${token}`, ME));
  });

  test('a token that is not valid yet (nbf an hour ahead): 401', async () => {
    const token = await hs256(claimsFor(world.users.admin.subject, { nbf: nowSeconds() + 3600 }));
    expectUnauthenticated(await app.gql(`Bearer ${token}`, ME));
  });

  test('an unsigned token (alg: none), with and without a trailing dot: 401', async () => {
    const header = b64url({ alg: 'none', typ: 'JWT' });
    const payload = b64url(claimsFor(world.users.admin.subject));
    expectUnauthenticated(await app.gql(`Bearer ${header}.${payload}.`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${header}.${payload}`, ME));
    // `alg: none` with a signature copied from a real token of the same user.
    const signature = (await app.token(world.users.admin.subject)).split('.')[2];
    expectUnauthenticated(await app.gql(`Bearer ${header}.${payload}.${signature}`, ME));
  });

  test('a token without sub, with an empty sub or a non-string sub: 401', async () => {
    expectUnauthenticated(await app.gql(`Bearer ${await hs256({ iat: nowSeconds(), exp: nowSeconds() + 600, email: world.users.admin.email })}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claimsFor(''))}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claimsFor(world.users.admin.subject, { sub: 42 }))}`, ME));
  });

  test('a token without exp (never expiring): 401', async () => {
    const token = await hs256({ sub: world.users.admin.subject, iat: nowSeconds() });
    expectUnauthenticated(await app.gql(`Bearer ${token}`, ME));
  });

  test('a token without iat, issued in the future beyond the clock skew, or living longer than the maximum lifetime: 401', async () => {
    const sub = world.users.admin.subject;
    expectUnauthenticated(await app.gql(`Bearer ${await hs256({ sub, exp: nowSeconds() + 600 })}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await hs256({ sub, iat: nowSeconds() + 120, exp: nowSeconds() + 600 })}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await hs256({ sub, iat: nowSeconds(), exp: nowSeconds() + 13 * 3600 })}`, ME));
    // Positive controls: within the skew, and exactly the maximum lifetime (12 hours by default).
    expectMe(await app.gql(`Bearer ${await hs256({ sub, iat: nowSeconds() + 10, exp: nowSeconds() + 600 })}`, ME), world.users.admin.email);
    expectMe(await app.gql(`Bearer ${await hs256({ sub, iat: nowSeconds(), exp: nowSeconds() + 12 * 3600 })}`, ME), world.users.admin.email);
  });

  test('a valid token for a subject no user has: 401', async () => {
    expectUnauthenticated(await app.gql(`nobody-${unique()}@test.toptrajecten.test`, ME));
  });

  test('a valid token for a deactivated user (active = false): 401; the same user active answers 200', async () => {
    const user = await createUser(app.dataSource, world.partnership, [[Role.ADMIN]]);
    const token = `Bearer ${await app.token(user.subject)}`;
    expectMe(await app.gql(token, ME), user.email);
    await app.dataSource.query('UPDATE app_user SET active = false WHERE id = $1', [user.id]);
    expectUnauthenticated(await app.gql(token, ME));
    expectUnauthenticated(await app.gql(token, STUDENTS));
  });

  test('as SCHOOL_COORDINATOR of A1, a membership revoked in the database between two requests with the same token no longer counts', async () => {
    const user = await createUser(app.dataSource, world.partnership, [[Role.SCHOOL_COORDINATOR, { school: world.schools.A1 }]]);
    const token = `Bearer ${await app.token(user.subject)}`;
    const a1Students = [world.students.a1Plain, world.students.a1Mentee, world.students.a1Team, world.students.a1Revoked].map((s) => s.id).sort();

    const before = await app.gql<{ students: { totalCount: number; edges: Array<{ node: { id: string } }> } }>(token, STUDENTS);
    expect(before.status).toBe(200);
    expect(before.body.data!.students.totalCount).toBe(4);
    expect(before.body.data!.students.edges.map((e) => e.node.id).sort()).toEqual(a1Students);

    await app.dataSource.query('UPDATE membership SET revoked_at = now() WHERE user_id = $1', [user.id]);

    const after = await app.gql<{ students: { totalCount: number; edges: unknown[] } }>(token, STUDENTS);
    expect(after.status).toBe(200);
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data!.students).toEqual({ totalCount: 0, edges: [] });
    const me = await app.gql<{ me: { memberships: unknown[] } }>(token, ME);
    expect(me.body.data!.me.memberships).toEqual([]);
  });

  test('as SCHOOL_COORDINATOR of A1, deactivating the account makes the same token answer 401 on the next request', async () => {
    const user = await createUser(app.dataSource, world.partnership, [[Role.SCHOOL_COORDINATOR, { school: world.schools.A1 }]]);
    const token = `Bearer ${await app.token(user.subject)}`;
    const before = await app.gql<{ students: { totalCount: number } }>(token, STUDENTS);
    expect(before.status).toBe(200);
    expect(before.body.data!.students.totalCount).toBe(4);
    await app.dataSource.query('UPDATE app_user SET active = false WHERE id = $1', [user.id]);
    expectUnauthenticated(await app.gql(token, STUDENTS));
  });

  test('a mutation with an unusable token writes nothing', async () => {
    const [{ count: before }] = await app.dataSource.query('SELECT count(*)::int AS count FROM school WHERE partnership_id = $1', [world.partnership.id]);
    const response = await app.gql('Bearer garbage', 'mutation($input: CreateSchoolInput!) { createSchool(input: $input) { id } }', {
      input: { name: 'Unauthenticated school', brinCode: '77ZZ', windstreekId: world.windstreken.A.id },
    });
    expectUnauthenticated(response);
    const [{ count: after }] = await app.dataSource.query('SELECT count(*)::int AS count FROM school WHERE partnership_id = $1', [world.partnership.id]);
    expect(after).toBe(before);
  });
});

describe('authentication with AUTH_ISSUER and AUTH_AUDIENCE configured (HS256)', () => {
  const ISSUER = 'https://login.test.toptrajecten.test';
  const AUDIENCE = 'toptrajecten-api';
  let app: TestApp;
  let admin: { email: string; subject: string };

  beforeAll(async () => {
    app = await startTestApp({ env: { AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE } });
    const partnership = await createPartnership(app.dataSource);
    admin = await createUser(app.dataSource, partnership, [[Role.ADMIN]]);
  });
  afterAll(() => app.stop());

  test('positive control: a token with the right iss and aud is accepted', async () => {
    expectMe(await app.gql(`Bearer ${await hs256(claimsFor(admin.subject, { iss: ISSUER, aud: AUDIENCE }))}`, ME), admin.email);
    expectMe(await app.gql(`Bearer ${await hs256(claimsFor(admin.subject, { iss: ISSUER, aud: ['other-api', AUDIENCE] }))}`, ME), admin.email);
    expectMe(await app.gql(admin.email, ME), admin.email); // the harness mints iss/aud from the config
  });

  test('a token with the wrong iss: 401', async () => {
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claimsFor(admin.subject, { iss: 'https://evil.example', aud: AUDIENCE }))}`, ME));
  });

  test('a token with the wrong aud: 401', async () => {
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claimsFor(admin.subject, { iss: ISSUER, aud: 'another-application' }))}`, ME));
  });

  test('a token without iss or without aud: 401', async () => {
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claimsFor(admin.subject, { aud: AUDIENCE }))}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claimsFor(admin.subject, { iss: ISSUER }))}`, ME));
  });
});

/** A JWKS endpoint on 127.0.0.1 serving `keys`, as an OpenID Connect provider would. */
async function startJwksServer(keys: JWK[]): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.url === '/.well-known/jwks.json') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ keys }));
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/.well-known/jwks.json`,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

describe('authentication in production (RS256 keys from AUTH_JWKS_URL)', () => {
  const ISSUER = 'https://idp.test.toptrajecten.test';
  const AUDIENCE = 'toptrajecten-api-production';
  const KID = 'test-key-1';
  let jwks: Awaited<ReturnType<typeof startJwksServer>>;
  let privateKey: KeyLike;
  let otherPrivateKey: KeyLike;
  let publicJwk: JWK;
  let app: TestApp;
  let admin: { email: string; subject: string };
  let productionEnv: NodeJS.ProcessEnv;

  const rs256 = (claims: Record<string, unknown>, key = privateKey, kid = KID) =>
    new SignJWT(claims).setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid }).sign(key);

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256');
    privateKey = pair.privateKey;
    otherPrivateKey = (await generateKeyPair('RS256')).privateKey;
    // The JWKS publishes the public half of `privateKey` only.
    publicJwk = { ...(await exportJWK(pair.publicKey)), kid: KID, alg: 'RS256', use: 'sig' };
    jwks = await startJwksServer([publicJwk]);
    productionEnv = { NODE_ENV: 'production', AUTH_JWKS_URL: jwks.url, AUTH_ISSUER: ISSUER, AUTH_AUDIENCE: AUDIENCE, PSEUDONYM_KEY: 'x'.repeat(32), AUDIT_CHECKPOINT_KEY: 'c'.repeat(32) };
    app = await startTestApp({ env: productionEnv });
    const partnership = await createPartnership(app.dataSource);
    admin = await createUser(app.dataSource, partnership, [[Role.ADMIN]]);
  });
  afterAll(async () => {
    await app.stop();
    await jwks.close();
  });

  test('the app really runs in production mode', () => {
    expect(app.config.nodeEnv).toBe('production');
    expect(app.config.auth.jwtSecret).toBeUndefined();
    expect(app.config.auth.jwksUrl).toBe(jwks.url);
  });

  test('positive control: an RS256 token signed with the published key, right iss and aud, is accepted', async () => {
    expectMe(await app.gql(`Bearer ${await rs256(claimsFor(admin.subject, { iss: ISSUER, aud: AUDIENCE }))}`, ME), admin.email);
  });

  test('an HS256 token is refused, whatever the secret (development secret, or the public key as secret)', async () => {
    const claims = claimsFor(admin.subject, { iss: ISSUER, aud: AUDIENCE });
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claims)}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claims, 'any-other-secret-that-is-long-enough-012345')}`, ME));
    // Algorithm confusion: the published public key used as an HMAC secret.
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claims, JSON.stringify(publicJwk))}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await hs256(claims, publicJwk.n!)}`, ME));
  });

  test('an RS256 token with the wrong audience or issuer: 401', async () => {
    expectUnauthenticated(await app.gql(`Bearer ${await rs256(claimsFor(admin.subject, { iss: ISSUER, aud: 'another-application' }))}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await rs256(claimsFor(admin.subject, { iss: 'https://evil.example', aud: AUDIENCE }))}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await rs256(claimsFor(admin.subject, { iss: ISSUER }))}`, ME));
  });

  test('an RS256 token signed with a key the JWKS does not publish: 401 (same kid, or an unknown kid)', async () => {
    const claims = claimsFor(admin.subject, { iss: ISSUER, aud: AUDIENCE });
    expectUnauthenticated(await app.gql(`Bearer ${await rs256(claims, otherPrivateKey)}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await rs256(claims, otherPrivateKey, 'unknown-kid')}`, ME));
  });

  test('an expired RS256 token, an alg:none token and an unknown subject: 401', async () => {
    expectUnauthenticated(await app.gql(`Bearer ${await rs256({ sub: admin.subject, iss: ISSUER, aud: AUDIENCE, iat: nowSeconds() - 7200, exp: nowSeconds() - 3600 })}`, ME));
    const none = `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(claimsFor(admin.subject, { iss: ISSUER, aud: AUDIENCE }))}.`;
    expectUnauthenticated(await app.gql(`Bearer ${none}`, ME));
    expectUnauthenticated(await app.gql(`Bearer ${await rs256(claimsFor(`nobody-${unique()}`, { iss: ISSUER, aud: AUDIENCE }))}`, ME));
  });

  test('`npm run token` refuses in production: mintDevelopmentToken throws with a production config', async () => {
    await expect(mintDevelopmentToken(app.config, admin.subject)).rejects.toThrow(/production/i);
    await expect(mintDevelopmentToken(loadConfig(productionEnv), admin.subject)).rejects.toThrow();
    // Positive control: the same call with a test configuration mints a usable three-part token.
    const token = await mintDevelopmentToken(loadConfig({ NODE_ENV: 'test' }), admin.subject);
    expect(token.split('.')).toHaveLength(3);
  });

  test('production refuses to start with a development secret configured', () => {
    expect(() => loadConfig({ ...productionEnv, AUTH_JWT_SECRET: DEVELOPMENT_JWT_SECRET })).toThrow(/AUTH_JWT_SECRET/);
    expect(() => loadConfig({ ...productionEnv, AUTH_AUDIENCE: '' })).toThrow(/AUTH_AUDIENCE/);
  });
});

