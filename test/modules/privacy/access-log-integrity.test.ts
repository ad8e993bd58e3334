/**
 * `accessLogIntegrity`: the privacy officer verifies the partnership's access-log chain from the
 * API. Intact after ordinary use; a tail cut off by a superuser is found through the signed
 * checkpoint; an entry altered in the middle names its sequence; every other role is refused,
 * and every check is itself logged.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { writeCheckpoints } from '../../../src/audit/checkpoints';
import { useAppWithWorld } from '../../setup/app-with-world';
import { errorOf } from '../../setup/errors';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'integrity-'));
const { app, world } = useAppWithWorld({ env: { AUDIT_CHECKPOINT_FILE: path.join(dir, 'checkpoints.jsonl'), AUDIT_CHECKPOINT_SECONDS: '0' } });
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const check = async (who = world.users.privacy.email) => (await (await app.sdk(who)).AccessLogIntegrity()).accessLogIntegrity;
const entries = async (): Promise<number> =>
  (await app.dataSource.query('SELECT count(*)::int AS n FROM access_log_entry WHERE partnership_id = $1', [world.partnership.id]))[0].n;
const readStudents = async (times: number) => {
  for (let i = 0; i < times; i++) expect((await app.gql(world.users.schoolA1.email, '{ students(first: 3) { edges { node { id givenName } } } }')).body.errors).toBeUndefined();
};
/** As a superuser: the append-only trigger off for one transaction. */
const tamper = (sql: string, params: unknown[]) => app.dataSource.transaction(async (tx) => {
  await tx.query('SET LOCAL session_replication_role = replica');
  await tx.query(sql, params);
});

test('after ordinary use: intact, every entry of the partnership checked, no checkpoint yet; the check is logged', async () => {
  await readStudents(3);
  const before = await entries();
  expect(before).toBeGreaterThan(0);
  const result = await check();
  expect(result).toMatchObject({ intact: true, entries: before, broken: null, checkpointChecked: false, findings: [] });
  const [logged] = await app.dataSource.query(
    `SELECT action, outcome, object_type, fields FROM access_log_entry WHERE partnership_id = $1 ORDER BY sequence DESC LIMIT 1`, [world.partnership.id],
  );
  expect(logged).toEqual({ action: 'READ', outcome: 'ALLOWED', object_type: 'AccessLog', fields: ['integrity'] });
});

test('every other role: FORBIDDEN, and the refusal is logged', async () => {
  for (const who of [world.users.coordinator, world.users.schoolA1, world.users.admin, world.users.analyst, world.users.scientistA]) {
    expect((await errorOf((await app.sdk(who.email)).AccessLogIntegrity())).code).toBe('FORBIDDEN');
    const [logged] = await app.dataSource.query(
      `SELECT user_id, outcome, object_type FROM access_log_entry WHERE partnership_id = $1 ORDER BY sequence DESC LIMIT 1`, [world.partnership.id],
    );
    expect(logged).toEqual({ user_id: who.id, outcome: 'DENIED', object_type: 'AccessLog' });
  }
});

test('a tail removed by a superuser: the chain alone holds, the signed checkpoint does not', async () => {
  await readStudents(2);
  expect(await writeCheckpoints(app.dataSource, app.config.auditCheckpoints, new Date())).toBeGreaterThan(0);
  expect(await check()).toMatchObject({ intact: true, checkpointChecked: true, findings: [] });
  await tamper(`DELETE FROM access_log_entry WHERE id IN (SELECT id FROM access_log_entry WHERE partnership_id = $1 ORDER BY sequence DESC LIMIT 3)`, [world.partnership.id]);
  const result = await check();
  expect(result).toMatchObject({ intact: false, broken: null, checkpointChecked: true });
  expect(result.findings).toHaveLength(1);
  expect(result.findings[0]).toMatch(/^entries removed/);
});

test('an entry altered in the middle: not intact, and the first broken link is that entry', async () => {
  const [middle] = await app.dataSource.query(
    `SELECT sequence::text AS sequence FROM access_log_entry WHERE partnership_id = $1 ORDER BY sequence LIMIT 1 OFFSET 2`, [world.partnership.id],
  );
  await tamper(`UPDATE access_log_entry SET fields = '{tampered}' WHERE partnership_id = $1 AND sequence = $2`, [world.partnership.id, middle.sequence]);
  const result = await check();
  expect(result).toMatchObject({ intact: false, broken: { sequence: middle.sequence, field: 'hash' } });
});
