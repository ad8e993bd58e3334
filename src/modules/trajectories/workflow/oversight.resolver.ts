import { Resolver } from 'type-graphql';

/** Escalations, complaints and exit questionnaires. */
@Resolver()
export class OversightResolver {}
