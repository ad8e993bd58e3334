/**
 * The benchmark's baselines: node's http server and pg, nothing else.
 *
 * - "The limit": a POST `{ "op": name, "params": [...] }` runs the one hand-written SQL statement
 *   of that operation (given at start, in BENCH_SQL as JSON `{ name: sql }`), which returns the
 *   whole JSON answer, and sends it back. No GraphQL, no authorization, no access log: what one
 *   statement and one round trip cost on this machine, measured in the same run as the API.
 * - "The floor with the guarantees": the same POST with `"guarded": true` runs the same statement
 *   as the API's database role would have to, with nothing of the API's own code between: the
 *   caller's identity looked up (the API's statement, on the owner's connection), a transaction
 *   bound to the tenant (row-level security on), the statement, and the API's own access-log
 *   append for such a page sent with the COMMIT. The benchmark registers each operation's
 *   statements once (POST /guard `{ op, guard }`, built in read-path.ts from the API's own
 *   functions and the entries the API wrote for one request); every request appends them anew,
 *   under fresh entry and request ids, to the partnership's chain. No GraphQL, no rules, no field decisions:
 *   what the guarantees alone cost per request.
 *
 * Runs in its own process (`node test/bench/single-sql-server.js`, with DATABASE_URL (the
 * owner), API_DATABASE_URL (the API's role), PORT and BENCH_SQL; it prints `listening <port>`)
 * or inline (`start`), as the smoke test does.
 */
const http = require('node:http');
const { randomUUID } = require('node:crypto');
const { Pool } = require('pg');

/** A guarded request: identity, bound transaction, the statement, the append with the COMMIT. */
async function guarded(ownerPool, apiPool, guard, sql, params) {
  const identity = await ownerPool.query(guard.identity.sql, guard.identity.params);
  if (identity.rows.length === 0) throw new Error('the caller is not known');
  const client = await apiPool.connect();
  let failed;
  try {
    await client.query(guard.start);
    const result = await client.query(sql, params);
    let append = guard.append;
    for (const id of guard.entryIds) append = append.replace(id, randomUUID());
    append = append.split(guard.requestId).join(randomUUID());
    await client.query(`${append};\nCOMMIT`);
    return result;
  } catch (error) {
    failed = error;
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    // A connection whose transaction failed is closed, not handed to the next request.
    client.release(failed);
  }
}

function start(databaseUrl, statements, port = 0, apiDatabaseUrl = databaseUrl) {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const apiPool = new Pool({ connectionString: apiDatabaseUrl, max: 10 });
  const guards = {};
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      try {
        if (req.url === '/guard') {
          const { op, guard } = JSON.parse(body);
          guards[op] = guard;
          res.writeHead(204);
          res.end();
          return;
        }
        const { op, params, guarded: withGuarantees } = JSON.parse(body);
        const sql = statements[op];
        if (!sql) throw new Error(`unknown operation ${op}`);
        if (withGuarantees && !guards[op]) throw new Error(`no guard registered for ${op}`);
        const result = withGuarantees ? await guarded(pool, apiPool, guards[op], sql, params ?? []) : await pool.query(sql, params ?? []);
        const json = result.rows[0].data;
        res.writeHead(200, { 'content-type': 'application/json', 'x-sql-statements': withGuarantees ? '4' : '1' });
        res.end(`{"data":${typeof json === 'string' ? json : JSON.stringify(json)}}`);
      } catch (error) {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ errors: [{ message: String(error && error.message) }] }));
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve({
    port: server.address().port,
    stop: () => new Promise((done) => { server.closeAllConnections(); server.close(() => Promise.all([pool.end(), apiPool.end()]).then(() => done())); }),
  })));
}

module.exports = { start };

if (require.main === module) {
  start(process.env.DATABASE_URL, JSON.parse(process.env.BENCH_SQL), Number(process.env.PORT || 0), process.env.API_DATABASE_URL).then(({ port }) => {
    process.stdout.write(`listening ${port}\n`);
  });
}
