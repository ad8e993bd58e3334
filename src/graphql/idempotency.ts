/**
 * Idempotent mutations: the `Idempotency-Key` request header (semantics of the IETF httpapi
 * draft "The Idempotency-Key HTTP Header Field").
 *
 * Why: a client that loses the answer to a mutation (a timeout, a dropped connection) cannot
 * know whether it was applied; retrying blindly would register a student twice or add a
 * second note. With a key, the retry is safe:
 *
 * - the same key and the same operation (query, operation name and variables, hashed) from
 *   the same user within the key's lifetime (`IDEMPOTENCY_KEY_HOURS`): the first answer is
 *   replayed, status and body, with `Idempotent-Replayed: true`, and nothing runs again;
 * - the same key with a different operation: 422 `BAD_USER_INPUT`, nothing runs;
 * - the same key while the first request is still running: 409 `CONFLICT`, nothing runs;
 * - another user's key is another key: keys are per user, so nobody sees someone else's answer.
 *
 * The key is claimed (inserted) before execution in a statement of its own, committed at once,
 * so that a concurrent retry on another connection or process sees it; the answer is stored
 * after execution, before it is sent; a request stopped at its deadline (TIMEOUT, rolled back
 * as a whole) releases its key instead. A request that dies in between leaves its key claimed
 * without an answer: retries answer 409 until the key expires (the mutation may or may not
 * have been applied, and only the data can tell). Queries ignore the header.
 */
import { createHash } from 'node:crypto';
import type { ApolloServerPlugin } from '@apollo/server';
import { HeaderMap } from '@apollo/server';
import { DataSource } from 'typeorm';
import { inTenant } from '../db/tenancy';
import type { Context } from './context';
import { appError } from './errors';

const KEY = /^[\x21-\x7e]{1,255}$/;

interface Stored {
  request_hash: string;
  response_status: number | null;
  response_body: unknown;
}

/** The hash of what a request asks: a retry must ask exactly this. */
function requestHash(query: string | undefined, operationName: string | undefined | null, variables: unknown): string {
  return createHash('sha256').update(JSON.stringify([query ?? '', operationName ?? null, variables ?? {}])).digest('hex');
}

export function idempotencyPlugin(dataSource: DataSource, lifetimeHours: number): ApolloServerPlugin<Context> {
  return {
    async requestDidStart({ request }) {
      const key = request.http?.headers.get('idempotency-key');
      if (key === undefined) return;
      let claimed: { userId: string; partnershipId: string } | null = null;
      let replay: Stored | null = null;
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation !== 'mutation') return;
          if (!KEY.test(key)) throw appError('BAD_USER_INPUT', 'Idempotency-Key: 1 to 255 visible ASCII characters.', { field: 'Idempotency-Key', http: { status: 400 } });
          const { actor } = contextValue;
          const hash = requestHash(request.query, request.operationName, request.variables);
          // The base data source in a short transaction of its own, bound to the caller's
          // partnership, outside the request's unit of work: the claim must be visible to a
          // concurrent retry before this request's transaction commits.
          const stored = await inTenant(dataSource, actor.partnershipId, async (manager) => {
            await manager.query('DELETE FROM idempotency_key WHERE user_id = $1 AND key = $2 AND expires_at <= now()', [actor.userId, key]);
            const inserted: Array<{ id: string }> = await manager.query(
              `INSERT INTO idempotency_key (partnership_id, user_id, key, request_hash, expires_at)
               VALUES ($1, $2, $3, $4, now() + make_interval(hours => $5))
               ON CONFLICT (user_id, key) DO NOTHING RETURNING id`,
              [actor.partnershipId, actor.userId, key, hash, lifetimeHours],
            );
            if (inserted.length === 1) return 'claimed' as const;
            const [row]: Stored[] = await manager.query('SELECT request_hash, response_status, response_body FROM idempotency_key WHERE user_id = $1 AND key = $2', [actor.userId, key]);
            return row;
          });
          if (stored === 'claimed') {
            claimed = { userId: actor.userId, partnershipId: actor.partnershipId };
            return;
          }
          if (!stored) throw appError('CONFLICT', 'Idempotency-Key: the key was just released; send the request again.', { http: { status: 409 } });
          if (stored.request_hash !== hash) {
            throw appError('BAD_USER_INPUT', 'Idempotency-Key: this key was used for a different request; use a new key.', { field: 'Idempotency-Key', http: { status: 422 } });
          }
          if (stored.response_status === null) {
            throw appError('CONFLICT', 'Idempotency-Key: a request with this key is still being processed; retry later.', { http: { status: 409 } });
          }
          replay = stored;
        },
        async responseForOperation() {
          if (!replay) return null;
          const headers = new HeaderMap([['idempotent-replayed', 'true']]);
          return { http: { status: replay.response_status!, headers }, body: { kind: 'single', singleResult: replay.response_body as never } };
        },
        async willSendResponse({ response }) {
          if (!claimed || response.body.kind !== 'single') return;
          const { userId, partnershipId } = claimed;
          const result = response.body.singleResult;
          if (result.errors?.length === 1 && result.errors[0].extensions?.code === 'TIMEOUT') {
            // Stopped at its deadline and rolled back as a whole: nothing was applied, so the key
            // is released and a retry runs again instead of replaying the timeout.
            await inTenant(dataSource, partnershipId, (manager) => manager.query('DELETE FROM idempotency_key WHERE user_id = $1 AND key = $2', [userId, key]));
            return;
          }
          await inTenant(dataSource, partnershipId, (manager) => manager.query('UPDATE idempotency_key SET response_status = $3, response_body = $4::jsonb WHERE user_id = $1 AND key = $2', [
            userId, key, response.http.status ?? 200, JSON.stringify(result),
          ]));
        },
      };
    },
  };
}
