/**
 * The benchmark's baseline, "the limit": node's http server and pg, nothing else. A POST
 * `{ "op": name, "params": [...] }` runs the one hand-written SQL statement of that operation
 * (given at start, in BENCH_SQL as JSON `{ name: sql }`), which returns the whole JSON answer,
 * and sends it back. No GraphQL, no authorization, no access log: what one statement and one
 * round trip cost on this machine, measured in the same run as the API.
 *
 * Runs in its own process (`node test/bench/single-sql-server.js`, with DATABASE_URL, PORT and
 * BENCH_SQL; it prints `listening <port>`) or inline (`start`), as the smoke test does.
 */
const http = require('node:http');
const { Pool } = require('pg');

function start(databaseUrl, statements, port = 0) {
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', async () => {
      try {
        const { op, params } = JSON.parse(body);
        const sql = statements[op];
        if (!sql) throw new Error(`unknown operation ${op}`);
        const result = await pool.query(sql, params ?? []);
        const json = result.rows[0].data;
        res.writeHead(200, { 'content-type': 'application/json', 'x-sql-statements': '1' });
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
    stop: () => new Promise((done) => { server.closeAllConnections(); server.close(() => pool.end().then(done)); }),
  })));
}

module.exports = { start };

if (require.main === module) {
  start(process.env.DATABASE_URL, JSON.parse(process.env.BENCH_SQL), Number(process.env.PORT || 0)).then(({ port }) => {
    process.stdout.write(`listening ${port}\n`);
  });
}
