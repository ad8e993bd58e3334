import { Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum LoadState {
  OK = 'OK',
  THREATENS_TO_OVERFLOW = 'THREATENS_TO_OVERFLOW',
  FULL = 'FULL',
}
registerEnumType(LoadState, {
  name: 'LoadState',
  description: 'Caseload state (belasting): OK, threatens to overflow (at or above the threshold), or full (at or above capacity).',
});

@ObjectType({ description: 'Active trajectories of a team per phase (aantallen per fase).' })
export class PhaseCounts {
  @Field(() => Int, { description: 'Accepted, not yet started (geaccepteerd).' })
  accepted: number;

  @Field(() => Int, { description: 'In the assessment phase (onderzoeksfase).' })
  assessment: number;

  @Field(() => Int, { description: 'In the intensive phase (intensieve fase).' })
  intensive: number;

  @Field(() => Int, { description: 'In the consolidation phase (borgingsfase).' })
  consolidation: number;
}

@ObjectType({ description: 'Caseload of one Topteam (teambelasting): capacity, weighted load and where it comes from.' })
export class TeamLoad {
  @Field(() => ID, { description: 'The Topteam (id).' })
  teamId: string;

  @Field(() => String, { description: 'Name of the team (naam).' })
  name: string;

  @Field(() => Int, { description: 'Capacity (capaciteit).' })
  capacity: number;

  @Field(() => Float, { description: 'Load (belasting): active trajectories weighted by phase.' })
  load: number;

  @Field(() => Float, { description: 'Free capacity (vrije capaciteit): capacity minus load.' })
  freeCapacity: number;

  @Field(() => Float, { description: 'The load at which the team threatens to overflow (drempel).' })
  thresholdLoad: number;

  @Field(() => LoadState, { description: 'Threshold state (drempelstatus).' })
  state: LoadState;

  @Field(() => PhaseCounts, { description: 'Active trajectories per phase.' })
  counts: PhaseCounts;

  @Field(() => Int, { description: 'Active cases from another windstreek (windstreekoverstijgend).' })
  crossWindstreekCases: number;

  @Field(() => Int, { description: "The waiting list (wachtlijst) of the team's windstreek: accepted cases that have no Topteam yet." })
  waitingInWindstreek: number;
}

@ObjectType({ description: 'A team the case could go to, with its load before and after and why (kandidaat).' })
export class AssignmentCandidate {
  @Field(() => Int, { description: 'Rank (rangorde), 1 is proposed.' })
  rank: number;

  @Field(() => ID, { description: 'The Topteam (id).' })
  teamId: string;

  @Field(() => String, { description: 'Name of the team (naam).' })
  name: string;

  @Field(() => Boolean, { description: 'The home team of the case (team van de eigen windstreek).' })
  home: boolean;

  @Field(() => Boolean, { description: 'In a windstreek neighbouring the home windstreek (aangrenzend).' })
  neighbour: boolean;

  @Field(() => Int, { description: 'Capacity (capaciteit).' })
  capacity: number;

  @Field(() => Float, { description: 'Load before assignment (belasting voor).' })
  loadBefore: number;

  @Field(() => Float, { description: 'Load after assignment (belasting na).' })
  loadAfter: number;

  @Field(() => Float, { description: 'Free capacity after assignment (vrij na toewijzing).' })
  freeCapacityAfter: number;

  @Field(() => String, { description: 'Why this team, in words (toelichting).' })
  reason: string;
}

@ObjectType({ description: 'Toewijzingsvoorstel: where a case should go, ranked and explained.' })
export class AssignmentProposal {
  @Field(() => ID, { description: 'The trajectory (id).' })
  trajectoryId: string;

  @Field(() => Float, { description: 'The weight the case adds to a team (gewicht).' })
  caseWeight: number;

  @Field(() => [AssignmentCandidate], { description: 'Candidate teams, best first; empty when no team fits.' })
  candidates: AssignmentCandidate[];

  @Field(() => Boolean, { description: 'No team can take the case under its threshold (past nergens).' })
  fitsNowhere: boolean;

  @Field(() => ID, { nullable: true, description: 'When nothing fits: the least-loaded team (minst belast).' })
  leastLoadedTeamId: string | null;

  @Field(() => String, { description: 'The proposal in one sentence (samenvatting).' })
  summary: string;
}
