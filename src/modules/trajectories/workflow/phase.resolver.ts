import { Resolver } from 'type-graphql';

/** Phase acts of the gedragswetenschapper and the follow-ups. */
@Resolver()
export class PhaseResolver {}
