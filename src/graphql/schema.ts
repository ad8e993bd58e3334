/**
 * The GraphQL schema, built from the type-graphql resolvers. `npm run schema` prints it,
 * sorted, to `schema/schema.graphql`, the reference clients and codegen read.
 */
import 'reflect-metadata';
import { GraphQLSchema, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync, MiddlewareFn, NonEmptyArray } from 'type-graphql';
import { mayReadField } from '../authz/field-access';
import type { Context } from './context';
import { CaseloadResolver } from '../modules/caseload/caseload.resolver';
import { ConsentResolver } from '../modules/consents/consent.resolver';
import { ConsultationWorkflowResolver } from '../modules/consultations/consultation-workflow.resolver';
import { ConsultationResolver } from '../modules/consultations/consultation.resolver';
import { DashboardResolver } from '../modules/dashboards/dashboard.resolver';
import { PartnershipResolver } from '../modules/partnerships/partnership.resolver';
import { PrivacyResolver } from '../modules/privacy/privacy.resolver';
import { RetentionResolver } from '../modules/privacy/retention.resolver';
import { SchoolResolver } from '../modules/schools/school.resolver';
import { StudentResolver } from '../modules/students/student.resolver';
import { TopteamResolver } from '../modules/topteams/topteam.resolver';
import { TrajectoryResolver } from '../modules/trajectories/trajectory.resolver';
import { CaseWorkResolver } from '../modules/trajectories/workflow/case-work.resolver';
import { OversightResolver } from '../modules/trajectories/workflow/oversight.resolver';
import { PhaseResolver } from '../modules/trajectories/workflow/phase.resolver';
import { RegistrationResolver } from '../modules/trajectories/workflow/registration.resolver';
import { UserResolver } from '../modules/users/user.resolver';
import { WindstreekResolver } from '../modules/windstreken/windstreek.resolver';
import { RELATION_RESOLVERS } from './relations';
import { validateArgument } from './validation';
import { withinUnitOfWork } from './unit-of-work';

const RESOLVERS = [
  PartnershipResolver, WindstreekResolver, SchoolResolver, TopteamResolver, UserResolver, StudentResolver,
  ConsentResolver, ConsultationResolver, TrajectoryResolver, PrivacyResolver, RetentionResolver,
  // The trajectory workflow (steps 1–8 of the handbook).
  ConsultationWorkflowResolver, RegistrationResolver, PhaseResolver, CaseWorkResolver, OversightResolver,
  // Capacity and overflow assignment.
  CaseloadResolver,
  // Aggregates (dashboards).
  DashboardResolver,
];

/**
 * Every field: resolved only when the caller's rules grant it (src/authz/field-access.ts),
 * else `null`; and what is resolved is what the access log records (src/audit). Two owners,
 * one middleware, so a field pays one dispatch for both.
 */
const fieldAccess: MiddlewareFn<Context> = async ({ root, info, context }, next) => {
  if (!(await mayReadField(context, root, info.fieldName))) return null;
  context.access?.see(root, info.fieldName, info);
  return next();
};

let schema: GraphQLSchema | undefined;

/** The schema (built once per process). */
export function getSchema(): GraphQLSchema {
  schema ??= buildSchemaSync({
    resolvers: [...RESOLVERS, ...RELATION_RESOLVERS] as unknown as NonEmptyArray<Function>,
    validateFn: validateArgument,
    // The request's deadline on every field and each mutation root field in a savepoint of the
    // request's unit of work; field permissions on every field.
    globalMiddlewares: [withinUnitOfWork, fieldAccess],
  });
  return schema;
}

/** The SDL as committed in `schema/schema.graphql`. */
export function printSortedSchema(): string {
  return printSchema(lexicographicSortSchema(getSchema())) + '\n';
}
