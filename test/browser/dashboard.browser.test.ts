/**
 * The reference dashboard page (`/dashboard`, src/modules/dashboards/page.ts) end to end: the
 * API serves it, headless Chromium (Debian's, /usr/bin/chromium) opens it, signs in as demo
 * users through the development-token endpoint, and every number the page shows is checked
 * against what the API answers to the same token; suppressed cells must read "onderdrukt",
 * never a number.
 *
 * Without /usr/bin/chromium the browser cases are skipped with a warning, except in CI
 * (`CI` set), where they fail: CI installs Chromium (.ci/run). `UPDATE_SCREENSHOT=1` writes the
 * coordinator's page to test/browser/dashboard.png; otherwise the screenshot goes to a temp file.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BrowserContext, chromium, Page } from 'playwright-core';
import { demoEmail, seedDemoData } from '../../src/demo/seed';
import { startTestApp, TestApp } from '../setup/app';

const CHROMIUM = '/usr/bin/chromium';
const TODAY = new Date('2026-03-16T10:00:00Z');
const DASHBOARD = fs.readFileSync(path.join(__dirname, '../operations/dashboard.graphql'), 'utf8');
const TOKEN_KEY = 'toptrajecten.dashboard.token';
const haveChromium = fs.existsSync(CHROMIUM);

interface Cell {
  measure: string;
  kind: string;
  category: string | null;
  bucket: string | null;
  scopeLevel: string;
  scopeId: string | null;
  scopeName: string;
  count: number | null;
  value: number | null;
  p90: number | null;
  n: number | null;
  norm: number | null;
  suppressed: boolean;
}
type Group = { protected: boolean; protectedMeasures: string[]; cells: Cell[] } | null;
interface Dashboard {
  bucket: string;
  breakdown: string;
  intake: Group;
  caseload: Group;
  timeliness: Group;
  results: Group;
  privacy: Group;
}
/** What the page says about one number it shows (data-testid="figure-value" or "suppressed-cell"). */
interface Shown {
  measure: string;
  category: string;
  bucket: string;
  scope: string;
  scopeName: string;
  field: string | null;
  raw: string | null;
  text: string;
}

const GROUPS = ['intake', 'caseload', 'timeliness', 'results', 'privacy'] as const;
/** The page's key of a cell (app.js: scopeKey and the data-* attributes). */
const scopeKey = (c: Cell) => (c.scopeLevel === 'ALL' || c.scopeLevel === 'NO_TEAM' ? c.scopeLevel : `${c.scopeLevel}:${c.scopeId}`);
const keyOf = (c: Cell) => [c.measure, c.category ?? '', c.bucket ?? '', scopeKey(c)].join('|');
const shownKey = (s: Shown) => [s.measure, s.category, s.bucket, s.scope].join('|');
const nl = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });

let app: TestApp;

beforeAll(async () => {
  app = await startTestApp({ now: TODAY, ownDatabase: true });
  await seedDemoData(app.dataSource, app.config, TODAY);
});
afterAll(() => app.stop());

describe('the page and its endpoints over HTTP', () => {
  test('GET /dashboard serves the page with a same-origin-only Content-Security-Policy; the assets come from the API itself', async () => {
    const page = await fetch(`${app.baseUrl}/dashboard`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("connect-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    const html = await page.text();
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/https?:\/\//); // nothing from another origin (a CDN)
    for (const asset of ['chart.js', 'app.js', 'app.css', 'favicon.svg']) {
      const response = await fetch(`${app.baseUrl}/dashboard/assets/${asset}`);
      expect([asset, response.status]).toEqual([asset, 200]);
    }
    expect(await (await fetch(`${app.baseUrl}/dashboard/assets/chart.js`)).text()).toContain('Chart.js v4');
    expect((await fetch(`${app.baseUrl}/dashboard/assets/..%2Fpage.ts`)).status).toBe(404);
  });

  test('outside production, POST /dashboard/dev-token gives a working token for a demo user and refuses anything else with a JSON 400', async () => {
    const ask = (body: unknown, contentType = 'application/json') =>
      fetch(`${app.baseUrl}/dashboard/dev-token`, { method: 'POST', headers: { 'content-type': contentType }, body: typeof body === 'string' ? body : JSON.stringify(body) });
    const ok = await ask({ email: demoEmail('coordinator') });
    expect(ok.status).toBe(200);
    const { token } = (await ok.json()) as { token: string };
    const me = await app.gql<{ me: { email: string } }>(`Bearer ${token}`, '{ me { email } }');
    expect(me.body.data?.me.email).toBe(demoEmail('coordinator'));
    for (const refused of [{ email: 'someone@example.org' }, { email: `x@evil.${'demo.toptrajecten.test'}.example` }, { email: 42 }, {}]) {
      const response = await ask(refused);
      expect([refused, response.status]).toEqual([refused, 400]);
      expect(await response.json()).toEqual({ error: expect.any(String) });
    }
    const malformed = await ask('{"email":', 'application/json');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: expect.any(String) });
    expect((await fetch(`${app.baseUrl}/dashboard/dev-token`)).status).toBe(404);
  });

  test('in production the page is off by default; with DASHBOARD_PAGE=true it is served without the dev-token endpoint', async () => {
    const production = { NODE_ENV: 'production', AUTH_JWKS_URL: 'https://login.example.org/jwks', AUTH_ISSUER: 'https://login.example.org', AUTH_AUDIENCE: 'toptrajecten', PSEUDONYM_KEY: 'a-pseudonym-key-for-tests', AUDIT_CHECKPOINT_KEY: 'an-audit-checkpoint-key-for-the-tests' };
    const off = await startTestApp({ env: production, now: TODAY });
    try {
      expect((await fetch(`${off.baseUrl}/dashboard`)).status).toBe(404);
    } finally {
      await off.stop();
    }
    const on = await startTestApp({ env: { ...production, DASHBOARD_PAGE: 'true' }, now: TODAY });
    try {
      expect((await fetch(`${on.baseUrl}/dashboard`)).status).toBe(200);
      expect(await (await fetch(`${on.baseUrl}/dashboard/settings.json`)).json()).toMatchObject({ devTokens: false, demoUsers: [] });
      const devToken = await fetch(`${on.baseUrl}/dashboard/dev-token`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: demoEmail('coordinator') }) });
      expect(devToken.status).toBe(404);
    } finally {
      await on.stop();
    }
  });

  test('DASHBOARD_PAGE=false: /dashboard answers 404', async () => {
    const off = await startTestApp({ env: { DASHBOARD_PAGE: 'false' }, now: TODAY });
    try {
      expect((await fetch(`${off.baseUrl}/dashboard`)).status).toBe(404);
      expect((await fetch(`${off.baseUrl}/dashboard/dev-token`, { method: 'POST' })).status).toBe(404);
    } finally {
      await off.stop();
    }
  });
});

if (!haveChromium && process.env.CI) {
  test('Chromium is installed for the browser test', () => {
    throw new Error(`${CHROMIUM} is missing: CI must install Chromium (apt-get install -y --no-install-recommends chromium; see .ci/run).`);
  });
} else if (!haveChromium) {
  console.warn(`Skipping the dashboard browser test: ${CHROMIUM} is missing. Install it with: apt-get install -y chromium`);
}

(haveChromium ? describe : describe.skip)('the page in headless Chromium', () => {
  let context: BrowserContext;
  let userDataDir: string;
  const problems: string[] = [];

  beforeAll(async () => {
    userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'toptrajecten-chromium-'));
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1280, height: 900 },
      locale: 'nl-NL',
      timezoneId: 'Europe/Amsterdam',
    });
  });
  afterAll(async () => {
    await context?.close();
    if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  });
  afterEach(() => {
    // (a) on every page: no console error, no uncaught exception, no failed or refused request.
    expect(problems).toEqual([]);
    problems.length = 0;
  });

  /** (a) Collects what must not happen on a page: console errors, uncaught exceptions, failed or refused requests. */
  function watch(page: Page): void {
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('requestfailed', (request) => problems.push(`request failed: ${request.url()} ${request.failure()?.errorText}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
  }

  /** Opens /dashboard in a new tab (its own sessionStorage) and signs in as `local` with the demo picker. */
  async function openAs(local: string): Promise<Page> {
    const page = await context.newPage();
    watch(page);
    await page.goto(`${app.baseUrl}/dashboard`);
    await page.locator('[data-testid=demo-user]').waitFor();
    await page.selectOption('[data-testid=demo-user]', demoEmail(local));
    await page.click('[data-testid=dev-sign-in]');
    await page.locator(`body[data-state=ready][data-user="${demoEmail(local)}"]`).waitFor();
    expect(await page.locator('[data-testid=message]').isVisible()).toBe(false); // no error, no partial answer
    return page;
  }

  /** The API's answer to the page's own token and filter. */
  async function apiDashboard(page: Page, filter: Record<string, string>): Promise<Dashboard> {
    // (Runs in the page: tsconfig has no DOM types, hence the cast.)
    const token = await page.evaluate((key) => (globalThis as unknown as { sessionStorage: { getItem(k: string): string | null } }).sessionStorage.getItem(key), TOKEN_KEY);
    expect(token).toBeTruthy();
    const response = await app.gql<{ dashboard: Dashboard }>(`Bearer ${token}`, DASHBOARD, { filter });
    expect(response.body.errors).toBeUndefined();
    return response.body.data!.dashboard;
  }

  async function shown(page: Page, testId: 'figure-value' | 'suppressed-cell'): Promise<Shown[]> {
    return page.locator(`[data-testid=${testId}]`).evaluateAll((nodes) =>
      nodes.map((node) => {
        const d = (node as unknown as { dataset: Record<string, string | undefined> }).dataset;
        return {
          measure: d.measure ?? '', category: d.category ?? '', bucket: d.bucket ?? '', scope: d.scope ?? '', scopeName: d.scopeName ?? '',
          field: d.field ?? null, raw: d.raw ?? null, text: (node.textContent ?? '').trim(),
        };
      }),
    );
  }

  /**
   * Every number on the page is the API's number for the same cell and field, formatted the
   * Dutch way, and no cell the API suppressed is shown as a number. Returns what was shown.
   */
  async function expectPageMatchesApi(page: Page, dashboard: Dashboard): Promise<Shown[]> {
    const cells = new Map<string, Cell>();
    for (const g of GROUPS) for (const cell of dashboard[g]?.cells ?? []) cells.set(keyOf(cell), cell);
    const numbers = await shown(page, 'figure-value');
    expect(numbers.length).toBeGreaterThan(0);
    for (const s of numbers) {
      const cell = cells.get(shownKey(s));
      expect([shownKey(s), cell?.suppressed]).toEqual([shownKey(s), false]);
      const value = cell![s.field as keyof Cell] as number;
      expect([shownKey(s), s.field, Number(s.raw)]).toEqual([shownKey(s), s.field, value]);
      expect(s.text.replace(/%$/, '')).toBe(nl.format(value));
    }
    const suppressed = await shown(page, 'suppressed-cell');
    for (const s of suppressed) {
      expect([shownKey(s), cells.get(shownKey(s))?.suppressed]).toEqual([shownKey(s), true]);
      expect(s.raw).toBeNull();
      expect(s.text).not.toMatch(/^\s*[\d.,]+\s*%?\s*$/);
    }
    return numbers;
  }

  test('(b, e) the programme coordinator sees the caseload per team against capacity and the funnel, with the API\'s numbers', async () => {
    const page = await openAs('coordinator');
    await expect(page.locator('[data-testid=user-name]').textContent()).resolves.toBeTruthy();
    await expect(page.locator('[data-testid=user-role]').textContent()).resolves.toContain('Coördinator Toptrajecten');
    for (const group of ['intake', 'caseload', 'timeliness', 'results']) await page.locator(`[data-testid=group-${group}]`).waitFor();
    expect(await page.locator('[data-testid=group-privacy]').count()).toBe(0);
    expect(await page.locator('[data-testid=panel-team-load] canvas').count()).toBe(1);
    expect(await page.locator('[data-testid=panel-funnel] canvas').count()).toBe(1);

    const dashboard = await apiDashboard(page, { bucket: 'QUARTER', breakdown: 'PARTNERSHIP' });
    const numbers = await expectPageMatchesApi(page, dashboard);
    // The cells the brief names: running trajectories per phase (whole scope, now), each team's
    // load and capacity, and the funnel's registrations.
    const running = dashboard.caseload!.cells.filter((c) => c.measure === 'RUNNING' && c.scopeLevel === 'ALL' && c.bucket === null);
    expect(running.length).toBeGreaterThan(3);
    await page.click('[data-testid=panel-running] summary'); // unfold the table under the chart
    for (const cell of running) {
      const element = page.locator(`[data-testid=panel-running] [data-testid=figure-value][data-measure=RUNNING][data-category="${cell.category}"][data-scope=ALL][data-bucket=""]`);
      await expect(element.isVisible()).resolves.toBe(true);
      await expect(element.textContent()).resolves.toBe(String(cell.count));
    }
    await page.click('[data-testid=panel-running] summary');
    const loads = dashboard.caseload!.cells.filter((c) => c.measure === 'TEAM_LOAD');
    expect(loads.length).toBe(4);
    for (const cell of loads) {
      const row = `[data-testid=panel-team-load] [data-measure=TEAM_LOAD][data-scope="${scopeKey(cell)}"]`;
      await expect(page.locator(`${row}[data-field=value]`).textContent()).resolves.toBe(nl.format(cell.value!));
      await expect(page.locator(`${row}[data-field=norm]`).textContent()).resolves.toBe(nl.format(cell.norm!));
    }
    expect(numbers.filter((s) => s.measure === 'REGISTRATIONS' && s.scope === 'ALL' && s.bucket === '').length).toBeGreaterThan(0);
    expect(await page.locator('[data-testid=panel-funnel] [data-measure=ADVICE_REQUESTS]').count()).toBeGreaterThan(0);

    // (e) the screenshot: committed only when asked for, so CI never dirties the tree.
    const target = process.env.UPDATE_SCREENSHOT === '1'
      ? path.join(__dirname, 'dashboard.png')
      : path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'toptrajecten-screenshot-')), 'dashboard.png');
    await page.screenshot({ path: target, fullPage: true });
    expect(fs.statSync(target).size).toBeGreaterThan(10_000);
    await page.close();
  });

  test('(c) a school coordinator sees that school\'s figures (also per school) and no privacy group', async () => {
    const page = await openAs('school1.noord');
    const me = await app.gql<{ me: { memberships: Array<{ school: { id: string; name: string } }> } }>(demoEmail('school1.noord'), '{ me { memberships { school { id name } } } }');
    const school = me.body.data!.me.memberships[0].school;
    await expect(page.locator('[data-testid=user-role]').textContent()).resolves.toContain(school.name);
    await page.locator('[data-testid=group-caseload]').waitFor();
    expect(await page.locator('[data-testid=group-privacy]').count()).toBe(0);
    await expectPageMatchesApi(page, await apiDashboard(page, { bucket: 'QUARTER', breakdown: 'PARTNERSHIP' }));

    await page.selectOption('[data-testid=breakdown]', 'SCHOOL');
    await page.locator('body[data-state=ready][data-breakdown=SCHOOL]').waitFor();
    const numbers = await expectPageMatchesApi(page, await apiDashboard(page, { bucket: 'QUARTER', breakdown: 'SCHOOL' }));
    const ofSchool = numbers.filter((s) => s.scope === `SCHOOL:${school.id}`);
    expect(ofSchool.length).toBeGreaterThan(0);
    expect(new Set(ofSchool.map((s) => s.scopeName))).toEqual(new Set([school.name]));
    // Only that school: no other school's cell is on the page.
    expect(numbers.filter((s) => s.scope.startsWith('SCHOOL:') && s.scope !== `SCHOOL:${school.id}`)).toEqual([]);
    await page.close();
  });

  test('(d) the analyst sees the protection banner and suppressed cells as "onderdrukt", never as a number', async () => {
    const page = await openAs('analyst');
    const banners = page.locator('[data-testid=protected-banner]');
    expect(await banners.count()).toBeGreaterThan(0);
    await expect(banners.first().textContent()).resolves.toContain('Kleine aantallen (1–5) onderdrukt');
    const dashboard = await apiDashboard(page, { bucket: 'QUARTER', breakdown: 'PARTNERSHIP' });
    await expectPageMatchesApi(page, dashboard);
    const suppressed = await shown(page, 'suppressed-cell');
    expect(suppressed.length).toBeGreaterThan(0);
    // Table cells and tiles say so in words.
    const inTables = suppressed.filter((s) => s.text.startsWith('onderdrukt'));
    expect(inTables.length).toBeGreaterThan(0);
    // A suppressed cell of the whole scope now: RUNNING per phase has one for the analyst.
    const runningSuppressed = dashboard.caseload!.cells.filter((c) => c.measure === 'RUNNING' && c.scopeLevel === 'ALL' && c.suppressed);
    expect(runningSuppressed.length).toBeGreaterThan(0);
    for (const cell of runningSuppressed) {
      // In the list under the chart (the bar is left out) and in the table: never a number.
      const elements = page.locator(`[data-testid=panel-running] [data-measure=RUNNING][data-category="${cell.category}"][data-scope=ALL][data-bucket=""]`);
      expect(await elements.count()).toBe(2);
      expect(await elements.evaluateAll((nodes) => nodes.map((n) => (n as unknown as { dataset: { testid: string } }).dataset.testid))).toEqual(['suppressed-cell', 'suppressed-cell']);
      await expect(page.locator(`[data-testid=panel-running] [data-testid=suppressed-list] [data-category="${cell.category}"]`).isVisible()).resolves.toBe(true);
      await expect(page.locator(`[data-testid=panel-running] td[data-category="${cell.category}"][data-scope=ALL]`).textContent()).resolves.toBe('onderdrukt');
    }
    await page.close();
  });

  test('a token in the URL fragment (#token=…) signs in and leaves the address bar; the privacy officer sees only the privacy group', async () => {
    const page = await context.newPage();
    watch(page);
    await page.goto(`${app.baseUrl}/dashboard#token=${await app.token(demoEmail('privacy'))}`);
    await page.locator(`body[data-state=ready][data-user="${demoEmail('privacy')}"]`).waitFor();
    expect(page.url()).toBe(`${app.baseUrl}/dashboard`);
    await page.locator('[data-testid=group-privacy]').waitFor();
    for (const group of ['intake', 'caseload', 'timeliness', 'results']) expect(await page.locator(`[data-testid=group-${group}]`).count()).toBe(0);
    await expectPageMatchesApi(page, await apiDashboard(page, { bucket: 'QUARTER', breakdown: 'PARTNERSHIP' }));
    expect(await page.locator('[data-testid=panel-consents] [data-measure=CONSENTS]').count()).toBeGreaterThan(0);
    await page.close();
  });
});
