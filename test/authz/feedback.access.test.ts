/**
 * Complaints and exit questionnaires (feedback on the Topteam) per role of the access matrix
 * (src/authz/README.md, "Complaints and exit questionnaires"): the assigned team (while the care
 * consent holds) and the programme coordinator read them whole; the school coordinator reads of
 * a complaint only that it exists, its status and dates, and no exit questionnaire; every other
 * role nothing. Every trajectory of both partnerships carries one complaint and one exit
 * questionnaire with unique texts; each role reads them through `trajectories` (the list) and
 * `trajectory(id)` (single reads), and no text it may not read appears anywhere in the answer.
 */
import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { Complaint, ExitQuestionnaire } from '../../src/app/entities';
import { ComplaintStatus, Party } from '../../src/domain/enums';
import { unique } from '../factories';
import { createWorld } from '../factories/world';
import { createA1TeamPrev, createMenteeReq, foundIn, PARTNERSHIPS, roleRows, UserKey, useMatrix } from './matrix';

async function buildWorld(ds: DataSource) {
  const w = await createWorld(ds);
  const trajectories = { ...w.trajectories, menteeReq: await createMenteeReq(ds, w), a1TeamPrev: await createA1TeamPrev(ds, w) };
  /** Per trajectory: the complaint's description and resolution, the questionnaire's comment. */
  const textsOf: Record<string, [string, string, string]> = {};
  for (const [key, t] of Object.entries(trajectories)) {
    const base = { partnershipId: t.partnershipId, trajectoryId: t.id };
    const complaint = { description: unique('Complaint about the team '), resolution: unique('Handled by ') };
    const comment = unique('Exit comment ');
    textsOf[key] = [complaint.description, complaint.resolution, comment];
    await ds.getRepository(Complaint).insert({
      ...base, complainant: Party.PARENTS, ...complaint, status: ComplaintStatus.HANDLED_BY_TEAM, receivedOn: '2026-02-10', escalatedOn: null, resolvedOn: null,
    });
    await ds.getRepository(ExitQuestionnaire).insert({ ...base, party: Party.PARENTS, score: 2, comment });
  }
  return { ...w, trajectories, textsOf, texts: Object.values(textsOf).flat() };
}
type FeedbackWorld = Awaited<ReturnType<typeof buildWorld>>;
type TrajectoryKey = keyof FeedbackWorld['trajectories'];

const ALL: TrajectoryKey[] = ['a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'b1Team', 'menteeReq', 'a1TeamPrev'];

/** What a role reads of the feedback under one trajectory: the whole record, the complaint's status only, none listed, or a null field. */
type View = 'whole' | 'status' | 'none' | null;
interface Feedback { complaints: View; exitQuestionnaires: View }
const WHOLE: Feedback = { complaints: 'whole', exitQuestionnaires: 'whole' };
const SCHOOL: Feedback = { complaints: 'status', exitQuestionnaires: 'none' };
const NOTHING: Feedback = { complaints: 'none', exitQuestionnaires: 'none' };
const FIELD_NULL: Feedback = { complaints: null, exitQuestionnaires: null };
const each = (keys: TrajectoryKey[], view: Feedback) => Object.fromEntries(keys.map((k) => [k, view]));

/** Per role, per readable trajectory (the trajectory truth table of trajectory.access.test.ts), what it reads of the feedback. */
const FEEDBACK: Record<UserKey, Partial<Record<TrajectoryKey, Feedback>>> = {
  admin: {},
  privacy: {},
  // Runs the teams' quality: every complaint and questionnaire, whole.
  coordinator: each(ALL, WHOLE),
  analyst: {},
  // The case summary (Trajectory.complaints is a case field while the share consent holds) lists none; menteeReq is a stub.
  advisorA: { ...each(['a1Team', 'a1Revoked', 'a2Req', 'a2Cross', 'a1TeamPrev'], NOTHING), menteeReq: FIELD_NULL },
  // The assigned team while the care consent holds; a1Revoked (withdrawn) is a stub.
  scientistA: { a1Team: WHOLE, a1Revoked: FIELD_NULL },
  teacherB: each(['a2Cross', 'b1Team', 'a1TeamPrev'], WHOLE),
  // The school: that a complaint exists and its status; no exit questionnaire.
  schoolA1: each(['a1Team', 'a1Revoked', 'menteeReq', 'a1TeamPrev'], SCHOOL),
  schoolB1: each(['b1Team'], SCHOOL),
  // The mentor reads goals and advice only: both fields null on its mentee's trajectory.
  mentorA1: { menteeReq: FIELD_NULL },
  nobody: {},
};

const SELECTION = `id
  complaints(first: 100) { totalCount edges { node { id status receivedOn escalatedOn resolvedOn complainant description resolution trajectory { id } } } }
  exitQuestionnaires(first: 100) { totalCount edges { node { id party score comment } } }`;

/** What a trajectory node shows, in the terms of View. */
function viewOf(node: any): Feedback {
  const complaints = node.complaints;
  const exits = node.exitQuestionnaires;
  const complaintView = (): View => {
    if (complaints === null) return null;
    if (complaints.totalCount === 0 && complaints.edges.length === 0) return 'none';
    expect(complaints.totalCount).toBe(1);
    const c = complaints.edges[0].node;
    expect({ status: c.status, receivedOn: c.receivedOn, trajectory: c.trajectory?.id }).toEqual({ status: 'HANDLED_BY_TEAM', receivedOn: '2026-02-10', trajectory: node.id });
    if (c.complainant === null && c.description === null && c.resolution === null) return 'status';
    expect(c.complainant).toBe('PARENTS');
    expect(typeof c.description).toBe('string');
    return 'whole';
  };
  const exitView = (): View => {
    if (exits === null) return null;
    if (exits.totalCount === 0 && exits.edges.length === 0) return 'none';
    expect(exits.totalCount).toBe(1);
    const x = exits.edges[0].node;
    expect({ party: x.party, score: x.score }).toEqual({ party: 'PARENTS', score: 2 });
    expect(typeof x.comment).toBe('string');
    return 'whole';
  };
  return { complaints: complaintView(), exitQuestionnaires: exitView() };
}

const m = useMatrix(buildWorld, (w) => [['', w.trajectories]]);

describe.each(PARTNERSHIPS)('partnership %i', (n) => {
  const rows = roleRows((key) => Object.entries(FEEDBACK[key]).map(([t, f]) => `${t} ${f!.complaints}/${f!.exitQuestionnaires}`).join(', ') || 'none');
  test.each(rows)('as %s (%s): complaints / exit questionnaires under each readable trajectory, list and single read: %s; no text beyond', async (_label, userKey) => {
    const { own, other, name } = m.side(n);
    const readable = Object.keys(FEEDBACK[userKey]) as TrajectoryKey[];
    const res = await m.app.gql(own.users[userKey].subject, `query {
      trajectories(first: 100) { edges { node { ${SELECTION} } } }
      ${ALL.map((k, i) => `r${i}: trajectory(id: "${own.trajectories[k].id}") { ${SELECTION} }`).join(' ')}
    }`);
    expect(res.body.errors).toBeUndefined();
    const data = res.body.data as any;
    const fromList = Object.fromEntries(data.trajectories.edges.map((e: any) => [name(e.node.id), viewOf(e.node)]));
    const fromSingle = Object.fromEntries(ALL.map((k, i) => [k, data[`r${i}`]]).filter(([, node]) => node !== null).map(([k, node]) => [k, viewOf(node)]));
    const expected = Object.fromEntries(readable.map((k) => [k, FEEDBACK[userKey][k]]));
    expect(fromList).toEqual(expected);
    expect(fromSingle).toEqual(expected);

    // The texts it may not read appear nowhere: the other partnership's never; the own ones only where whole.
    const wholeTexts = ALL.flatMap((key) => {
      const view = FEEDBACK[userKey][key];
      const [description, resolution, comment] = own.textsOf[key];
      return [...(view?.complaints === 'whole' ? [description, resolution] : []), ...(view?.exitQuestionnaires === 'whole' ? [comment] : [])];
    });
    const body = JSON.stringify(res.body);
    expect(foundIn(body, other.texts)).toEqual([]);
    expect(foundIn(body, own.texts).sort()).toEqual(wholeTexts.sort());
  });
});
