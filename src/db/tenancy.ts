/**
 * The database's own guard of the tenant boundary, beneath the authorization rules:
 *
 * - **Row-level security.** Every table with a partnership has RLS enabled and FORCEd (so it
 *   binds the table's owner too) with one policy: a row is visible, and may be written, only
 *   when its partnership is the one in the setting `toptrajecten.partnership_id`. The API sets
 *   it per transaction (`SET LOCAL` semantics) to the caller's partnership when a request's
 *   unit of work begins (src/graphql/unit-of-work.ts). Unset means no rows: a statement that
 *   runs outside a request's transaction sees nothing. Even a bug in the rules translator
 *   (src/authz/accessible.ts) cannot return another samenwerkingsverband's rows.
 * - **Whole-database work** (migrations, the demo data, the retention run, the audit tools, the
 *   identity lookup of a token's subject before its partnership is known) runs on a connection
 *   opened with the setting `*` (`allTenants`). Only this file writes that value.
 * - **Two roles.** The API connects as an ordinary role: not a superuser, not the owner of the
 *   tables, and without UPDATE, DELETE or TRUNCATE on the access log (`grantApiRole`). The
 *   migrations run as the owner (`MIGRATION_DATABASE_URL`, or the embedded superuser).
 *
 * Superusers bypass RLS altogether: the embedded owner does, the API role never does.
 */
import { isUuid } from '../domain/ids';
import { DataSource, EntityManager } from 'typeorm';

/** The setting that names the partnership a transaction may see. */
export const TENANT_SETTING = 'toptrajecten.partnership_id';

/** The setting's value that opens every partnership, for whole-database work only. */
const ALL_TENANTS = '*';

/** The name of the API's role in the embedded database and in the test suite. */
export const API_ROLE = 'toptrajecten_api';

/** `pg` connection options that open a connection onto every partnership (see above). */
export function allTenantsConnectionOptions(): { options: string } {
  return { options: `-c ${TENANT_SETTING}=${ALL_TENANTS}` };
}

/** The statement that binds the current transaction to one partnership (`$1`). */
export const BIND_TENANT_SQL = `SELECT set_config('${TENANT_SETTING}', $1, true)`;

/**
 * Opens a transaction bound to one partnership in one round trip: `START TRANSACTION` and the
 * binding as one text (the simple protocol runs both, in order). The id is written into the
 * text, so it must be a uuid, or this throws.
 */
export function startTenantTransactionSql(partnershipId: string): string {
  if (!isUuid(partnershipId)) throw new Error(`not a partnership id: "${partnershipId}"`);
  return `START TRANSACTION; SELECT set_config('${TENANT_SETTING}', '${partnershipId.toLowerCase()}', true)`;
}

const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

function identifier(name: string): string {
  if (!IDENTIFIER.test(name)) throw new Error(`"${name}" is not a plain PostgreSQL role name`);
  return `"${name}"`;
}

/**
 * Creates the API's login role if it does not exist (embedded database, test suite), and sets
 * its password: an ordinary role that cannot bypass RLS, create roles or databases.
 */
export async function ensureApiRole(owner: { query(sql: string): Promise<unknown> }, role: string, password: string): Promise<void> {
  const name = identifier(role);
  const literal = `'${password.replace(/'/g, "''")}'`;
  await owner.query(`DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${role}') THEN
    CREATE ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION;
  END IF;
END $$`);
  await owner.query(`ALTER ROLE ${name} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS NOREPLICATION PASSWORD ${literal}`);
}

/**
 * Gives the API's role what it needs on the migrated schema, as the owner, after every
 * migration run: read and write the product's tables, append to the access log but never
 * change or remove its entries, read (not write) the migration history.
 */
export async function grantApiRole(owner: DataSource, role: string): Promise<void> {
  const name = identifier(role);
  await owner.transaction(async (manager) => {
    await manager.query(`GRANT USAGE ON SCHEMA public TO ${name}`);
    await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${name}`);
    await manager.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${name}`);
    await manager.query(`REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON access_log_entry FROM ${name}`);
    // The log's month partitions: reached through access_log_entry only, never on their own.
    const partitions: Array<{ name: string }> = await manager.query(
      `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'access_log_entry'::regclass`);
    for (const partition of partitions) await manager.query(`REVOKE ALL ON ${identifier(partition.name)} FROM ${name}`);
    await manager.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${name}`);
  });
}

/** The user name in a PostgreSQL URL. */
export function roleOf(url: string): string {
  return decodeURIComponent(new URL(url).username);
}

/** Runs `fn` in a transaction of its own, bound to one partnership (for work outside a request's unit of work). */
export async function inTenant<T>(dataSource: DataSource, partnershipId: string, fn: (manager: EntityManager) => Promise<T>): Promise<T> {
  return dataSource.transaction(async (manager) => {
    await manager.query(BIND_TENANT_SQL, [partnershipId]);
    return fn(manager);
  });
}
