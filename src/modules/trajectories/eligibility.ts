import { Field, ObjectType } from 'type-graphql';

/**
 * The target-group answers of a registration (src/domain/README.md, "Who may be helped"), stored with
 * the trajectory as they were given, so a review can see on what the school registered.
 */
@ObjectType({ description: 'Doelgroepcriteria: the answers the school gave at registration.' })
export class Eligibility {
  @Field(() => Boolean, { description: 'Enrolled at a regular VO school and will continue there (ingeschreven in regulier VO).' })
  enrolledInRegularEducation: boolean;

  @Field(() => Boolean, { description: 'Regular education with support is expected to be feasible (regulier onderwijs haalbaar).' })
  regularEducationFeasible: boolean;

  @Field(() => Boolean, { description: 'The student wants to work on it actively (leerling gemotiveerd).' })
  studentMotivated: boolean;

  @Field(() => Boolean, { description: 'The parents want to work on it actively (ouders gemotiveerd).' })
  parentsMotivated: boolean;

  @Field(() => Boolean, { description: 'The school wants to work on it actively (school gemotiveerd).' })
  schoolMotivated: boolean;

  @Field(() => Boolean, { description: 'They expect to reach the goals within the term of a Toptraject (doelen haalbaar binnen de termijn).' })
  goalsReachableWithinTerm: boolean;

  @Field(() => Boolean, { description: 'Exclusion: the question is a single one, e.g. an IQ assessment (enkelvoudige vraag).' })
  singleQuestion: boolean;

  @Field(() => Boolean, { description: 'Exclusion: the student needs very intensive care (zeer intensieve hulpverlening).' })
  needsVeryIntensiveCare: boolean;
}
