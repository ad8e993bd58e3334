/**
 * The benchmark's comparison: PostGraphile 5 on the same database and rows, as a team would
 * run it instead of writing an API: its amber preset on the `public` schema of our tables,
 * connected as the database's owner, no authorization (no roles, no JWT, no row-level
 * security settings: the owner bypasses them), no access log. GraphQL over POST /graphql on
 * loopback; GraphiQL, watch mode and EXPLAIN off, Grafast in production mode; a pool of 10
 * connections as the other servers. `GET /statements` answers how many SQL statements it has
 * sent so far, for the statements of one request.
 *
 * Runs in its own process (`node test/bench/postgraphile-server.js`, with DATABASE_URL and PORT;
 * it prints `listening <port>`) or inline (`start`), as the smoke test does.
 */
const http = require('node:http');
const { Pool } = require('pg');

/**
 * PostGraphile 5 declares Node >= 22; the project runs on >= 20.19. The one Node 22 API its
 * packages call is `Promise.withResolvers` (Grafast's and @dataplan/pg's batching): without it
 * every query answers null with an error. Given here, only where Node lacks it, before they load.
 */
function promiseWithResolversWhereMissing() {
  if (typeof Promise.withResolvers === 'function') return;
  Promise.withResolvers = function withResolvers() {
    let resolve;
    let reject;
    const promise = new this((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
}

async function start(databaseUrl, port = 0) {
  promiseWithResolversWhereMissing();
  // Production mode is what is measured; set, Grafast does not warn that it is unset.
  process.env.GRAPHILE_ENV ??= 'production';
  // PostGraphile 5 ships CommonJS; loaded here so that requiring this file costs nothing.
  const { postgraphile } = require('postgraphile');
  const { PostGraphileAmberPreset } = require('postgraphile/presets/amber');
  const { makePgService } = require('postgraphile/adaptors/pg');
  const { grafserv } = require('postgraphile/grafserv/node');
  const pool = new Pool({ connectionString: databaseUrl, max: 10 });
  let statements = 0;
  pool.on('connect', (client) => {
    const query = client.query;
    client.query = function countedQuery(...args) {
      statements++;
      return query.apply(this, args);
    };
  });
  const pgl = postgraphile({
    extends: [PostGraphileAmberPreset],
    // As PostGraphile 4 did by default (`ignoreIndexes`): relations and columns are exposed whether
    // or not an index starts with their columns. Our tables reference a trajectory by
    // (partnership_id, trajectory_id), indexed on trajectory_id first, so without this a
    // trajectory's events, goals and notes would not be reachable from it.
    disablePlugins: ['PgIndexBehaviorsPlugin'],
    pgServices: [makePgService({ pool, schemas: ['public'], pubsub: false })],
    grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
    grafast: { explain: false },
  });
  const serv = pgl.createServ(grafserv);
  // Grafserv's plain request handler (no websockets: nothing here subscribes), behind ours.
  const graphql = serv.createHandler();
  const server = http.createServer((req, res) => {
    if (req.method === 'GET' && req.url === '/statements') {
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end(String(statements));
      return;
    }
    graphql(req, res);
  });
  server.keepAliveTimeout = 60_000;
  // The schema is built from the database's introspection before the first request is timed.
  await pgl.getSchema();
  await new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    stop: () => new Promise((done) => {
      server.closeAllConnections();
      // The instance releases its Grafserv; the pool is ours to end.
      server.close(() => pgl.release().then(() => pool.end()).then(done));
    }),
  };
}

module.exports = { start };

if (require.main === module) {
  start(process.env.DATABASE_URL, Number(process.env.PORT || 0)).then(({ port }) => {
    process.stdout.write(`listening ${port}\n`);
  });
}
