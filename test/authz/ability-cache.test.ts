/**
 * A request's ability is built once per (actor as loaded, day) and reused by the requests that
 * follow (`abilityFor`, src/authz/ability.ts). Reuse must never outlive what the ability was
 * built from: an equal actor on the same day gets the very same ability, and any change the
 * rules could see (a membership revoked or its scope changed, another partnership, the next day,
 * the test-only tenant switch) gets a new one, equal to building it afresh. Over HTTP: a
 * membership revoked between two requests of a caller with two takes effect on the next one.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { abilityFor, defineAbilityFor, tenantConditionForTesting } from '../../src/authz/ability';
import type { Actor, ActorMembership } from '../../src/authz/actor';
import { createDataSource } from '../../src/app/database';
import { Role } from '../../src/domain/enums';
import { createUser } from '../factories';
import { useAppWithWorld } from '../setup/app-with-world';

const TODAY = '2026-03-02';

function membership(id: string, schoolId: string): ActorMembership {
  return { id, role: Role.SCHOOL_COORDINATOR, teamFunction: null, windstreekId: null, schoolId, topteamId: null, schoolWindstreekId: 'w1', topteamWindstreekId: null };
}

function advisor(id: string, windstreekId: string): ActorMembership {
  return { id, role: Role.EDUCATION_ADVISOR, teamFunction: null, windstreekId, schoolId: null, topteamId: null, schoolWindstreekId: null, topteamWindstreekId: null };
}

/**
 * A new object each call: the cache must go by content, not by identity. The advisor's rules
 * depend on the day (a consent holds on some days).
 */
function coordinator(memberships = [membership('m1', 's1'), advisor('m2', 'w2')], partnershipId = 'p1'): Actor {
  return { userId: 'u1', subject: 'u1@test', email: 'u1@test', name: 'U1', partnershipId, memberships };
}

describe('abilityFor', () => {
  let dataSource: DataSource;
  beforeAll(async () => {
    dataSource = createDataSource({ url: process.env.TEST_DATABASE_URL!, poolSize: 1 });
    await dataSource.initialize();
  });
  afterAll(() => dataSource.destroy());

  test('an equal actor on the same day gets the same ability, with the rules a fresh build has', () => {
    const first = abilityFor(coordinator(), dataSource, TODAY);
    expect(abilityFor(coordinator(), dataSource, TODAY)).toBe(first);
    expect(first.rules).toEqual(defineAbilityFor(coordinator(), dataSource, TODAY).rules);
  });

  test.each<[string, () => [Actor, string]]>([
    ['a membership revoked', () => [coordinator([membership('m1', 's1')]), TODAY]],
    ['a membership granted', () => [coordinator([membership('m1', 's1'), advisor('m2', 'w2'), membership('m3', 's3')]), TODAY]],
    ['a scope changed', () => [coordinator([membership('m1', 's1'), advisor('m2', 'w9')]), TODAY]],
    ['a role changed', () => [coordinator([membership('m1', 's1'), { ...advisor('m2', 'w2'), role: Role.SCHOOL_COORDINATOR, schoolId: 's2' }]), TODAY]],
    ['every membership revoked', () => [coordinator([]), TODAY]],
    ['another partnership', () => [coordinator(undefined, 'p2'), TODAY]],
    ['the next day', () => [coordinator(), '2026-03-03']],
  ])('%s: a new ability, equal to building it afresh', (_label, changed) => {
    const before = abilityFor(coordinator(), dataSource, TODAY);
    const [actor, today] = changed();
    const after = abilityFor(actor, dataSource, today);
    expect(after).not.toBe(before);
    expect(after.rules).toEqual(defineAbilityFor(actor, dataSource, today).rules);
    expect(after.rules).not.toEqual(before.rules);
  });

  test('the test-only tenant switch is part of what an ability is built from', () => {
    const bound = abilityFor(coordinator(), dataSource, TODAY);
    tenantConditionForTesting.enabled = false;
    try {
      const unbound = abilityFor(coordinator(), dataSource, TODAY);
      expect(unbound).not.toBe(bound);
      expect(JSON.stringify(unbound.rules)).not.toContain('partnershipId');
    } finally {
      tenantConditionForTesting.enabled = true;
    }
    expect(abilityFor(coordinator(), dataSource, TODAY)).toBe(bound);
  });
});

describe('over HTTP', () => {
  const { app, world } = useAppWithWorld();
  const STUDENTS = '{ students(first: 100) { totalCount } }';

  test('as SCHOOL_COORDINATOR of A1 and A2, a revoked A2 membership takes effect on the next request with the same token', async () => {
    const user = await createUser(app.dataSource, world.partnership, [[Role.SCHOOL_COORDINATOR, { school: world.schools.A1 }], [Role.SCHOOL_COORDINATOR, { school: world.schools.A2 }]]);
    const token = `Bearer ${await app.token(user.subject)}`;
    const count = async () => {
      const response = await app.gql<{ students: { totalCount: number } }>(token, STUDENTS);
      expect(response.body.errors).toBeUndefined();
      return response.body.data!.students.totalCount;
    };
    const both = await count();
    expect(await count()).toBe(both);
    const onlyA1 = await createUser(app.dataSource, world.partnership, [[Role.SCHOOL_COORDINATOR, { school: world.schools.A1 }]]);
    const a1 = (await app.gql<{ students: { totalCount: number } }>(`Bearer ${await app.token(onlyA1.subject)}`, STUDENTS)).body.data!.students.totalCount;
    expect(both).toBeGreaterThan(a1);

    await app.dataSource.query('UPDATE membership SET revoked_at = now() WHERE user_id = $1 AND school_id = $2', [user.id, world.schools.A2.id]);
    expect(await count()).toBe(a1);
  });
});
