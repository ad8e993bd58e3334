/**
 * The GraphQL schema, built from the type-graphql resolvers. `npm run schema` prints it,
 * sorted, to `schema/schema.graphql`, the reference clients and codegen read.
 */
import 'reflect-metadata';
import { defaultFieldResolver, GraphQLFieldResolver, GraphQLSchema, isObjectType, lexicographicSortSchema, printSchema } from 'graphql';
import { buildSchemaSync, NonEmptyArray } from 'type-graphql';
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
import { StaffingResolver } from '../modules/trajectories/workflow/staffing.resolver';
import { UserResolver } from '../modules/users/user.resolver';
import { WindstreekResolver } from '../modules/windstreken/windstreek.resolver';
import { RELATION_RESOLVERS, relationOf } from './relations';
import { prefetched } from './prefetch-store';
import { validateArgument } from './validation';
import { withinUnitOfWork } from './unit-of-work';
import { prefetch } from './prefetch';
import { recordPlainFields, recordSimpleResolvers } from './plain-fields';

const RESOLVERS = [
  PartnershipResolver, WindstreekResolver, SchoolResolver, TopteamResolver, UserResolver, StudentResolver,
  ConsentResolver, ConsultationResolver, TrajectoryResolver, PrivacyResolver, RetentionResolver,
  // The trajectory workflow (steps 1–8 of the handbook).
  ConsultationWorkflowResolver, RegistrationResolver, PhaseResolver, CaseWorkResolver, OversightResolver, StaffingResolver,
  // Capacity and overflow assignment.
  CaseloadResolver,
  // Aggregates (dashboards).
  DashboardResolver,
];

/**
 * A field below the root: not past the request's deadline; resolved only when the caller's
 * rules grant it (src/authz/field-access.ts), else `null`; and what is resolved is what the
 * access log records (src/audit). Synchronous unless SQL must decide the permission, so a
 * field costs one plain call, not a chain of promises.
 */
function guardField(resolve: GraphQLFieldResolver<unknown, Context>, relation: boolean): GraphQLFieldResolver<unknown, Context> {
  // A relation whose rows the query prefetched (./prefetch.ts) answers from them, without
  // type-graphql's argument handling: the prefetch only took arguments validation accepts.
  const answer: GraphQLFieldResolver<unknown, Context> = relation
    ? (root, args, context, info) => {
      const loaded = root && typeof root === 'object' ? prefetched(root, info) : undefined;
      return loaded !== undefined ? loaded : resolve(root, args, context, info);
    }
    : resolve;
  return (root, args, context, info) => {
    context.unitOfWork?.checkDeadline();
    const granted = mayReadField(context, root, info.fieldName);
    if (granted === true) {
      context.access?.see(root, info.fieldName, info);
      return answer(root, args, context, info);
    }
    if (granted === false) return null;
    return granted.then((ok) => {
      if (!ok) return null;
      context.access?.see(root, info.fieldName, info);
      return answer(root, args, context, info);
    });
  };
}

/**
 * A root field: deadline, declared policy, filters and (for a mutation) its savepoint
 * (./unit-of-work.ts); in a query, the relations selected below its rows are then loaded in one
 * statement (./prefetch.ts).
 */
function guardRootField(resolve: GraphQLFieldResolver<unknown, Context>): GraphQLFieldResolver<unknown, Context> {
  return (root, args, context, info) => {
    const result = withinUnitOfWork(context, info, args, () => resolve(root, args, context, info));
    // The compiled execution (./compiled-execution.ts) loads the relations itself, from its plan.
    if (info.operation.operation !== 'query' || !context.config.readPrefetch || context.compiledRead) return result;
    return result.then(async (value) => {
      await prefetch(context, info, value);
      return value;
    });
  };
}

/**
 * Puts the two guards on the built schema, once: every root field gets `guardRootField`,
 * every other field of every object type `guardField`. (As type-graphql global middleware they
 * cost an async dispatch and several promises on every field of every answer.)
 */
function guardFields(built: GraphQLSchema): GraphQLSchema {
  const roots = new Set([built.getQueryType(), built.getMutationType()]);
  for (const type of Object.values(built.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields())) {
      const resolve = (field.resolve ?? defaultFieldResolver) as GraphQLFieldResolver<unknown, Context>;
      field.resolve = roots.has(type) ? guardRootField(resolve) : guardField(resolve, relationOf(type.name, field.name) !== undefined);
    }
  }
  return built;
}

let schema: GraphQLSchema | undefined;

/** The schema (built once per process). */
export function getSchema(): GraphQLSchema {
  if (!schema) {
    schema = guardFields(buildSchemaSync({
      resolvers: [...RESOLVERS, ...RELATION_RESOLVERS] as unknown as NonEmptyArray<Function>,
      validateFn: validateArgument,
    }));
    recordPlainFields(schema);
    recordSimpleResolvers(schema);
  }
  return schema;
}

/** The SDL as committed in `schema/schema.graphql`. */
export function printSortedSchema(): string {
  return printSchema(lexicographicSortSchema(getSchema())) + '\n';
}
