import { Arg, Ctx, Mutation, Resolver } from 'type-graphql';
import { Guarded } from '../../../graphql/policy';
import type { Context } from '../../../graphql/context';
import { Trajectory } from '../trajectory.entity';
import { CancelTrajectoryInput, ReviewRegistrationInput, SubmitRegistrationInput, SupplementRegistrationInput } from './registration.inputs';
import { cancelTrajectory, reviewRegistration, submitRegistration, supplementRegistration } from './registration.service';

const INPUT = { description: 'What to do.' };

@Resolver(() => Trajectory)
export class RegistrationResolver {
  @Guarded('Trajectory', 'create')
  @Mutation(() => Trajectory, { description: 'SCHOOL_COORDINATOR, step 3 (aanmelden): register a student; checks the target group (NOT_ELIGIBLE), consents and that parents were informed (CONSENT_REQUIRED).' })
  submitRegistration(@Arg('input', () => SubmitRegistrationInput, INPUT) input: SubmitRegistrationInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return submitRegistration(ctx, input);
  }

  @Guarded('Trajectory', 'reviewRegistration')
  @Mutation(() => Trajectory, { description: 'EDUCATION_ADVISOR, step 4 (dossiercheck): accept (shares the dossier with the assigned Topteam), ask for information, or refuse.' })
  reviewRegistration(@Arg('input', () => ReviewRegistrationInput, INPUT) input: ReviewRegistrationInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return reviewRegistration(ctx, input);
  }

  @Guarded('Trajectory', 'supplementRegistration')
  @Mutation(() => Trajectory, { description: 'SCHOOL_COORDINATOR: supplement a registration on request; it returns to review.' })
  supplementRegistration(@Arg('input', () => SupplementRegistrationInput, INPUT) input: SupplementRegistrationInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return supplementRegistration(ctx, input);
  }

  @Guarded('Trajectory', 'cancelTrajectory', 'withdrawRegistration')
  @Mutation(() => Trajectory, { description: 'Gedragswetenschapper of the assigned team (or the school coordinator before acceptance): end a running trajectory early, with a reason.' })
  cancelTrajectory(@Arg('input', () => CancelTrajectoryInput, INPUT) input: CancelTrajectoryInput, @Ctx() ctx: Context): Promise<Trajectory> {
    return cancelTrajectory(ctx, input);
  }
}
