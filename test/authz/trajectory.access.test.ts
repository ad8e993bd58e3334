/**
 * Who reads which trajectory, for every role of the access matrix (src/authz/README.md), through HTTP — as a list, a
 * count, a single read, and nested under students, schools and Topteams.
 *
 * Two separate partnerships are built with createWorld() (test/factories/world.ts, read its
 * table), each extended with two trajectories:
 *
 * | extra trajectory | student  | school | team | phase     | what it distinguishes                                    |
 * |------------------|----------|--------|------|-----------|----------------------------------------------------------|
 * | menteeReq        | a1Mentee | A1     | none | REQUESTED | the mentor's positive case; advisor A sees it, not its student (no consent) |
 * | a1TeamPrev       | a1Team   | A1     | TB   | CLOSED    | a student visible to team A with a trajectory of team B  |
 *
 * Under every trajectory the factory puts one event (no reason), one goal and one team note;
 * buildWorld adds one event with a reason and one escalation (reason and resolution), so every
 * trajectory holds 2 events, 1 goal, 1 note and 1 escalation.
 *
 * AVG rule 4 (src/authz/README.md) ("consent gates care data") applies to case records: the Topteam reads the
 * trajectory ROWS assigned to it (so a case can be closed out), but the records under a
 * trajectory only while its student has a valid CARE_BY_TOPTEAM consent; the advisor reads
 * the rows registered from its windstreek, but their events and goals only while the student
 * has a valid SHARE_WITH_PARTNERSHIP consent. So team A reads a1Revoked's row but none of its
 * records, and advisor A reads menteeReq's row (a1Mentee has no consent) but none of its records.
 *
 * Every expectation is given once, per role, and checked for the users of partnership 1 and
 * of partnership 2 alike; each user must see nothing of the other partnership.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Consent, Escalation, Goal, Note, TrajectoryEvent } from '../../src/app/entities';
import { ConsentPurpose, Phase } from '../../src/domain/enums';
import { unique } from '../factories';
import { createWorld } from '../factories/world';
import {
  createA1TeamPrev, createMenteeReq, foundIn, listed, Parent, PARTNERSHIPS, roleRows, sorted, targetsOf, UserKey, useMatrix,
} from './matrix';

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const extra = {
    menteeReq: await createMenteeReq(ds, w),
    a1TeamPrev: await createA1TeamPrev(ds, w),
  };
  const trajectories = { ...w.trajectories, ...extra };
  // Case text under every trajectory: an event with a reason and an escalation.
  for (const t of Object.values(trajectories)) {
    await ds.getRepository(TrajectoryEvent).insert({
      partnershipId: t.partnershipId, trajectoryId: t.id, act: 'acceptRegistration', fromPhase: Phase.REQUESTED, toPhase: t.phase,
      reason: unique('Event reason '), actorUserId: w.users.schoolA1.id,
    });
    await ds.getRepository(Escalation).insert({
      partnershipId: t.partnershipId, trajectoryId: t.id, level: 2, reason: unique('Escalation reason '), raisedByUserId: w.users.schoolA1.id,
      resolvedAt: new Date('2026-02-20T09:00:00Z'), resolution: unique('Resolution '),
    });
  }
  const where = { where: { partnershipId: w.partnership.id } };
  const goals = await ds.getRepository(Goal).find(where);
  const notes = await ds.getRepository(Note).find(where);
  const events = await ds.getRepository(TrajectoryEvent).find(where);
  const escalations = await ds.getRepository(Escalation).find(where);
  return { ...w, trajectories, goals, notes, events, escalations };
}
type AccessWorld = Awaited<ReturnType<typeof buildWorld>>;
type StudentKey = keyof AccessWorld['students'];
type TrajectoryKey = keyof AccessWorld['trajectories'];
type SchoolKey = keyof AccessWorld['schools'];
type TeamKey = keyof AccessWorld['teams'];

const ALL_TRAJECTORIES: TrajectoryKey[] = ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team', 'menteeReq', 'a1TeamPrev'];

/** The truth table: the trajectories each role reads (src/authz/rules/trajectory.rules.ts, the access matrix (src/authz/README.md), column "trajectories"). */
const TRAJECTORIES: Record<UserKey, TrajectoryKey[]> = {
  admin: [],
  privacy: [], // no case data
  coordinator: ALL_TRAJECTORIES, // planning fields only (checked below)
  analyst: [],
  advisorA: ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'menteeReq', 'a1TeamPrev'], // every registration from windstreek A
  scientistA: ['a1Team', 'a1Revoked'], // assigned to TA; a1Revoked stays visible although its student is hidden (care consent withdrawn)
  teacherB: ['a2Cross', 'b1Team', 'a1TeamPrev'], // assigned to TB
  schoolA1: ['a1Team', 'a1Revoked', 'menteeReq', 'a1TeamPrev'],
  schoolB1: ['b1Team'],
  mentorA1: ['menteeReq'],
  nobody: [],
};

/** Students each role reads (same table as student.access.test.ts), for `trajectory.student`. */
const STUDENTS: Record<UserKey, StudentKey[]> = {
  admin: [],
  privacy: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team'],
  coordinator: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team'],
  analyst: [],
  advisorA: ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross'],
  scientistA: ['a1Team'],
  teacherB: ['a1Team', 'a2Cross', 'b1Team'],
  schoolA1: ['a1Plain', 'a1Mentee', 'a1Team', 'a1Revoked'],
  schoolB1: ['b1Team'],
  mentorA1: ['a1Mentee'],
  nobody: [],
};
/** The kinds of record under a trajectory checked here, as `Trajectory` connection fields. */
type Kind = 'events' | 'goals' | 'notes' | 'escalations';
const KINDS: Kind[] = ['events', 'goals', 'notes', 'escalations'];
/** Records of each kind under every trajectory of the world (see the header). */
const PER_TRAJECTORY: Record<Kind, number> = { events: 2, goals: 1, notes: 1, escalations: 1 };

const NO_CASE: Record<Kind, TrajectoryKey[]> = { events: [], goals: [], notes: [], escalations: [] };
const caseOf = (keys: TrajectoryKey[], kinds: Kind[]): Record<Kind, TrajectoryKey[]> =>
  Object.fromEntries(KINDS.map((k) => [k, kinds.includes(k) ? keys : []])) as Record<Kind, TrajectoryKey[]>;

/**
 * The second truth table: per role and kind, the readable trajectories (of TRAJECTORIES) whose
 * records of that kind the role reads; on the others the connection is empty. `null`: the
 * field itself is null for the role (field permissions).
 */
/**
 * Trajectories a role sees only as a stub (AVG rule 4, src/authz/README.md): the Topteam's own case whose care
 * consent was withdrawn; the advisor's menteeReq (registered from A, no consent to share with
 * the partnership). Every record connection of a stub is null, not empty.
 */
const STUB: Partial<Record<UserKey, TrajectoryKey[]>> = { scientistA: ['a1Revoked'], advisorA: ['menteeReq'] };

const CASE: Record<UserKey, Record<Kind, TrajectoryKey[] | null>> = {
  admin: NO_CASE,
  privacy: NO_CASE,
  // Planning fields: every trajectory's events and escalations (without case text, checked below); no goals, no notes.
  coordinator: { events: ALL_TRAJECTORIES, escalations: ALL_TRAJECTORIES, goals: null, notes: null },
  analyst: NO_CASE,
  // Case summary (events, goals) while the share consent holds: not menteeReq (a1Mentee has no consent).
  advisorA: { ...caseOf(['a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'a1TeamPrev'], ['events', 'goals']), notes: null },
  // Everything, notes included, while the care consent holds: not a1Revoked (withdrawn).
  scientistA: caseOf(['a1Team'], KINDS),
  teacherB: caseOf(['a2Cross', 'b1Team', 'a1TeamPrev'], KINDS),
  // The own school's case, not the team notes; not consent-gated.
  schoolA1: caseOf(['a1Team', 'a1Revoked', 'menteeReq', 'a1TeamPrev'], ['events', 'goals', 'escalations']),
  schoolB1: caseOf(['b1Team'], ['events', 'goals', 'escalations']),
  // Goals and advice of the own mentees' trajectories.
  // Of the trajectory row only planning fields and goals and advice: events, notes and escalations are null.
  mentorA1: { goals: ['menteeReq'], events: null, notes: null, escalations: null },
  nobody: NO_CASE,
};

/** Roles that read a student but not its `trajectories` field (field permissions). */
const NO_STUDENT_TRAJECTORIES_FIELD: UserKey[] = ['coordinator', 'privacy'];

/** Structure each role reads (structure.rules.ts), for `school(id)` and `topteam(id)`. */
const EVERYTHING = { schools: ['A1', 'A2', 'B1'] as SchoolKey[], teams: ['TA', 'TB'] as TeamKey[] };
const STRUCTURE: Record<UserKey, { schools: SchoolKey[]; teams: TeamKey[] }> = {
  admin: EVERYTHING,
  privacy: EVERYTHING,
  coordinator: EVERYTHING,
  analyst: EVERYTHING,
  advisorA: EVERYTHING,
  scientistA: EVERYTHING,
  teacherB: EVERYTHING,
  schoolA1: { schools: ['A1'], teams: ['TA', 'TB'] }, // TA serves windstreek A; a1TeamPrev went to TB
  schoolB1: { schools: ['B1'], teams: ['TB'] },
  mentorA1: { schools: [], teams: [] },
  nobody: { schools: [], teams: [] },
};

const m = useMatrix(buildWorld, (w) => [['', w.trajectories], ['student:', w.students]]);
const { worlds, ok } = m;

/** The key of the student a trajectory of world `w` belongs to. */
const studentOf = (w: AccessWorld, t: TrajectoryKey) => Object.entries(w.students).find(([, s]) => s.id === w.trajectories[t].studentId)![0] as StudentKey;

describe.each(PARTNERSHIPS)('partnership %i', (n) => {
  const rows = roleRows((key) => listed(TRAJECTORIES[key]));

  test.each(rows)('as %s (%s): `trajectories` lists and counts exactly: %s', async (_label, userKey) => {
    const { own, name } = m.side(n);
    await m.expectLists(own.users[userKey].subject, name, { trajectories: TRAJECTORIES[userKey] });
  });

  test.each(rows)('as %s (%s): `trajectory(id)` returns exactly: %s — every other id of either partnership is null, like a random id', async (_label, userKey) => {
    const { own, other } = m.side(n);
    const targets = targetsOf('trajectory', own.trajectories, other.trajectories);
    await m.expectSingleReads(own.users[userKey].subject, targets, (t) => (TRAJECTORIES[userKey] as string[]).includes(t.name));
  });

  test.each(rows)('as %s (%s): `trajectory.student` (list and single read) is the student only where that student is readable (%s)', async (_label, userKey) => {
    const { own, name } = m.side(n);
    const visible = TRAJECTORIES[userKey];
    const expected = Object.fromEntries(visible.map((k) => {
      const s = studentOf(own, k);
      return [k, STUDENTS[userKey].includes(s) ? `student:${s}` : null];
    }));
    await m.expectLinks(
      own.users[userKey].subject, { plural: 'trajectories', single: 'trajectory', link: 'student' },
      visible.map((k) => [k, own.trajectories[k].id] as const), name, expected,
    );
  });

  test.each(rows)('as %s (%s): `student(id) { trajectories }` holds only the readable trajectories of a readable student (%s)', async (_label, userKey) => {
    const { own, name } = m.side(n);
    const students = Object.entries(own.students).map(([k, s]) => ({ name: k, field: 'student', id: s.id }));
    await m.expectChildren(own.users[userKey].subject, students, 'trajectories', name, ({ name: k }) => {
      if (!STUDENTS[userKey].includes(k as StudentKey)) return null;
      if (NO_STUDENT_TRAJECTORIES_FIELD.includes(userKey)) return 'field null';
      return TRAJECTORIES[userKey].filter((t) => studentOf(own, t) === k);
    });
  });

  const caseRows = roleRows((key) => KINDS.map((k) => `${k}: ${CASE[key][k] === null ? 'null' : listed(CASE[key][k]!)}`).join('; '));
  test.each(caseRows)('as %s (%s): under each readable trajectory, the records each kind lists and counts are exactly those of the case table (list and single read) — %s', async (_label, userKey) => {
    const { own, other, name } = m.side(n);
    // Which trajectory (of either world) a record hangs under.
    const owner = new Map<string, string>();
    for (const w of [own, other]) {
      for (const r of [...w.events, ...w.goals, ...w.notes, ...w.escalations]) owner.set(r.id, name(r.trajectoryId));
    }
    const connections = KINDS.map((k) => `${k}(first: 100) { totalCount edges { node { id } } }`).join(' ');
    const visible = TRAJECTORIES[userKey];
    const data = await ok(
      own.users[userKey].subject,
      `query {
        trajectories(first: 100) { edges { node { id ${connections} } } }
        ${visible.map((k, i) => `r${i}: trajectory(id: "${own.trajectories[k].id}") { id ${connections} }`).join(' ')}
      }`,
    );
    /** Per kind: totalCount and the trajectories the listed records hang under. */
    const summary = (node: any) => Object.fromEntries(KINDS.map((k) => [
      k, node[k] && { total: node[k].totalCount, under: sorted(node[k].edges.map((e: any) => owner.get(e.node.id) ?? `unknown:${e.node.id}`)) },
    ]));
    const expected = Object.fromEntries(visible.map((t) => [t, Object.fromEntries(KINDS.map((k) => {
      const readable = CASE[userKey][k];
      if (readable === null || STUB[userKey]?.includes(t)) return [k, null];
      const count = readable.includes(t) ? PER_TRAJECTORY[k] : 0;
      return [k, { total: count, under: Array<string>(count).fill(t) }];
    }))]));
    const fromList = Object.fromEntries(data.trajectories.edges.map((e: any) => [name(e.node.id), summary(e.node)]));
    const fromSingle = Object.fromEntries(visible.map((t, i) => [t, summary(data[`r${i}`])]));
    expect(fromList).toEqual(expected);
    expect(fromSingle).toEqual(expected);
  });

  const structureRows = roleRows((key) => listed([...STRUCTURE[key].schools, ...STRUCTURE[key].teams]));
  test.each(structureRows)('as %s (%s): `school(id)` / `topteam(id)` readable for %s (others null), each holding only readable trajectories', async (_label, userKey) => {
    const { own, other, name } = m.side(n);
    const parents: Parent[] = [
      ...Object.entries(own.schools).map(([k, s]) => ({ name: k, field: 'school', id: s.id })),
      ...Object.entries(own.teams).map(([k, t]) => ({ name: k, field: 'topteam', id: t.id })),
      ...Object.entries(other.schools).map(([k, s]) => ({ name: `other:${k}`, field: 'school', id: s.id })),
      ...Object.entries(other.teams).map(([k, t]) => ({ name: `other:${k}`, field: 'topteam', id: t.id })),
    ];
    await m.expectChildren(own.users[userKey].subject, parents, 'trajectories', name, ({ name: k, field, id }) => {
      const readable = field === 'school' ? (STRUCTURE[userKey].schools as string[]).includes(k) : (STRUCTURE[userKey].teams as string[]).includes(k);
      if (!readable) return null;
      return TRAJECTORIES[userKey].filter((t) => (field === 'school' ? own.trajectories[t].schoolId : own.trajectories[t].teamId) === id);
    });
  });
});

describe('fields: what a readable trajectory shows', () => {
  const FIELDS = 'id phase phaseDueOn problemAreas closingReason team { id } student { id pseudonym givenName } goals { totalCount } notes { totalCount }';

  test('as PROGRAMME_COORDINATOR, phase, dates, team and the pseudonymous student, but no case (problemAreas, goals, notes null)', async () => {
    const w = worlds[1];
    const data = await ok(w.users.coordinator.subject, `query($id: ID!) { trajectory(id: $id) { ${FIELDS} } }`, { id: w.trajectories.a1Team.id });
    expect(data.trajectory).toEqual({
      id: w.trajectories.a1Team.id, phase: 'ASSESSMENT', phaseDueOn: '2026-03-02', problemAreas: null, closingReason: null,
      team: { id: w.teams.TA.id }, student: { id: w.students.a1Team.id, pseudonym: w.students.a1Team.pseudonym, givenName: null },
      goals: null, notes: null,
    });
  });

  const CASE_TEXT = `
    events(first: 100) { totalCount edges { node { act fromPhase toPhase reason } } }
    escalations(first: 100) { totalCount edges { node { level resolvedAt reason resolution } } }`;
  const byAct = (a: { act: string }, b: { act: string }) => a.act.localeCompare(b.act);

  test('as PROGRAMME_COORDINATOR, the events show act and phases but reason null, the escalations level and dates but resolution null (single read and list)', async () => {
    const w = worlds[1];
    // Without Escalation.reason: see the next test.
    const fields = `
      events(first: 100) { totalCount edges { node { act fromPhase toPhase reason } } }
      escalations(first: 100) { totalCount edges { node { level resolvedAt resolution } } }`;
    const data = await ok(
      w.users.coordinator.subject,
      `query($id: ID!) {
        trajectory(id: $id) { id windstreek { id } ${fields} }
        trajectories(first: 100) { totalCount edges { node { ${fields} } } }
      }`,
      { id: w.trajectories.a1Team.id },
    );
    const t = data.trajectory;
    expect({ ...t, events: { ...t.events, edges: t.events.edges.map((e: any) => e.node).sort(byAct) } }).toEqual({
      id: w.trajectories.a1Team.id,
      windstreek: { id: w.windstreken.A.id },
      events: {
        totalCount: 2,
        edges: [
          { act: 'acceptRegistration', fromPhase: 'REQUESTED', toPhase: 'ASSESSMENT', reason: null },
          { act: 'submitRegistration', fromPhase: null, toPhase: 'REQUESTED', reason: null },
        ],
      },
      escalations: { totalCount: 1, edges: [{ node: { level: 2, resolvedAt: '2026-02-20T09:00:00.000Z', resolution: null } }] },
    });
    // Through the list: all seven trajectories' events and escalations, none with case text.
    expect(data.trajectories.totalCount).toBe(ALL_TRAJECTORIES.length);
    const events = data.trajectories.edges.flatMap((e: any) => e.node.events.edges.map((x: any) => x.node));
    const escalations = data.trajectories.edges.flatMap((e: any) => e.node.escalations.edges.map((x: any) => x.node));
    expect(events).toHaveLength(2 * ALL_TRAJECTORIES.length);
    expect(escalations).toHaveLength(ALL_TRAJECTORIES.length);
    expect(events.filter((e: any) => e.reason !== null || !e.act || !e.toPhase)).toEqual([]);
    expect(escalations.filter((e: any) => e.resolution !== null || e.level !== 2 || e.resolvedAt === null)).toEqual([]);
  });

  test('as PROGRAMME_COORDINATOR, an escalation\'s reason is null (case text), without an error', async () => {
    const w = worlds[1];
    const data = await ok(
      w.users.coordinator.subject,
      `query($id: ID!) { trajectory(id: $id) { escalations(first: 100) { totalCount edges { node { level reason resolution } } } } }`,
      { id: w.trajectories.a1Team.id },
    );
    expect(data.trajectory.escalations).toEqual({ totalCount: 1, edges: [{ node: { level: 2, reason: null, resolution: null } }] });
  });

  test('positive control: as SCHOOL_COORDINATOR of A1, the same events and escalation carry their reason and resolution', async () => {
    const w = worlds[1];
    const id = w.trajectories.a1Team.id;
    const data = await ok(w.users.schoolA1.subject, `query($id: ID!) { trajectory(id: $id) { ${CASE_TEXT} } }`, { id });
    const reasoned = w.events.find((e) => e.trajectoryId === id && e.reason !== null)!;
    const escalation = w.escalations.find((e) => e.trajectoryId === id)!;
    expect(data.trajectory.events.edges.map((e: any) => e.node).sort(byAct)).toEqual([
      { act: 'acceptRegistration', fromPhase: 'REQUESTED', toPhase: 'ASSESSMENT', reason: reasoned.reason },
      { act: 'submitRegistration', fromPhase: null, toPhase: 'REQUESTED', reason: null },
    ]);
    expect(data.trajectory.escalations.edges).toEqual([
      { node: { level: 2, resolvedAt: '2026-02-20T09:00:00.000Z', reason: escalation.reason, resolution: escalation.resolution } },
    ]);
  });

  const RECORDS = `
    goals(first: 100) { totalCount edges { node { id description } } }
    notes(first: 100) { totalCount edges { node { id body } } }
    events(first: 100) { totalCount edges { node { id act reason } } }
    escalations(first: 100) { totalCount edges { node { id reason } } }`;
  /** Per kind the totalCount, or null when the connection itself is null (a stub). */
  const counts = (t: any) => ({
    goals: t.goals?.totalCount ?? null, notes: t.notes?.totalCount ?? null, events: t.events?.totalCount ?? null, escalations: t.escalations?.totalCount ?? null,
    edges: ['goals', 'notes', 'events', 'escalations'].reduce((n, k) => n + (t[k]?.edges.length ?? 0), 0),
  });

  test('as TEAM_MEMBER of A, a1Revoked (assigned to A, care consent withdrawn) is readable — phase, team — but its student is null and its goals, notes, events and escalations are empty; a1Team\'s are not', async () => {
    const w = worlds[1];
    const data = await ok(
      w.users.scientistA.subject,
      `query($revoked: ID!, $team: ID!) {
        revoked: trajectory(id: $revoked) { id phase team { id } student { id pseudonym givenName } careConsentValid studentPseudonym problemAreas ${RECORDS} }
        team: trajectory(id: $team) { id phase student { id } careConsentValid studentPseudonym problemAreas ${RECORDS} }
      }`,
      { revoked: w.trajectories.a1Revoked.id, team: w.trajectories.a1Team.id },
    );
    const { revoked, team } = data;
    expect({ id: revoked.id, phase: revoked.phase, team: revoked.team, student: revoked.student }).toEqual({
      id: w.trajectories.a1Revoked.id, phase: 'INTENSIVE', team: { id: w.teams.TA.id }, student: null,
    });
    // A pseudonymised stub, flagged, so the team can close the case out; no case data.
    expect({ careConsentValid: revoked.careConsentValid, studentPseudonym: revoked.studentPseudonym, problemAreas: revoked.problemAreas })
      .toEqual({ careConsentValid: false, studentPseudonym: w.students.a1Revoked.pseudonym, problemAreas: null });
    expect(counts(revoked)).toEqual({ goals: null, notes: null, events: null, escalations: null, edges: 0 });
    expect({ careConsentValid: team.careConsentValid, problemAreas: team.problemAreas }).toEqual({ careConsentValid: true, problemAreas: ['ABSENCE'] });
    // Positive control: a1Team (care consent valid) with everything under it.
    expect({ id: team.id, phase: team.phase, student: team.student }).toEqual({ id: w.trajectories.a1Team.id, phase: 'ASSESSMENT', student: { id: w.students.a1Team.id } });
    expect(counts(team)).toEqual({ goals: 1, notes: 1, events: 2, escalations: 1, edges: 5 });
    expect(team.goals.edges[0].node.description).toBe(w.goals.find((g) => g.trajectoryId === w.trajectories.a1Team.id)!.description);
  });

  test('as EDUCATION_ADVISOR of A, menteeReq (registered from A, its student has no consent) is readable as planning only: no student, no case fields; a2Req\'s (share consent valid) shows its case summary', async () => {
    const w = worlds[1];
    const data = await ok(
      w.users.advisorA.subject,
      `query($mentee: ID!, $req: ID!) {
        mentee: trajectory(id: $mentee) { id phase student { id } problemAreas ${RECORDS} }
        req: trajectory(id: $req) { id phase student { id } problemAreas ${RECORDS} }
      }`,
      { mentee: w.trajectories.menteeReq.id, req: w.trajectories.a2Req.id },
    );
    expect({ id: data.mentee.id, phase: data.mentee.phase, student: data.mentee.student }).toEqual({ id: w.trajectories.menteeReq.id, phase: 'REQUESTED', student: null });
    expect(counts(data.mentee)).toEqual({ goals: null, notes: null, events: null, escalations: null, edges: 0 });
    expect(data.mentee.problemAreas).toBeNull();
    expect(data.req.problemAreas).toEqual(expect.arrayContaining([expect.any(String)]));
    // Positive control: the case summary (events, goals) of a2Req; never team notes (the field is null for the advisor) or escalations.
    expect(data.req.student).toEqual({ id: w.students.a2Req.id });
    expect(counts(data.req)).toEqual({ goals: 1, notes: null, events: 2, escalations: 0, edges: 3 });
  });

  test('as TEAM_MEMBER of A, withdrawing a1Team\'s care consent ends reading its records (and its student) on the next request; the trajectory row stays', async () => {
    // A world of its own: this test changes a consent.
    const w = await buildWorld(m.app.dataSource);
    const query = `query($id: ID!) { trajectory(id: $id) { id phase student { id } ${RECORDS} } }`;
    const id = w.trajectories.a1Team.id;
    const before = (await ok(w.users.scientistA.subject, query, { id })).trajectory;
    expect({ id: before.id, student: before.student, ...counts(before) }).toEqual({
      id, student: { id: w.students.a1Team.id }, goals: 1, notes: 1, events: 2, escalations: 1, edges: 5,
    });
    await m.app.dataSource.getRepository(Consent).update(
      { studentId: w.students.a1Team.id, purpose: ConsentPurpose.CARE_BY_TOPTEAM },
      { withdrawnAt: new Date('2026-03-01T09:00:00Z'), withdrawnByUserId: w.users.schoolA1.id },
    );
    const after = (await ok(w.users.scientistA.subject, query, { id })).trajectory;
    expect({ id: after.id, phase: after.phase, student: after.student, ...counts(after) }).toEqual({
      id, phase: 'ASSESSMENT', student: null, goals: null, notes: null, events: null, escalations: null, edges: 0,
    });
  });

  test('positive control: as SCHOOL_COORDINATOR of A1, the own trajectory with its case, without the team notes', async () => {
    const w = worlds[1];
    const data = await ok(w.users.schoolA1.subject, `query($id: ID!) { trajectory(id: $id) { ${FIELDS} } }`, { id: w.trajectories.a1Team.id });
    expect(data.trajectory).toEqual({
      id: w.trajectories.a1Team.id, phase: 'ASSESSMENT', phaseDueOn: '2026-03-02', problemAreas: ['ABSENCE'], closingReason: null,
      team: { id: w.teams.TA.id }, student: { id: w.students.a1Team.id, pseudonym: w.students.a1Team.pseudonym, givenName: w.students.a1Team.givenName },
      goals: { totalCount: 1 }, notes: { totalCount: 0 },
    });
  });
});

describe("a Topteam member cannot reach a trajectory of another team by any query path", () => {
  const T = `id goals(first: 100) { edges { node { description } } } notes(first: 100) { edges { node { body } } }
    events(first: 100) { edges { node { reason } } } escalations(first: 100) { edges { node { reason resolution } } }`;

  /** One request that walks every path to a trajectory the schema offers, plus filtered counts. */
  function everyPath(w: AccessWorld, otherW: AccessWorld): string {
    const ids = (rows: Array<{ id: string }>) => rows.map((r) => r.id);
    const trajectoryIds = ids([...Object.values(w.trajectories), ...Object.values(otherW.trajectories)]);
    const studentIds = ids([...Object.values(w.students), ...Object.values(otherW.students)]);
    const schoolIds = ids([...Object.values(w.schools), ...Object.values(otherW.schools)]);
    const teamIds = ids([...Object.values(w.teams), ...Object.values(otherW.teams)]);
    return `query {
      trajectories(first: 100) { totalCount edges { node { ${T} } } }
      ${trajectoryIds.map((id, i) => `trajectory${i}: trajectory(id: "${id}") { ${T} }`).join('\n')}
      ${teamIds.map((id, i) => `byTeam${i}: trajectories(filter: { teamId: "${id}" }) { totalCount edges { node { ${T} } } }`).join('\n')}
      ${schoolIds.map((id, i) => `bySchool${i}: trajectories(filter: { schoolId: "${id}" }) { totalCount edges { node { ${T} } } }`).join('\n')}
      ${schoolIds.map((id, i) => `school${i}: school(id: "${id}") { trajectories(first: 100) { totalCount edges { node { ${T} } } } }`).join('\n')}
      ${teamIds.map((id, i) => `team${i}: topteam(id: "${id}") { trajectories(first: 100) { totalCount edges { node { ${T} } } } }`).join('\n')}
      ${studentIds.map((id, i) => `student${i}: student(id: "${id}") { trajectories(first: 100) { totalCount edges { node { ${T} } } } }`).join('\n')}
      schools(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      topteams(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      students(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      windstreken(first: 100) { edges { node {
        schools(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
        topteams(first: 100) { edges { node { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } }
      } } }
      consents(first: 100) { edges { node { student { trajectories(first: 100) { totalCount edges { node { ${T} } } } } } } }
    }`;
  }

  /** Every value that would reveal the case under a trajectory: its goals, team notes, event reasons and escalations. */
  const caseTraces = (w: AccessWorld, id: string) => [
    ...w.goals.filter((g) => g.trajectoryId === id).map((g) => g.description),
    ...w.notes.filter((nt) => nt.trajectoryId === id).map((nt) => nt.body),
    ...w.events.filter((e) => e.trajectoryId === id && e.reason !== null).map((e) => e.reason!),
    ...w.escalations.filter((e) => e.trajectoryId === id).flatMap((e) => [e.reason, e.resolution!]),
  ];
  /** Every value that would reveal a trajectory: its id and its case. */
  const traces = (w: AccessWorld, id: string) => [id, ...caseTraces(w, id)];

  test.each([
    ['A', 'scientistA', 'TA'],
    ['B', 'teacherB', 'TB'],
  ] as const)('as TEAM_MEMBER of Topteam %s, only the own team\'s trajectories appear anywhere, their case only where the care consent holds, and other teams count 0', async (_team, userKey, ownTeam) => {
    const w = worlds[1];
    const otherW = worlds[2];
    const own = TRAJECTORIES[userKey];
    // The team reads every record kind under the same trajectories (CASE), so goals stand for all.
    const withCase = CASE[userKey].goals!;
    const data = await ok(w.users[userKey].subject, everyPath(w, otherW));
    const text = JSON.stringify(data);
    const foreign = [
      ...ALL_TRAJECTORIES.filter((k) => !own.includes(k)).map((k) => [w, w.trajectories[k].id] as const),
      ...Object.values(otherW.trajectories).map((t) => [otherW, t.id] as const),
    ];
    expect(foreign.flatMap(([fw, id]) => foundIn(text, traces(fw, id)))).toEqual([]);
    // The own rows whose student withdrew the care consent (a1Revoked for team A): the row, not its case.
    const gated = own.filter((k) => !withCase.includes(k));
    expect(gated.flatMap((k) => foundIn(text, caseTraces(w, w.trajectories[k].id)))).toEqual([]);
    for (const k of gated) expect(text).toContain(w.trajectories[k].id);
    // Positive control: the own caseload with consent is reachable, with its goals, team notes, reasons and escalations.
    expect(withCase.length).toBeGreaterThan(0);
    for (const k of withCase) for (const t of traces(w, w.trajectories[k].id)) expect(text).toContain(t);
    expect(data.trajectories.totalCount).toBe(own.length);
    const teamIds = [...Object.values(w.teams), ...Object.values(otherW.teams)].map((t) => t.id);
    teamIds.forEach((id, i) => expect(data[`byTeam${i}`].totalCount).toBe(id === w.teams[ownTeam].id ? own.length : 0));
  });
});
