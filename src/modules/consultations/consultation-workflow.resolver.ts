import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Guarded } from '../../graphql/policy';
import type { Context } from '../../graphql/context';
import { Consultation } from './consultation.entity';
import { RecordAdviceInput, RecordPreConsultationOutcomeInput, RequestAdviceInput, RequestPreConsultationInput } from './consultation.inputs';
import { recordAdvice, recordPreConsultationOutcome, requestAdvice, requestPreConsultation } from './consultation.service';

const INPUT = { description: 'What to do.' };

/** Steps 1 and 2: preventive advice and pre-consultation. */
@Resolver(() => Consultation)
export class ConsultationWorkflowResolver {
  @Guarded('Consultation', 'create')
  @Mutation(() => Consultation, { description: 'SCHOOL_COORDINATOR, step 1 (preventief advies): ask the gedragswetenschapper of your windstreek for advice, without a registration; leave out the student for an anonymous case.' })
  requestAdvice(@Arg('input', () => RequestAdviceInput, INPUT) input: RequestAdviceInput, @Ctx() ctx: Context): Promise<Consultation> {
    return requestAdvice(ctx, input);
  }

  @Guarded('Consultation', 'update')
  @Mutation(() => Consultation, { description: 'Gedragswetenschapper (BEHAVIOURAL_SCIENTIST) of the Topteam of the windstreek, step 1: record the advice (advies) and its outcome, once.' })
  recordAdvice(@Arg('input', () => RecordAdviceInput, INPUT) input: RecordAdviceInput, @Ctx() ctx: Context): Promise<Consultation> {
    return recordAdvice(ctx, input);
  }

  @Guarded('Consultation', 'create')
  @Mutation(() => Consultation, { description: 'SCHOOL_COORDINATOR, step 2 (collegiaal vooroverleg): organise a pre-consultation with the gedragswetenschapper and the onderwijsadviseur, with the OPP and the five questions; may be anonymous.' })
  requestPreConsultation(@Arg('input', () => RequestPreConsultationInput, INPUT) input: RequestPreConsultationInput, @Ctx() ctx: Context): Promise<Consultation> {
    return requestPreConsultation(ctx, input);
  }

  @Guarded('Consultation', 'update')
  @Mutation(() => Consultation, { description: 'EDUCATION_ADVISOR of the windstreek or gedragswetenschapper of its Topteam, step 2: record the outcome (uitkomst) of the pre-consultation, once: a Toptraject or another form of support.' })
  recordPreConsultationOutcome(@Arg('input', () => RecordPreConsultationOutcomeInput, INPUT) input: RecordPreConsultationOutcomeInput, @Ctx() ctx: Context): Promise<Consultation> {
    return recordPreConsultationOutcome(ctx, input);
  }
}
