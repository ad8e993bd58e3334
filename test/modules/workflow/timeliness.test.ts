/**
 * Timeliness (tijdigheid) at its boundaries: the field `Trajectory.timeliness` and the filter
 * `trajectories(filter: { timeliness })` agree for every case, on the request's calendar day in
 * Amsterdam, also around the switch to summer time (2026-03-29), when 23:30 UTC is already the
 * next day in Amsterdam.
 */
import { FollowUp } from '../../../src/app/entities';
import { addDays } from '../../../src/domain/clock';
import { ConsentPurpose, FollowUpMoment, Phase } from '../../../src/domain/enums';
import { createConsent, createStudent, createTrajectory } from '../../factories';
import { useAppWithWorld } from '../../setup/app-with-world';

const { app, world } = useAppWithWorld();

/** A case and the timeliness it must have on `today`, by its dates relative to today. */
interface Case { label: string; phase: Phase; dueOn?: number; limitOn?: number; followUp?: { dueIn: number; recorded?: boolean }; expected: string }

const CASES: Case[] = [
  { label: 'intensive, due and limit today', phase: Phase.INTENSIVE, dueOn: 0, limitOn: 0, expected: 'ON_TIME' },
  { label: 'assessment, due yesterday', phase: Phase.ASSESSMENT, dueOn: -1, expected: 'OVERDUE' },
  { label: 'intensive, past the limit yesterday', phase: Phase.INTENSIVE, dueOn: -30, limitOn: -1, expected: 'PAST_LIMIT' },
  { label: 'intensive, past due, limit today', phase: Phase.INTENSIVE, dueOn: -1, limitOn: 0, expected: 'OVERDUE' },
  { label: 'completed, follow-up in 14 days', phase: Phase.COMPLETED, followUp: { dueIn: 14 }, expected: 'FOLLOW_UP_DUE' },
  { label: 'completed, follow-up in 15 days', phase: Phase.COMPLETED, followUp: { dueIn: 15 }, expected: 'ON_TIME' },
  { label: 'completed, follow-up due today', phase: Phase.COMPLETED, followUp: { dueIn: 0 }, expected: 'FOLLOW_UP_DUE' },
  { label: 'completed, follow-up due yesterday', phase: Phase.COMPLETED, followUp: { dueIn: -1 }, expected: 'FOLLOW_UP_OVERDUE' },
  { label: 'completed, follow-up due yesterday and recorded', phase: Phase.COMPLETED, followUp: { dueIn: -1, recorded: true }, expected: 'ON_TIME' },
];

const TIMELINESS = ['ON_TIME', 'OVERDUE', 'PAST_LIMIT', 'FOLLOW_UP_DUE', 'FOLLOW_UP_OVERDUE'];

describe.each([
  ['the evening before the switch to summer time (23:30 UTC is 00:30 on 29 March in Amsterdam)', '2026-03-28T23:30:00Z', '2026-03-29'],
  ['the evening of the switch (22:30 UTC is 00:30 on 30 March in Amsterdam, now CEST)', '2026-03-29T22:30:00Z', '2026-03-30'],
  ['an ordinary afternoon', '2026-06-10T12:00:00Z', '2026-06-10'],
])('on %s', (_label, instant, today) => {
  test('every case has the timeliness its dates give, and the filter lists exactly the cases of each value', async () => {
    const ds = app.dataSource;
    const school = world.schools.A1;
    const made: Array<{ id: string; expected: string; label: string }> = [];
    for (const c of CASES) {
      const student = await createStudent(ds, school);
      await createConsent(ds, student, world.users.schoolA1, ConsentPurpose.CARE_BY_TOPTEAM);
      const t = await createTrajectory(ds, student, school, world.users.schoolA1, { team: world.teams.TA, phase: c.phase, phaseDueOn: c.dueOn === undefined ? null : addDays(today, c.dueOn) });
      if (c.limitOn !== undefined) await ds.query('UPDATE trajectory SET phase_limit_on = $2 WHERE id = $1', [t.id, addDays(today, c.limitOn)]);
      if (c.followUp) {
        await ds.getRepository(FollowUp).save({
          partnershipId: t.partnershipId, trajectoryId: t.id, moment: FollowUpMoment.THREE_MONTHS, dueOn: addDays(today, c.followUp.dueIn),
          recordedAt: c.followUp.recorded ? new Date(instant) : null,
        });
      }
      made.push({ id: t.id, expected: c.expected, label: c.label });
    }
    app.clock.set(new Date(instant));
    const coordinator = world.users.coordinator.email;
    const fields: Record<string, string> = {};
    for (const m of made) {
      const res = await app.gql<{ trajectory: { timeliness: string } }>(coordinator, 'query($id: ID!) { trajectory(id: $id) { timeliness } }', { id: m.id });
      fields[m.label] = res.body.data!.trajectory.timeliness;
    }
    expect(fields).toEqual(Object.fromEntries(made.map((m) => [m.label, m.expected])));
    const ours = new Set(made.map((m) => m.id));
    for (const value of TIMELINESS) {
      const res = await app.gql<{ trajectories: { edges: Array<{ node: { id: string } }> } }>(
        coordinator, 'query($t: [Timeliness!]) { trajectories(first: 100, filter: { timeliness: $t }) { edges { node { id } } } }', { t: [value] },
      );
      expect(res.body.errors).toBeUndefined();
      const listed = res.body.data!.trajectories.edges.map((e) => e.node.id).filter((id) => ours.has(id)).sort();
      expect({ value, listed }).toEqual({ value, listed: made.filter((m) => m.expected === value).map((m) => m.id).sort() });
    }
  });
});
