/**
 * The Apollo plugin that writes the access log: after execution, before the response is sent
 * (`executionDidEnd`, which runs before every `willSendResponse`, so the statement count in
 * `x-sql-statements` includes the write), it adds
 * - a DENIED entry for each FORBIDDEN / NOT_FOUND / CONSENT_REQUIRED error of a mutation on
 *   student data (Student, Consent, Trajectory or a trajectory record): the mutation's name
 *   in `fields` and its id argument as the object (`id`, or the first `…Id` argument, also
 *   inside `input`);
 * - one SEARCH entry of type `AccessLog` for each `accessLog` root field (reading the log is
 *   itself logged; its filter's keys in `fields`, its student filter as the student);
 * and writes all entries of the request in ONE statement (`access_log_append`). When that
 * write fails, the data is withheld: the response becomes INTERNAL_SERVER_ERROR, no data.
 */
import { ApolloServerPlugin, GraphQLRequestContext } from '@apollo/server';
import { FieldNode, GraphQLError, getNamedType } from 'graphql';
import { getArgumentValues } from 'graphql/execution/values';
import { DataSource } from 'typeorm';
import { ENTITIES } from '../db/entities';
import { AccessAction, AccessOutcome } from '../domain/enums';
import type { Context } from '../graphql/context';
import { TrajectoryRecord } from '../modules/trajectories/trajectory-record';
import { AccessLogRow, normalUuid } from './access-recorder';
import { canonical } from './chain';

const DENIED_CODES = new Set(['FORBIDDEN', 'NOT_FOUND', 'CONSENT_REQUIRED']);

const RECORD_TYPES = new Set<string>(ENTITIES.filter((e) => e.prototype instanceof TrajectoryRecord).map((e) => e.name));

/** GraphQL type names whose mutations concern student data. */
const STUDENT_DATA_TYPES = new Set<string>(['Student', 'Consent', 'Trajectory', ...RECORD_TYPES]);

/** Writes the rows (one partnership) in one statement; the function chains and inserts them. */
export async function appendAccessLog(dataSource: DataSource, partnershipId: string, rows: AccessLogRow[]): Promise<void> {
  if (rows.length === 0) return;
  const json = rows.map((r) => ({
    id: r.id,
    created_at: r.createdAt.toISOString(),
    user_id: r.userId,
    membership_id: r.membershipId,
    role: r.role,
    action: r.action,
    outcome: r.outcome,
    student_id: r.studentId,
    object_type: r.objectType,
    object_id: r.objectId,
    fields: r.fields,
    legal_basis: r.legalBasis,
    consent_id: r.consentId,
    request_id: r.requestId,
  }));
  await dataSource.query('SELECT access_log_append($1::uuid, $2::jsonb, $3::text[])', [
    partnershipId, JSON.stringify(json), rows.map(canonical),
  ]);
}

function rootFields(requestContext: GraphQLRequestContext<Context>): FieldNode[] {
  return (requestContext.operation?.selectionSet.selections ?? []).filter((s): s is FieldNode => s.kind === 'Field');
}

function argumentsOf(requestContext: GraphQLRequestContext<Context>, node: FieldNode, rootType: 'Query' | 'Mutation'): Record<string, unknown> {
  const schema = requestContext.schema;
  const type = rootType === 'Query' ? schema.getQueryType() : schema.getMutationType();
  const def = type?.getFields()[node.name.value];
  if (!def) return {};
  try {
    return getArgumentValues(def, node, requestContext.request.variables ?? {});
  } catch {
    return {};
  }
}

function idArgument(args: Record<string, unknown>): string | null {
  const direct = normalUuid(args.id);
  if (direct) return direct;
  for (const source of [args, (args.input ?? {}) as Record<string, unknown>]) {
    if (!source || typeof source !== 'object') continue;
    if (normalUuid(source.id)) return normalUuid(source.id);
    for (const [key, value] of Object.entries(source)) if (key.endsWith('Id') && normalUuid(value)) return normalUuid(value);
  }
  return null;
}

const WITHHELD = { message: 'Something went wrong on our side. Please try again later.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };

export function accessLogPlugin(dataSource: DataSource): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      let errors: readonly GraphQLError[] = [];
      return {
        async didEncounterErrors(requestContext) {
          errors = requestContext.errors ?? [];
        },
        async executionDidStart(startContext) {
          return {
            async executionDidEnd() {
              const requestContext = startContext as unknown as GraphQLRequestContext<Context>;
              const ctx = requestContext.contextValue;
              const recorder = ctx.access;
              if (!recorder) return;
              const operation = requestContext.operation?.operation;
              const byKey = new Map(rootFields(requestContext).map((n) => [n.alias?.value ?? n.name.value, n]));

              if (operation === 'mutation') {
                for (const error of errors) {
                  const code = String(error.extensions?.code ?? '');
                  const key = error.path?.[0];
                  const node = key === undefined ? undefined : byKey.get(String(key));
                  if (!DENIED_CODES.has(code) || !node || error.path?.length !== 1) continue;
                  const def = requestContext.schema.getMutationType()?.getFields()[node.name.value];
                  const typeName = def ? getNamedType(def.type).name : '';
                  if (!STUDENT_DATA_TYPES.has(typeName)) continue;
                  const objectId = idArgument(argumentsOf(requestContext, node, 'Mutation'));
                  // A trajectory record's mutation names its trajectory (`trajectoryId`): log it as such.
                  const objectType = RECORD_TYPES.has(typeName) ? 'Trajectory' : typeName;
                  recorder.note({
                    objectType, objectId, studentId: objectType === 'Student' ? objectId : null,
                    action: AccessAction.CHANGE, outcome: AccessOutcome.DENIED, fields: [node.name.value],
                  });
                }
              } else if (operation === 'query') {
                for (const [key, node] of byKey) {
                  if (node.name.value !== 'accessLog') continue;
                  const args = argumentsOf(requestContext, node, 'Query');
                  const filter = (args.filter ?? {}) as Record<string, unknown>;
                  const denied = errors.some((e) => e.path?.[0] === key);
                  recorder.note({
                    objectType: 'AccessLog', objectId: null, studentId: normalUuid(filter.studentId),
                    action: AccessAction.SEARCH, outcome: denied ? AccessOutcome.DENIED : AccessOutcome.ALLOWED,
                    fields: Object.keys(filter).filter((k) => filter[k] !== undefined && filter[k] !== null).map((k) => `filter.${k}`),
                  });
                }
              }
              if (recorder.isEmpty) return;

              try {
                const missing = recorder.trajectoriesWithoutStudent();
                const studentOf = new Map<string, string>();
                if (missing.length > 0) {
                  // Only when trajectory records were returned without their trajectory, or a
                  // mutation on one was denied: one more statement, within the caller's tenant.
                  const found: Array<{ id: string; student_id: string }> = await dataSource.query(
                    'SELECT id, student_id FROM trajectory WHERE id = ANY($1::uuid[]) AND partnership_id = $2',
                    [missing, ctx.actor.partnershipId],
                  );
                  for (const r of found) studentOf.set(r.id, r.student_id);
                }
                const rows = recorder.rows(ctx.actor, ctx.requestId, ctx.clock.now(), studentOf);
                await appendAccessLog(dataSource, ctx.actor.partnershipId, rows);
              } catch (error) {
                // No log entry, no data (AVG issue, item 4).
                console.error('[access-log] could not write the access log; response withheld', error);
                requestContext.response.body = { kind: 'single', singleResult: { errors: [WITHHELD] } };
              }
            },
          };
        },
      };
    },
  };
}
