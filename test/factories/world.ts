/**
 * A small but complete partnership for access tests: two neighbouring windstreken (A, B),
 * schools A1 and A2 in A and B1 in B, one Topteam each, one user per role and scope, and
 * students in every situation the access rules distinguish:
 *
 * | student   | school | trajectory        | consents                      |
 * |-----------|--------|-------------------|-------------------------------|
 * | a1Plain   | A1     | none              | none                          |
 * | a1Mentee  | A1     | none (mentor A1)  | none                          |
 * | a1Team    | A1     | assigned to TA    | partnership + care, valid     |
 * | a1Revoked | A1     | assigned to TA    | partnership valid, care withdrawn |
 * | a2Req     | A2     | REQUESTED, no team| partnership valid             |
 * | a2Cross   | A2     | assigned to TB    | partnership + care, valid     |
 * | b1Team    | B1     | assigned to TB    | partnership + care, valid     |
 */
import { DataSource } from 'typeorm';
import { ConsentPurpose, Phase, Role, TeamFunction } from '../../src/domain/enums';
import {
  createConsent, createPartnership, createSchool, createStudent, createTopteam, createTrajectory, createUser, createWindstreek, unique,
} from './index';

export async function createWorld(ds: DataSource) {
  const partnership = await createPartnership(ds);
  const A = await createWindstreek(ds, partnership, unique('A'));
  const B = await createWindstreek(ds, partnership, unique('B'), [A]);
  const A1 = await createSchool(ds, A);
  const A2 = await createSchool(ds, A);
  const B1 = await createSchool(ds, B);
  const TA = await createTopteam(ds, A);
  const TB = await createTopteam(ds, B);

  const users = {
    admin: await createUser(ds, partnership, [[Role.ADMIN]]),
    privacy: await createUser(ds, partnership, [[Role.PRIVACY_OFFICER]]),
    coordinator: await createUser(ds, partnership, [[Role.PROGRAMME_COORDINATOR]]),
    analyst: await createUser(ds, partnership, [[Role.PARTNERSHIP_ANALYST]]),
    advisorA: await createUser(ds, partnership, [[Role.EDUCATION_ADVISOR, { windstreek: A }]]),
    scientistA: await createUser(ds, partnership, [[Role.TEAM_MEMBER, { topteam: TA, teamFunction: TeamFunction.BEHAVIOURAL_SCIENTIST }]]),
    teacherB: await createUser(ds, partnership, [[Role.TEAM_MEMBER, { topteam: TB, teamFunction: TeamFunction.TEACHER }]]),
    schoolA1: await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school: A1 }]]),
    schoolB1: await createUser(ds, partnership, [[Role.SCHOOL_COORDINATOR, { school: B1 }]]),
    mentorA1: await createUser(ds, partnership, [[Role.MENTOR, { school: A1 }]]),
    nobody: await createUser(ds, partnership, []),
  };

  const a1Plain = await createStudent(ds, A1);
  const a1Mentee = await createStudent(ds, A1, { mentorUserId: users.mentorA1.id });
  const a1Team = await createStudent(ds, A1);
  const a1Revoked = await createStudent(ds, A1);
  const a2Req = await createStudent(ds, A2);
  const a2Cross = await createStudent(ds, A2);
  const b1Team = await createStudent(ds, B1);
  const students = { a1Plain, a1Mentee, a1Team, a1Revoked, a2Req, a2Cross, b1Team };

  const by = users.schoolA1;
  for (const s of [a1Team, a1Revoked, a2Req, a2Cross, b1Team]) await createConsent(ds, s, by, ConsentPurpose.SHARE_WITH_PARTNERSHIP);
  for (const s of [a1Team, a2Cross, b1Team]) await createConsent(ds, s, by, ConsentPurpose.CARE_BY_TOPTEAM);
  await createConsent(ds, a1Revoked, by, ConsentPurpose.CARE_BY_TOPTEAM, true);

  const trajectories = {
    a1Team: await createTrajectory(ds, a1Team, A1, by, { team: TA, phase: Phase.ASSESSMENT, phaseDueOn: '2026-03-02' }),
    a1Revoked: await createTrajectory(ds, a1Revoked, A1, by, { team: TA, phase: Phase.INTENSIVE, phaseDueOn: '2026-05-01' }),
    a2Req: await createTrajectory(ds, a2Req, A2, by, { phase: Phase.REQUESTED }),
    a2Cross: await createTrajectory(ds, a2Cross, A2, by, { team: TB, phase: Phase.ASSESSMENT, phaseDueOn: '2026-04-01' }),
    b1Team: await createTrajectory(ds, b1Team, B1, users.schoolB1, { team: TB, phase: Phase.CONSOLIDATION, phaseDueOn: '2026-06-01' }),
  };

  return { partnership, windstreken: { A, B }, schools: { A1, A2, B1 }, teams: { TA, TB }, users, students, trajectories };
}

export type World = Awaited<ReturnType<typeof createWorld>>;
