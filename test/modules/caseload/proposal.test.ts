/**
 * The overflow rule as a pure function (src/modules/caseload/proposal.ts), without a database:
 * given every team's load, where should one more case go, and why?
 *
 * - the home team (the case's windstreek) first when the case fits under its threshold;
 * - otherwise the teams of other windstreken that fit, by free capacity after assignment, then
 *   nearness (neighbouring windstreken first), then fewest cross-windstreek cases, then name;
 * - nothing fits: no candidates, `fitsNowhere`, and the least-loaded team named;
 * - "fits" means load after ≤ threshold × capacity, exactly at the boundary included;
 * - the same state gives the same ranking, whatever the order of the input.
 */
import { proposeTeams, ProposalInput, TeamLoadInput } from '../../../src/modules/caseload/proposal';

/** Windstreken: H(ome), N(eighbour of H), F(ar: not a neighbour of H). */
const H = 'w-home';
const N = 'w-neighbour';
const N2 = 'w-neighbour-2';
const F = 'w-far';

function team(name: string, windstreekId: string, capacity: number, load: number, crossWindstreekCases = 0): TeamLoadInput {
  return { teamId: `id-${name}`, name, windstreekId, capacity, load, crossWindstreekCases };
}

function input(teams: TeamLoadInput[], overrides: Partial<ProposalInput> = {}): ProposalInput {
  return { caseWeight: 1, homeWindstreekId: H, neighbourIds: new Set([N, N2]), threshold: 0.9, teams, ...overrides };
}

const names = (input: ProposalInput) => proposeTeams(input).candidates.map((c) => c.team.name);

describe('ranking (table-driven)', () => {
  const cases: Array<{ title: string; input: ProposalInput; ranking: string[] }> = [
    {
      title: 'the home team fits: it comes first, the other teams that fit follow as alternatives by free capacity',
      input: input([team('Far', F, 20, 2), team('Home', H, 10, 3), team('Near', N, 10, 1)]),
      // Home 4/10 fits; Far 17 free after, Near 8 free after.
      ranking: ['Home', 'Far', 'Near'],
    },
    {
      title: 'the home team fits although another team has far more room: home first all the same',
      input: input([team('Home', H, 10, 7.5), team('Big', N, 100, 0)]),
      ranking: ['Home', 'Big'],
    },
    {
      title: 'the home team over its threshold: only the other teams that fit, most free capacity after assignment first',
      input: input([team('Home', H, 10, 9), team('Near', N, 10, 4), team('Far', F, 12, 3), team('FullNear', N2, 10, 8.5)]),
      // Home 10 > 9; FullNear 9.5 > 9; Far free after 8, Near free after 5.
      ranking: ['Far', 'Near'],
    },
    {
      title: 'equal free capacity after assignment: the neighbouring windstreek first',
      input: input([team('Home', H, 10, 10), team('A-Far', F, 10, 2), team('Z-Near', N, 10, 2)]),
      ranking: ['Z-Near', 'A-Far'],
    },
    {
      title: 'equal free capacity and equally near: fewest cross-windstreek cases first',
      input: input([team('Home', H, 10, 10), team('A-Near', N, 10, 2, 3), team('Z-Near', N2, 10, 2, 1)]),
      ranking: ['Z-Near', 'A-Near'],
    },
    {
      title: 'equal free capacity, both far: fewest cross-windstreek cases first',
      input: input([team('Home', H, 10, 10), team('A-Far', F, 10, 2, 2), team('Z-Far', 'w-far-2', 10, 2, 0)]),
      ranking: ['Z-Far', 'A-Far'],
    },
    {
      title: 'everything equal: by name',
      input: input([team('Home', H, 10, 10), team('Beta', N, 10, 2, 1), team('Alpha', N2, 10, 2, 1)]),
      ranking: ['Alpha', 'Beta'],
    },
    {
      title: 'free capacity outranks nearness and cross-windstreek cases: a far team with more room first',
      input: input([team('Home', H, 10, 10), team('Near', N, 10, 2, 0), team('Far', F, 10, 1, 5)]),
      ranking: ['Far', 'Near'],
    },
    {
      title: 'nearness outranks cross-windstreek cases',
      input: input([team('Home', H, 10, 10), team('Far', F, 10, 2, 0), team('Near', N, 10, 2, 4)]),
      ranking: ['Near', 'Far'],
    },
    {
      title: 'a windstreek with two teams: both home teams that fit come first, by name',
      input: input([team('Home-B', H, 10, 1), team('Home-A', H, 10, 5), team('Near', N, 30, 0), team('Home-Full', H, 10, 9)]),
      ranking: ['Home-A', 'Home-B', 'Near'],
    },
    {
      title: 'reassigning: the current team is left out, even when it would fit',
      input: input([team('Home', H, 10, 2), team('Near', N, 10, 5), team('Far', F, 10, 1)], { excludeTeamId: 'id-Home' }),
      ranking: ['Far', 'Near'],
    },
    {
      title: 'a case in consolidation weighs 0.5: it fits where a whole case would not',
      input: input([team('Home', H, 10, 8.5), team('Near', N, 10, 0)], { caseWeight: 0.5 }),
      ranking: ['Home', 'Near'],
    },
    {
      title: 'the same loads with a whole case: the home team no longer fits',
      input: input([team('Home', H, 10, 8.5), team('Near', N, 10, 0)], { caseWeight: 1 }),
      ranking: ['Near'],
    },
  ];

  test.each(cases)('$title', ({ input: given, ranking }) => {
    const proposal = proposeTeams(given);
    expect(proposal.candidates.map((c) => c.team.name)).toEqual(ranking);
    expect(proposal.candidates.map((c) => c.rank)).toEqual(ranking.map((_, i) => i + 1));
    expect(proposal.fitsNowhere).toBe(false);
    expect(proposal.leastLoaded).toBeNull();
    expect(proposal.summary).toBe(`Proposed: ${proposal.candidates[0].reason}`);
  });

  test('the flags: home, neighbour, loads before and after, free capacity after and the threshold load of each candidate', () => {
    const proposal = proposeTeams(input([team('Home', H, 10, 3), team('Near', N, 8, 2), team('Far', F, 20, 6.5)]));
    expect(proposal.candidates.map(({ team: t, reason, ...rest }) => ({ name: t.name, ...rest }))).toEqual([
      { name: 'Home', rank: 1, home: true, neighbour: false, loadBefore: 3, loadAfter: 4, freeAfter: 6, thresholdLoad: 9 },
      { name: 'Far', rank: 2, home: false, neighbour: false, loadBefore: 6.5, loadAfter: 7.5, freeAfter: 12.5, thresholdLoad: 18 },
      { name: 'Near', rank: 3, home: false, neighbour: true, loadBefore: 2, loadAfter: 3, freeAfter: 5, thresholdLoad: 7.2 },
    ]);
  });
});

describe('nothing fits', () => {
  test('no candidates, fitsNowhere, and the team with the lowest load relative to its capacity after taking the case is named', () => {
    // After the case: Big 20/20 = 1.0, Small 5.6/5 = 1.12, Home 10.5/10 = 1.05. Big is least
    // loaded although its load is the highest in absolute terms.
    const proposal = proposeTeams(input([team('Small', N, 5, 4.6), team('Home', H, 10, 9.5), team('Big', F, 20, 19)]));
    expect(proposal.candidates).toEqual([]);
    expect(proposal.fitsNowhere).toBe(true);
    expect(proposal.leastLoaded?.name).toBe('Big');
    expect(proposal.summary).toBe('No team can take the case under its threshold. Least loaded: Big (19 of 20).');
  });

  test('a tie on relative load names the team first by name', () => {
    const proposal = proposeTeams(input([team('Zulu', N, 10, 9), team('Alpha', F, 20, 19)]));
    expect(proposal).toMatchObject({ candidates: [], fitsNowhere: true, leastLoaded: { name: 'Alpha' } });
  });

  test('the current team is not named as least loaded when reassigning', () => {
    const proposal = proposeTeams(input([team('Current', H, 100, 95), team('Other', N, 10, 9.5)], { excludeTeamId: 'id-Current' }));
    expect(proposal).toMatchObject({ candidates: [], fitsNowhere: true, leastLoaded: { name: 'Other' } });
  });

  test('a partnership without teams: fitsNowhere, no team named, and the summary says why', () => {
    expect(proposeTeams(input([]))).toEqual({ candidates: [], fitsNowhere: true, leastLoaded: null, summary: 'No team can take the case: the partnership has no Topteam.' });
  });
});

describe('the threshold boundary', () => {
  const boundary: Array<{ title: string; team: TeamLoadInput; threshold: number; caseWeight: number; fits: boolean }> = [
    { title: 'load after exactly at the threshold (8 + 1 = 9 of 10 at 90 %): fits', team: team('Home', H, 10, 8), threshold: 0.9, caseWeight: 1, fits: true },
    { title: 'load after just above the threshold (8.5 + 1 = 9.5 of 10 at 90 %): does not fit', team: team('Home', H, 10, 8.5), threshold: 0.9, caseWeight: 1, fits: false },
    { title: 'half a case past the threshold (9 + 0.5 = 9.5 of 10 at 90 %): does not fit', team: team('Home', H, 10, 9), threshold: 0.9, caseWeight: 0.5, fits: false },
    { title: 'half a case up to the threshold exactly (8.5 + 0.5 = 9): fits', team: team('Home', H, 10, 8.5), threshold: 0.9, caseWeight: 0.5, fits: true },
    { title: 'threshold 100 %: filling the team to capacity (9 + 1 = 10 of 10) fits', team: team('Home', H, 10, 9), threshold: 1, caseWeight: 1, fits: true },
    { title: 'threshold 100 %: past capacity (10 + 1) does not fit', team: team('Home', H, 10, 10), threshold: 1, caseWeight: 1, fits: false },
    // 3 × 0.7 is 2.0999999999999996 in floating point: the boundary is compared in hundredths.
    { title: 'floating point: 1.1 + 1 = 2.1 of 3 at 70 % (threshold 2.1) fits', team: team('Home', H, 3, 1.1), threshold: 0.7, caseWeight: 1, fits: true },
    { title: 'floating point: 1.2 + 1 = 2.2 of 3 at 70 % does not fit', team: team('Home', H, 3, 1.2), threshold: 0.7, caseWeight: 1, fits: false },
  ];

  test.each(boundary)('$title', ({ team: t, threshold, caseWeight, fits }) => {
    const proposal = proposeTeams(input([t], { threshold, caseWeight }));
    expect(proposal.candidates.map((c) => c.team.name)).toEqual(fits ? ['Home'] : []);
    expect(proposal.fitsNowhere).toBe(!fits);
  });
});

describe('determinism', () => {
  /** A small deterministic PRNG (mulberry32), so the shuffles are the same on every run. */
  function random(seed: number): () => number {
    let a = seed;
    return () => {
      a = (a + 0x6d2b79f5) | 0;
      let t = Math.imul(a ^ (a >>> 15), 1 | a);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  function shuffled<T>(items: readonly T[], next: () => number): T[] {
    const copy = [...items];
    for (let i = copy.length - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [copy[i], copy[j]] = [copy[j], copy[i]];
    }
    return copy;
  }

  // Many ties on purpose: equal free capacity, equal nearness, equal cross-windstreek counts.
  const teams = [
    team('Home', H, 10, 9.5), team('N1', N, 10, 2, 1), team('N2', N2, 10, 2, 1), team('N3', N, 10, 2, 0), team('F1', F, 10, 2, 0),
    team('F2', F, 10, 1, 3), team('F3', F, 12, 4, 0), team('Full', N, 10, 8.5), team('Big', 'w-other', 30, 25, 2),
  ];

  test('the same state in 200 different orders gives the same ranking, reasons and summary', () => {
    const expected = proposeTeams(input(teams));
    // F2: 8 free after. Then five teams with 7 free: the neighbours (N3 with no cross-windstreek
    // case, then N1 and N2 with one each, by name), then the far ones (F1, F3, by name). Big: 4.
    expect(expected.candidates.map((c) => c.team.name)).toEqual(['F2', 'N3', 'N1', 'N2', 'F1', 'F3', 'Big']);
    const next = random(20260316);
    for (let run = 0; run < 200; run++) {
      const proposal = proposeTeams(input(shuffled(teams, next)));
      expect(proposal).toEqual(expected);
    }
  });

  test('nothing fits, in any order: the same least-loaded team', () => {
    const full = [team('A', H, 10, 9.5), team('B', N, 10, 9.5), team('C', F, 20, 19.5), team('D', F, 20, 19)];
    const expected = proposeTeams(input(full));
    expect(expected.leastLoaded?.name).toBe('D');
    const next = random(7);
    for (let run = 0; run < 50; run++) expect(proposeTeams(input(shuffled(full, next)))).toEqual(expected);
  });
});

describe('reasons', () => {
  test('the home team: its load before and after, its capacity, and that the case fits under its threshold', () => {
    const [home] = proposeTeams(input([team('Topteam Noord', H, 12, 7.5)])).candidates;
    expect(home.reason).toBe('Topteam Noord (home team): load 7.5 → 8.5 of 12; the case fits under its threshold of 10.8.');
  });

  test('another team when the home team is over its threshold: where it is, its loads, free capacity and cross-windstreek cases, and why not the home team', () => {
    const [first, second] = proposeTeams(input([team('Topteam West', H, 10, 9.5), team('Topteam Zuid', N, 12, 6, 2), team('Topteam Oost', F, 12, 6.5)])).candidates;
    expect(first.reason).toBe(
      'Topteam Zuid (neighbouring windstreek): load 6 → 7 of 12; 5 free after assignment, 2 cross-windstreek cases; ' +
        'home team Topteam West would go from 9.5 to 10.5 of 10, above its threshold of 9.',
    );
    expect(second.reason).toBe(
      'Topteam Oost (other windstreek): load 6.5 → 7.5 of 12; 4.5 free after assignment, 0 cross-windstreek cases; ' +
        'home team Topteam West would go from 9.5 to 10.5 of 10, above its threshold of 9.',
    );
  });

  test('alternatives after a home team that fits do not claim the home team is full', () => {
    const [, alternative] = proposeTeams(input([team('Home', H, 10, 1), team('Near', N, 10, 1)])).candidates;
    expect(alternative.reason).toBe('Near (neighbouring windstreek): load 1 → 2 of 10; 8 free after assignment, 0 cross-windstreek cases.');
    expect(alternative.reason).not.toContain('home team');
  });

  test('every candidate reason names the team and its load before and after; the summary is the first reason', () => {
    const proposal = proposeTeams(input([team('Home', H, 10, 9.5), team('A', N, 10, 3.5), team('B', F, 16, 0)], { caseWeight: 0.5 }));
    for (const c of proposal.candidates) {
      expect(c.reason).toContain(`${c.team.name} (`);
      expect(c.reason).toContain(`load ${c.loadBefore} → ${c.loadAfter} of ${c.team.capacity}`);
    }
    expect(proposal.candidates.map((c) => [c.team.name, c.loadBefore, c.loadAfter])).toEqual([['B', 0, 0.5], ['A', 3.5, 4]]);
    expect(proposal.summary).toBe(`Proposed: ${proposal.candidates[0].reason}`);
  });
});

describe('the input is not changed', () => {
  test('proposeTeams leaves the team list and its rows as they were', () => {
    const teams = [team('B', N, 10, 2), team('A', H, 10, 9.5)];
    const copy = JSON.parse(JSON.stringify(teams));
    names(input(teams));
    expect(teams).toEqual(copy);
  });
});
