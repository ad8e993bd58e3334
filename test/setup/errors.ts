import { ClientError } from 'graphql-request';

/** The first error of a refused GraphQL call: its code, the field it names, message and extensions. */
export interface GraphQLErrorInfo {
  code: string;
  field: unknown;
  message: string;
  extensions: Record<string, unknown>;
}

/**
 * Awaits a typed-SDK call that must fail with a GraphQL error and returns that error; fails the
 * test when the call succeeds or fails otherwise (a network error is not an answer).
 */
export async function errorOf(call: Promise<unknown>): Promise<GraphQLErrorInfo> {
  const error = await call.then(() => null, (e: unknown) => e);
  if (!(error instanceof ClientError)) throw new Error(`expected a GraphQL error, got ${error === null ? 'success' : String(error)}`);
  const first = error.response.errors![0];
  const extensions = (first.extensions ?? {}) as Record<string, unknown>;
  return { code: String(extensions.code), field: extensions.field, message: first.message, extensions };
}
