import { Resolver } from 'type-graphql';

/** Work during a trajectory: goals, evaluations, hand-over advice, notes, absence. */
@Resolver()
export class CaseWorkResolver {}
