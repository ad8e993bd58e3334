import { Resolver } from 'type-graphql';

/** Steps 1 and 2: preventive advice and pre-consultation. */
@Resolver()
export class ConsultationWorkflowResolver {}
