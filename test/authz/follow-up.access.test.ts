/**
 * Follow-ups per role (src/authz/README.md, "Field categories"): a follow-up's moment, due date
 * and whether it was recorded are PLANNING, read by every role that reads the case's planning
 * (school coordinator, mentor, advisor, the assigned Topteam also after a withdrawal, programme
 * coordinator); what it found (still in education, at the expected level, diploma expected, how
 * it is going) is CASE, null for whoever reads no case records: the mentor, the advisor, the
 * programme coordinator and the Topteam once the care consent no longer holds. Roles outside
 * the case read no follow-up at all.
 *
 * One completed case with its two follow-ups, the 3-month one recorded, the 12-month one due;
 * a second one whose care consent was withdrawn.
 */
import { FollowUp } from '../../src/app/entities';
import { ConsentPurpose, Phase } from '../../src/domain/enums';
import { trajectoryIn } from '../factories/workflow';
import { useAppWithWorld } from '../setup/app-with-world';

const { app, world } = useAppWithWorld();

const QUERY = `query($id: ID!) { trajectory(id: $id) {
  followUps(first: 10) { totalCount edges { node { moment dueOn recordedAt stillInEducation atExpectedExitLevel diplomaExpected howIsItGoing } } }
} }`;

const RECORDED_AT = '2026-02-20T10:00:00.000Z';
const HOW = 'Gaat goed: weer elke dag op school, mentor tevreden.';

let caseId: string;
let withdrawnId: string;
/** The two follow-ups as planned: [3 months, 12 months]. */
let planned: Array<{ moment: string; dueOn: string }>;

beforeAll(async () => {
  const completed = await trajectoryIn(app.dataSource, world, Phase.COMPLETED, { mentor: world.users.mentorA1 });
  caseId = completed.trajectory.id;
  planned = completed.followUps.map((f) => ({ moment: f.moment, dueOn: f.dueOn }));
  expect(planned.map((f) => f.moment)).toEqual(['THREE_MONTHS', 'TWELVE_MONTHS']);
  await app.dataSource.getRepository(FollowUp).update(
    { id: completed.followUps[0].id },
    { recordedAt: new Date(RECORDED_AT), stillInEducation: true, atExpectedExitLevel: false, diplomaExpected: true, howIsItGoing: HOW, recordedByUserId: world.users.scientistA.id },
  );
  const withdrawn = await trajectoryIn(app.dataSource, world, Phase.COMPLETED, {
    consents: [ConsentPurpose.SHARE_WITH_PARTNERSHIP], withdrawn: [ConsentPurpose.CARE_BY_TOPTEAM],
  });
  withdrawnId = withdrawn.trajectory.id;
});

/** What `who` reads of the follow-ups of trajectory `id`: null when the trajectory itself is not read. */
async function followUpsAs(who: keyof typeof world.users, id: string): Promise<unknown[] | null> {
  const { body } = await app.gql<{ trajectory: { followUps: { totalCount: number; edges: Array<{ node: unknown }> } } | null }>(world.users[who].email, QUERY, { id });
  const trajectory = body.data?.trajectory ?? null;
  if (trajectory === null) return null;
  expect(trajectory.followUps.totalCount).toBe(trajectory.followUps.edges.length);
  return trajectory.followUps.edges.map((e) => e.node);
}

/** The two follow-ups with their outcomes (the recorded one) or with every outcome null. */
const whole = () => [
  { ...planned[0], recordedAt: RECORDED_AT, stillInEducation: true, atExpectedExitLevel: false, diplomaExpected: true, howIsItGoing: HOW },
  { ...planned[1], recordedAt: null, stillInEducation: null, atExpectedExitLevel: null, diplomaExpected: null, howIsItGoing: null },
];
const planningOnly = () => [
  { ...planned[0], recordedAt: RECORDED_AT, stillInEducation: null, atExpectedExitLevel: null, diplomaExpected: null, howIsItGoing: null },
  { ...planned[1], recordedAt: null, stillInEducation: null, atExpectedExitLevel: null, diplomaExpected: null, howIsItGoing: null },
];

test.each([
  ['schoolA1', 'whole'],
  ['scientistA', 'whole'],
  ['mentorA1', 'planning'],
  ['advisorA', 'planning'],
  ['coordinator', 'planning'],
] as const)('%s reads the due follow-ups: %s', async (who, view) => {
  expect(await followUpsAs(who, caseId)).toEqual(view === 'whole' ? whole() : planningOnly());
});

test.each(['teacherB', 'schoolB1', 'privacy', 'analyst', 'admin', 'nobody'] as const)('%s, outside the case, reads no follow-up', async (who) => {
  expect(await followUpsAs(who, caseId)).toBeNull();
});

test('after the care consent was withdrawn the Topteam still reads what is due, not the outcomes; the school reads them whole', async () => {
  await app.dataSource.getRepository(FollowUp).update({ trajectoryId: withdrawnId, moment: 'THREE_MONTHS' as never }, { recordedAt: new Date(RECORDED_AT), stillInEducation: false, howIsItGoing: HOW });
  const scientist = await followUpsAs('scientistA', withdrawnId);
  expect(scientist).toHaveLength(2);
  expect(scientist![0]).toMatchObject({ moment: 'THREE_MONTHS', recordedAt: RECORDED_AT, stillInEducation: null, howIsItGoing: null });
  expect(scientist![1]).toMatchObject({ moment: 'TWELVE_MONTHS', recordedAt: null });
  const school = await followUpsAs('schoolA1', withdrawnId);
  expect(school![0]).toMatchObject({ moment: 'THREE_MONTHS', stillInEducation: false, howIsItGoing: HOW });
});
