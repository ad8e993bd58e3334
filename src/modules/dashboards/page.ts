/**
 * The reference dashboard page (`/dashboard`): one hand-written HTML, JS and CSS file in
 * ./page/ and Chart.js's UMD build from node_modules, served by the API itself so the page
 * works offline and needs no build step. The page talks to `POST /graphql` like any client,
 * with a bearer token; it holds no data of its own.
 *
 * Why it looks like this:
 * - The files are read from `<repository>/src/modules/dashboards/page`, found by walking up to
 *   package.json (../../paths.ts): tsc does not copy .html/.js/.css to dist/, and the same
 *   path then works from ts-jest (src/) and from `npm start` (dist/src/).
 * - A strict Content-Security-Policy: only same-origin scripts, styles and requests, no inline
 *   script or style, so a figure's name (from the database) can never run as code.
 * - Tokens: outside production the page can ask `POST /dashboard/dev-token` for a development
 *   token of a demo user (e-mail ending in @demo.toptrajecten.test only); in production that
 *   endpoint does not exist and the page takes a token from the URL fragment or a paste field.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { Request, Response, Router } from 'express';
import { mintDevelopmentToken } from '../../auth/authenticate';
import type { Config } from '../../config';
import { DEMO_DOMAIN, demoEmail } from '../../auth/demo-accounts';
import { PROJECT_ROOT } from '../../paths';

/** Where the page's own files live (not compiled: read as they are from the repository). */
export const PAGE_DIR = path.join(PROJECT_ROOT, 'src', 'modules', 'dashboards', 'page');

/** Chart.js's browser build (UMD: one file, a global `Chart`), next to the package's CommonJS entry. */
function chartJsFile(): string {
  return path.join(path.dirname(require.resolve('chart.js')), 'chart.umd.js');
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const DEMO_EMAIL = new RegExp(`^[a-z0-9][a-z0-9._-]{0,63}@${DEMO_DOMAIN.replace(/\./g, '\\.')}$`);
const WINDSTREKEN = ['noord', 'oost', 'zuid', 'west'];

/** The demo users the page's picker offers (any other demo e-mail works through the endpoint too). */
function demoUsers(): Array<{ email: string; label: string }> {
  const users = [
    { email: demoEmail('coordinator'), label: 'Coördinator Toptrajecten' },
    { email: demoEmail('analyst'), label: 'Analist samenwerkingsverband' },
    { email: demoEmail('privacy'), label: 'Functionaris gegevensbescherming' },
    { email: demoEmail('admin'), label: 'Beheerder' },
  ];
  for (const w of WINDSTREKEN) {
    const name = w[0].toUpperCase() + w.slice(1);
    users.push(
      { email: demoEmail(`advisor.${w}`), label: `Onderwijsadviseur ${name}` },
      { email: demoEmail(`scientist.${w}`), label: `Gedragswetenschapper Topteam ${name}` },
      { email: demoEmail(`teacher.${w}`), label: `Topdocent Topteam ${name}` },
      ...[1, 2, 3].map((n) => ({ email: demoEmail(`school${n}.${w}`), label: `Zorgcoördinator school ${n} ${name}` })),
      { email: demoEmail(`mentor1.${w}`), label: `Mentor school 1 ${name}` },
    );
  }
  return users;
}

/** The router behind `/dashboard`; mount it only when `config.dashboard.page` is on. */
export function dashboardPage(config: Config): Router {
  const production = config.nodeEnv === 'production';
  // Development tokens verify only where the API checks HS256 tokens: outside production,
  // with a secret and without an identity provider (whose keys would be tried instead).
  const devTokens = !production && Boolean(config.auth.jwtSecret) && !config.auth.jwksUrl;
  const assets: Record<string, { file: string; type: string }> = {
    'app.js': { file: path.join(PAGE_DIR, 'app.js'), type: 'text/javascript; charset=utf-8' },
    'app.css': { file: path.join(PAGE_DIR, 'app.css'), type: 'text/css; charset=utf-8' },
    'favicon.svg': { file: path.join(PAGE_DIR, 'favicon.svg'), type: 'image/svg+xml' },
    'chart.js': { file: chartJsFile(), type: 'text/javascript; charset=utf-8' },
  };
  const index = path.join(PAGE_DIR, 'index.html');
  // Fail at start, not on the first visit, when the files did not come along (e.g. an image
  // with dist/ only): the message says how to turn the page off.
  for (const file of [index, ...Object.values(assets).map((a) => a.file)]) {
    if (!fs.existsSync(file)) throw new Error(`The dashboard page needs ${file}; install it or set DASHBOARD_PAGE=false.`);
  }

  const router = express.Router();
  router.use((_req, res, next) => {
    res.set({
      'Content-Security-Policy': CONTENT_SECURITY_POLICY,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Cache-Control': 'no-cache',
    });
    next();
  });

  router.get('/', (_req, res) => {
    res.type('html').sendFile(index);
  });
  router.get('/assets/:name', (req: Request<{ name: string }>, res: Response) => {
    const asset = Object.hasOwn(assets, req.params.name) ? assets[req.params.name] : undefined;
    if (!asset) {
      res.status(404).json({ error: 'not found' });
      return;
    }
    res.set('Content-Type', asset.type).sendFile(asset.file);
  });
  // What the page needs to know before anyone signs in: how to get a token, and the settings
  // it draws with. Nothing here is secret: production lists no users.
  router.get('/settings.json', (_req, res) => {
    res.json({
      devTokens,
      demoUsers: devTokens ? demoUsers() : [],
      overflowThreshold: config.caseload.overflowThreshold,
    });
  });
  if (devTokens) {
    router.post('/dev-token', express.json({ limit: '1kb' }), async (req, res) => {
      const email = typeof req.body?.email === 'string' ? req.body.email.trim().toLowerCase() : '';
      if (!DEMO_EMAIL.test(email)) {
        res.status(400).json({ error: `Development tokens are only given for demo users (e-mail ending in @${DEMO_DOMAIN}).` });
        return;
      }
      res.set('Cache-Control', 'no-store').json({ token: await mintDevelopmentToken(config, email) });
    });
  }
  router.use((_req, res) => {
    res.status(404).json({ error: 'not found' });
  });
  // A body that is not JSON (or too large) gets a JSON answer too, not Express's HTML page.
  router.use((error: { status?: number; expose?: boolean; message?: string }, _req: Request, res: Response, _next: express.NextFunction) => {
    const status = typeof error.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    res.status(status).json({ error: status < 500 && error.expose ? error.message : 'request failed' });
  });
  return router;
}
