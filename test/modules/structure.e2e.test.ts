/**
 * End to end through the typed SDK: the ADMIN builds the structure of a partnership
 * (windstreken, schools, Topteams, accounts, memberships), and the tenant of every write
 * and read comes from the caller, never from an id in the input.
 *
 * The database is used only for setup (factories) and for checking the rows written.
 */
import { Role } from '../../src/domain/enums';
import { Partnership, School, User, Windstreek } from '../../src/app/entities';
import { createPartnership, createSchool, createUser, createWindstreek, grant, unique } from '../factories';
import { startTestApp, TestApp } from '../setup/app';
import { errorOf } from '../setup/errors';

let app: TestApp;
beforeAll(async () => {
  app = await startTestApp();
});
afterAll(() => app.stop());

/**
 * A BRIN code unique within this file: two digits and two letters past F, so it never
 * collides with the factory's codes (two digits, two hex characters) in the same partnership.
 */
let brinSequence = 0;
function brin(): string {
  const letters = 'GHJKLMNPQRSTUVWXYZ';
  const n = brinSequence++;
  return `${10 + (n % 90)}${letters[Math.floor(n / 90) % letters.length]}${letters[n % letters.length]}`;
}

describe('as ADMIN of a fresh partnership', () => {
  let partnership: Partnership;
  let admin: User;
  let existing: Windstreek;

  beforeAll(async () => {
    const ds = app.dataSource;
    partnership = await createPartnership(ds);
    admin = await createUser(ds, partnership, [[Role.ADMIN]]);
    existing = await createWindstreek(ds, partnership, unique('Bestaand '));
  });

  test('as ADMIN, createWindstreek with a neighbour links both windstreken: each lists the other in Windstreken', async () => {
    const sdk = await app.sdk(admin.subject);
    const name = unique('Noord ');
    const { createWindstreek: created } = await sdk.CreateWindstreek({ input: { name: `  ${name} `, neighbourIds: [existing.id] } });
    expect(created.name).toBe(name);
    expect(created.neighbours.map((n) => n.id)).toEqual([existing.id]);

    const { windstreken } = await sdk.Windstreken({ first: 100 });
    const byId = new Map(windstreken.edges.map((e) => [e.node.id, e.node]));
    expect(windstreken.totalCount).toBe(2);
    expect(byId.get(created.id)?.neighbours.map((n) => n.id)).toEqual([existing.id]);
    expect(byId.get(existing.id)?.neighbours.map((n) => n.id)).toEqual([created.id]);

    const row = await app.dataSource.getRepository(Windstreek).findOneByOrFail({ id: created.id });
    expect(row.partnershipId).toBe(partnership.id);
  });

  test('as ADMIN, createSchool returns the school with its windstreek and stores it in the own partnership', async () => {
    const sdk = await app.sdk(admin.subject);
    const code = brin();
    const name = unique('Lyceum ');
    const { createSchool: school } = await sdk.CreateSchool({ input: { name, brinCode: code, windstreekId: existing.id } });
    expect(school).toMatchObject({ name, brinCode: code, windstreek: { id: existing.id } });

    const row = await app.dataSource.getRepository(School).findOneByOrFail({ id: school.id });
    expect(row).toMatchObject({ partnershipId: partnership.id, windstreekId: existing.id, brinCode: code });

    const { school: read } = await sdk.School({ id: school.id });
    expect(read).toMatchObject({ id: school.id, windstreek: { id: existing.id } });
  });

  test('as ADMIN, createTopteam returns the team with its capacity and windstreek', async () => {
    const sdk = await app.sdk(admin.subject);
    const name = unique('Topteam ');
    const { createTopteam: team } = await sdk.CreateTopteam({ input: { name, windstreekId: existing.id, capacity: 17 } });
    expect(team).toMatchObject({ name, capacity: 17, windstreek: { id: existing.id } });

    const { topteams } = await sdk.Topteams({ first: 100 });
    expect(topteams.edges.map((e) => e.node)).toContainEqual(expect.objectContaining({ id: team.id, capacity: 17 }));
    const [row] = await app.dataSource.query('SELECT partnership_id, capacity FROM topteam WHERE id = $1', [team.id]);
    expect(row).toEqual({ partnership_id: partnership.id, capacity: 17 });
  });

  test('as ADMIN, createUser lower-cases the e-mail and defaults the subject to it; an explicit subject is kept', async () => {
    const sdk = await app.sdk(admin.subject);
    const local = unique('New.Person.');
    const { createUser: user } = await sdk.CreateUser({ input: { email: `${local}@Example.TEST`, name: 'Nieuwe Collega' } });
    const lower = `${local}@example.test`.toLowerCase();
    expect(user).toMatchObject({ email: lower, subject: lower, name: 'Nieuwe Collega', active: true });
    expect(user.email).not.toBe(`${local}@Example.TEST`);

    const subject = unique('oidc|');
    const { createUser: withSubject } = await sdk.CreateUser({ input: { email: `${unique('sub')}@example.test`, name: 'Met Subject', subject } });
    expect(withSubject.subject).toBe(subject);

    const row = await app.dataSource.getRepository(User).findOneByOrFail({ id: user.id });
    expect(row).toMatchObject({ partnershipId: partnership.id, email: lower, subject: lower });
  });

  test('as ADMIN, a granted SCHOOL_COORDINATOR membership scopes the new user to that school, and revoking it ends that on the next request', async () => {
    const sdk = await app.sdk(admin.subject);
    const { createSchool: school } = await sdk.CreateSchool({ input: { name: unique('College '), brinCode: brin(), windstreekId: existing.id } });
    // A second school of the partnership: the new coordinator must not see it.
    await sdk.CreateSchool({ input: { name: unique('Andere '), brinCode: brin(), windstreekId: existing.id } });
    const { createUser: user } = await sdk.CreateUser({ input: { email: `${unique('Coord.')}@Example.TEST`, name: 'Coördinator' } });

    // Before any grant the user sees no school at all.
    const asUser = await app.sdk(user.subject);
    expect((await asUser.Me()).me.memberships).toEqual([]);
    expect((await asUser.Schools({ first: 100 })).schools.totalCount).toBe(0);

    const { grantMembership: membership } = await sdk.GrantMembership({ input: { userId: user.id, role: 'SCHOOL_COORDINATOR', schoolId: school.id } });
    expect(membership).toMatchObject({ role: 'SCHOOL_COORDINATOR', revokedAt: null, teamFunction: null, school: { id: school.id }, windstreek: null, topteam: null });

    // The new user, signing in with their subject, now coordinates exactly that school.
    const { me } = await asUser.Me();
    expect(me.id).toBe(user.id);
    expect(me.memberships).toHaveLength(1);
    expect(me.memberships[0]).toMatchObject({ id: membership.id, role: 'SCHOOL_COORDINATOR' });
    expect(me.memberships[0].school?.id).toBe(school.id);
    const { schools } = await asUser.Schools({ first: 100 });
    expect(schools.totalCount).toBe(1);
    expect(schools.edges.map((e) => e.node.id)).toEqual([school.id]);

    const { revokeMembership: revoked } = await sdk.RevokeMembership({ input: { membershipId: membership.id } });
    expect(revoked.id).toBe(membership.id);
    expect(revoked.revokedAt).not.toBeNull();

    // Same token, next request: the role is gone.
    expect((await asUser.Me()).me.memberships).toEqual([]);
    const after = await asUser.Schools({ first: 100 });
    expect(after.schools.totalCount).toBe(0);
    expect(after.schools.edges).toEqual([]);
    expect((await asUser.School({ id: school.id })).school).toBeNull();

    const [row] = await app.dataSource.query('SELECT partnership_id, revoked_at FROM membership WHERE id = $1', [membership.id]);
    expect(row.partnership_id).toBe(partnership.id);
    expect(row.revoked_at).toBeInstanceOf(Date);
  });

  test('as ADMIN, revoking a membership twice answers CONFLICT', async () => {
    const sdk = await app.sdk(admin.subject);
    const user = await createUser(app.dataSource, partnership);
    const membership = await grant(app.dataSource, user, Role.PRIVACY_OFFICER);
    await expect(sdk.RevokeMembership({ input: { membershipId: membership.id } })).resolves.toMatchObject({ revokeMembership: { id: membership.id } });
    const second = await errorOf(sdk.RevokeMembership({ input: { membershipId: membership.id } }));
    expect(second.code).toBe('CONFLICT');
  });

  test('as ADMIN, granting the same role in the same scope twice answers CONFLICT (a revoked grant does not count)', async () => {
    const sdk = await app.sdk(admin.subject);
    const school = await createSchool(app.dataSource, existing);
    const user = await createUser(app.dataSource, partnership);
    const input = { userId: user.id, role: 'MENTOR' as const, schoolId: school.id };
    const { grantMembership: first } = await sdk.GrantMembership({ input });
    await sdk.RevokeMembership({ input: { membershipId: first.id } });
    const { grantMembership: again } = await sdk.GrantMembership({ input });
    expect(again.id).not.toBe(first.id);

    const duplicate = await errorOf(sdk.GrantMembership({ input }));
    expect(duplicate.code).toBe('CONFLICT');
    const [{ count }] = await app.dataSource.query('SELECT count(*)::int AS count FROM membership WHERE user_id = $1 AND revoked_at IS NULL', [user.id]);
    expect(count).toBe(1);
  });

  test('as ADMIN, granting TEAM_MEMBER without a teamFunction answers BAD_USER_INPUT on input.teamFunction', async () => {
    const sdk = await app.sdk(admin.subject);
    const { createTopteam: team } = await sdk.CreateTopteam({ input: { name: unique('Team '), windstreekId: existing.id, capacity: 5 } });
    const user = await createUser(app.dataSource, partnership);
    const missing = await errorOf(sdk.GrantMembership({ input: { userId: user.id, role: 'TEAM_MEMBER', topteamId: team.id } }));
    expect(missing).toMatchObject({ code: 'BAD_USER_INPUT', field: 'input.teamFunction' });

    // Positive control: with a function the same grant succeeds.
    const { grantMembership: ok } = await sdk.GrantMembership({ input: { userId: user.id, role: 'TEAM_MEMBER', topteamId: team.id, teamFunction: 'BEHAVIOURAL_SCIENTIST' } });
    expect(ok).toMatchObject({ role: 'TEAM_MEMBER', teamFunction: 'BEHAVIOURAL_SCIENTIST', topteam: { id: team.id } });
  });
});

describe('the tenant comes from the caller', () => {
  let first: { partnership: Partnership; admin: User; windstreek: Windstreek; school: School; user: User };
  let second: { partnership: Partnership; admin: User; windstreek: Windstreek; school: School };

  beforeAll(async () => {
    const ds = app.dataSource;
    const p1 = await createPartnership(ds);
    const w1 = await createWindstreek(ds, p1);
    const s1 = await createSchool(ds, w1);
    first = { partnership: p1, admin: await createUser(ds, p1, [[Role.ADMIN]]), windstreek: w1, school: s1, user: await createUser(ds, p1, [[Role.SCHOOL_COORDINATOR, { school: s1 }]]) };
    const p2 = await createPartnership(ds);
    const w2 = await createWindstreek(ds, p2);
    second = { partnership: p2, admin: await createUser(ds, p2, [[Role.ADMIN]]), windstreek: w2, school: await createSchool(ds, w2) };
  });

  test("as ADMIN of a second partnership, the first partnership's schools and users are absent from lists and single reads", async () => {
    const sdk = await app.sdk(second.admin.subject);

    const { schools } = await sdk.Schools({ first: 100 });
    const schoolIds = schools.edges.map((e) => e.node.id);
    expect(schoolIds).toEqual([second.school.id]);
    expect(schools.totalCount).toBe(1);
    expect((await sdk.School({ id: first.school.id })).school).toBeNull();
    expect((await sdk.School({ id: second.school.id })).school?.id).toBe(second.school.id);

    const { users } = await sdk.Users({ first: 100 });
    const userIds = users.edges.map((e) => e.node.id);
    expect(userIds).toEqual([second.admin.id]);
    expect(users.totalCount).toBe(1);
    expect(userIds).not.toContain(first.admin.id);
    expect(userIds).not.toContain(first.user.id);
    expect((await sdk.UserById({ id: first.user.id })).user).toBeNull();
    expect((await sdk.UserById({ id: second.admin.id })).user?.id).toBe(second.admin.id);

    const { windstreken } = await sdk.Windstreken({ first: 100 });
    expect(windstreken.edges.map((e) => e.node.id)).toEqual([second.windstreek.id]);

    // Positive control: the first partnership's admin does see its own school and users.
    const own = await app.sdk(first.admin.subject);
    expect((await own.Schools({ first: 100 })).schools.edges.map((e) => e.node.id)).toEqual([first.school.id]);
    expect((await own.Users({ first: 100 })).users.edges.map((e) => e.node.id).sort()).toEqual([first.admin.id, first.user.id].sort());
  });

  test("as ADMIN of a second partnership, writes naming the first partnership's ids answer NOT_FOUND and write nothing", async () => {
    const sdk = await app.sdk(second.admin.subject);
    const name = unique('Indringer ');

    const school = await errorOf(sdk.CreateSchool({ input: { name, brinCode: brin(), windstreekId: first.windstreek.id } }));
    expect(school.code).toBe('NOT_FOUND');
    const team = await errorOf(sdk.CreateTopteam({ input: { name, windstreekId: first.windstreek.id, capacity: 3 } }));
    expect(team.code).toBe('NOT_FOUND');
    const windstreek = await errorOf(sdk.CreateWindstreek({ input: { name, neighbourIds: [first.windstreek.id] } }));
    expect(windstreek.code).toBe('NOT_FOUND');
    const grantForeignUser = await errorOf(sdk.GrantMembership({ input: { userId: first.user.id, role: 'PRIVACY_OFFICER' } }));
    expect(grantForeignUser.code).toBe('NOT_FOUND');
    const grantForeignSchool = await errorOf(sdk.GrantMembership({ input: { userId: second.admin.id, role: 'MENTOR', schoolId: first.school.id } }));
    expect(grantForeignSchool.code).toBe('NOT_FOUND');
    const [membership] = await app.dataSource.query('SELECT id FROM membership WHERE user_id = $1', [first.user.id]);
    const revokeForeign = await errorOf(sdk.RevokeMembership({ input: { membershipId: membership.id } }));
    expect(revokeForeign.code).toBe('NOT_FOUND');

    // Nothing was written anywhere under that name, and the foreign membership still holds.
    const [{ count }] = await app.dataSource.query(
      `SELECT (SELECT count(*) FROM school WHERE name = $1) + (SELECT count(*) FROM topteam WHERE name = $1) + (SELECT count(*) FROM windstreek WHERE name = $1) AS count`,
      [name],
    );
    expect(Number(count)).toBe(0);
    const [stillActive] = await app.dataSource.query('SELECT revoked_at FROM membership WHERE id = $1', [membership.id]);
    expect(stillActive.revoked_at).toBeNull();

    // Positive control: the same school in the own windstreek is created, in the own partnership.
    const { createSchool: created } = await sdk.CreateSchool({ input: { name, brinCode: brin(), windstreekId: second.windstreek.id } });
    const row = await app.dataSource.getRepository(School).findOneByOrFail({ id: created.id });
    expect(row.partnershipId).toBe(second.partnership.id);
  });
});
