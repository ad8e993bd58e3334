/**
 * The overflow rule of src/domain/README.md, as a pure function: given every team's load, where should
 * one more case go? Deterministic (the same state gives the same ranking) and explainable
 * (every candidate says why), so the programme coordinator can trust and check it.
 *
 * - A team "fits" when its load after taking the case stays at or under its threshold
 *   (`OVERFLOW_THRESHOLD` × capacity).
 * - The home team (the school's windstreek) comes first when it fits.
 * - Otherwise, and after the home team as alternatives: the other teams that fit, by free
 *   capacity after assignment (most first), then nearness (neighbouring windstreken first),
 *   then fewest cross-windstreek cases, then name.
 * - When nothing fits, there are no candidates and the least-loaded team is named.
 */

export interface TeamLoadInput {
  teamId: string;
  name: string;
  windstreekId: string;
  capacity: number;
  load: number;
  crossWindstreekCases: number;
}

export interface ProposalInput {
  /** The weight the case adds to a team's load. */
  caseWeight: number;
  homeWindstreekId: string;
  /** Windstreken that neighbour the home windstreek. */
  neighbourIds: ReadonlySet<string>;
  threshold: number;
  teams: readonly TeamLoadInput[];
  /** A team to leave out (the case's current team, when reassigning). */
  excludeTeamId?: string | null;
}

export interface Candidate {
  team: TeamLoadInput;
  rank: number;
  home: boolean;
  neighbour: boolean;
  loadBefore: number;
  loadAfter: number;
  freeAfter: number;
  thresholdLoad: number;
  reason: string;
}

export interface Proposal {
  candidates: Candidate[];
  fitsNowhere: boolean;
  /** When nothing fits: the team with the lowest load relative to capacity after taking the case. */
  leastLoaded: TeamLoadInput | null;
  summary: string;
}

const round = (n: number) => Math.round(n * 100) / 100;
const fmt = (n: number) => String(round(n));

function thresholdLoad(team: TeamLoadInput, threshold: number): number {
  return round(team.capacity * threshold);
}

function fits(team: TeamLoadInput, input: ProposalInput): boolean {
  return round(team.load + input.caseWeight) <= thresholdLoad(team, input.threshold);
}

/** Ranks the teams for one more case. */
export function proposeTeams(input: ProposalInput): Proposal {
  const teams = input.teams.filter((t) => t.teamId !== input.excludeTeamId);
  const isHome = (t: TeamLoadInput) => t.windstreekId === input.homeWindstreekId;
  const isNeighbour = (t: TeamLoadInput) => input.neighbourIds.has(t.windstreekId);
  const freeAfter = (t: TeamLoadInput) => round(t.capacity - t.load - input.caseWeight);
  const byName = (a: TeamLoadInput, b: TeamLoadInput) => a.name.localeCompare(b.name) || a.teamId.localeCompare(b.teamId);

  const homeTeams = teams.filter((t) => isHome(t) && fits(t, input)).sort(byName);
  const others = teams
    .filter((t) => !isHome(t) && fits(t, input))
    .sort(
      (a, b) =>
        freeAfter(b) - freeAfter(a) ||
        Number(isNeighbour(b)) - Number(isNeighbour(a)) ||
        a.crossWindstreekCases - b.crossWindstreekCases ||
        byName(a, b),
    );
  const homeSummary = teams
    .filter(isHome)
    .map((t) => `home team ${t.name} would go from ${fmt(t.load)} to ${fmt(t.load + input.caseWeight)} of ${t.capacity}, above its threshold of ${fmt(thresholdLoad(t, input.threshold))}`)
    .join('; ');

  const candidates = [...homeTeams, ...others].map((team, index): Candidate => {
    const home = isHome(team);
    const neighbour = isNeighbour(team);
    const loadAfter = round(team.load + input.caseWeight);
    const where = home ? 'home team' : neighbour ? 'neighbouring windstreek' : 'other windstreek';
    const why = home
      ? `the case fits under its threshold of ${fmt(thresholdLoad(team, input.threshold))}`
      : `${fmt(freeAfter(team))} free after assignment, ${team.crossWindstreekCases} cross-windstreek cases${homeTeams.length === 0 && homeSummary ? `; ${homeSummary}` : ''}`;
    return {
      team, rank: index + 1, home, neighbour, loadBefore: round(team.load), loadAfter, freeAfter: freeAfter(team),
      thresholdLoad: thresholdLoad(team, input.threshold),
      reason: `${team.name} (${where}): load ${fmt(team.load)} → ${fmt(loadAfter)} of ${team.capacity}; ${why}.`,
    };
  });

  if (candidates.length > 0) {
    return { candidates, fitsNowhere: false, leastLoaded: null, summary: `Proposed: ${candidates[0].reason}` };
  }
  const leastLoaded =
    [...teams].sort((a, b) => (a.load + input.caseWeight) / a.capacity - (b.load + input.caseWeight) / b.capacity || byName(a, b))[0] ?? null;
  return {
    candidates,
    fitsNowhere: true,
    leastLoaded,
    summary: leastLoaded
      ? `No team can take the case under its threshold. Least loaded: ${leastLoaded.name} (${fmt(leastLoaded.load)} of ${leastLoaded.capacity}).`
      : 'No team can take the case: the partnership has no Topteam.',
  };
}
