/*
 * The reference dashboard page of the Toptrajecten API: plain browser JavaScript, no build
 * step, no framework. It asks `POST /graphql` for `me` and `dashboard(filter)` with a bearer
 * token and draws the figure groups the caller's role has (a group is null otherwise).
 *
 * Rules it keeps:
 * - A suppressed cell (`suppressed: true`, numbers null) is never drawn as a number or as 0:
 *   charts leave its bar out and put a marker (legend "onderdrukt (1–k)") in its place, tables
 *   and tiles say "onderdrukt". Every rendered suppressed cell has data-testid="suppressed-cell".
 * - A cell the API did not send at all (nothing counted) is shown as "–", not as 0.
 * - Every number shown in a table or tile is one field of one cell: data-testid="figure-value"
 *   with data-measure, data-category, data-scope, data-bucket and data-field say which.
 * - Text from the API goes into the page as text (textContent), never as HTML.
 * - The token lives in sessionStorage only (this tab); a `#token=` fragment is read once and
 *   removed from the address bar.
 */
'use strict';

(() => {
  const TOKEN_KEY = 'toptrajecten.dashboard.token';

  const QUERY = `
    query DashboardPage($filter: DashboardFilter) {
      partnership { name }
      me { name email memberships { role teamFunction school { name } windstreek { name } topteam { name } } }
      dashboard(filter: $filter) {
        from until today bucket breakdown smallCountThreshold
        intake { ...Group } caseload { ...Group } timeliness { ...Group } results { ...Group } privacy { ...Group }
      }
    }
    fragment Group on FigureGroup {
      measures protected protectedMeasures
      cells { measure kind category bucket bucketStart scopeLevel scopeId scopeName count value p90 n norm suppressed }
    }`;

  // ---- Dutch labels -------------------------------------------------------------------------

  const MEASURE_LABELS = {
    ADVICE_REQUESTS: 'Adviesvragen', PRE_CONSULTATIONS: 'Vooroverleggen', REGISTRATIONS: 'Aanmeldingen',
    REGISTRATIONS_INFO_REQUESTED: 'waarvan info gevraagd', REFUSALS: 'Afwijzingen per reden',
    RUNNING: 'Lopend', RUNNING_AT_MONTH_END: 'Lopend aan het eind van de periode', WAITING_FOR_TEAM: 'Wachtend op een team',
    ASSIGNED: 'Toegewezen aan een team', CROSS_WINDSTREEK: 'Windstreekoverstijgend', CROSS_WINDSTREEK_SHARE: 'Aandeel windstreekoverstijgend',
    TEAM_LOAD: 'Belasting', OVERDUE: 'Over tijd', PAST_LIMIT: 'Intensieve fase voorbij de grens',
    FOLLOW_UPS_DUE: 'Follow-ups verwacht', FOLLOW_UPS_OVERDUE: 'Follow-ups te laat',
    DURATION_REGISTRATION_TO_DECISION: 'Aanmelding → besluit', DURATION_DECISION_TO_START: 'Besluit → start',
    DURATION_ASSESSMENT: 'Onderzoeksfase', DURATION_INTENSIVE: 'Intensieve fase', DURATION_CONSOLIDATION: 'Borgingsfase',
    ENDED: 'Beëindigd', FOLLOW_UPS_RECORDED: 'Follow-ups vastgelegd', STILL_IN_EDUCATION: 'Nog op school',
    AT_EXPECTED_LEVEL: 'Op verwacht uitstroomniveau', DIPLOMA_EXPECTED: 'Diploma verwacht',
    STILL_IN_EDUCATION_SHARE: 'Nog op school', AT_EXPECTED_LEVEL_SHARE: 'Op verwacht niveau', DIPLOMA_EXPECTED_SHARE: 'Diploma verwacht',
    EXIT_QUESTIONNAIRES: 'Exit-vragenlijsten', EXIT_SCORE: 'Tevredenheid (1–5)', ESCALATIONS_OPENED: 'Escalaties',
    ESCALATIONS_RESOLVED: 'Escalaties opgelost', COMPLAINTS_RECEIVED: 'Klachten', COMPLAINTS_RESOLVED: 'Klachten afgehandeld',
    CONSENTS: 'Toestemmingen', CONSENTS_GIVEN: 'Toestemmingen gegeven', CONSENTS_WITHDRAWN: 'Toestemmingen ingetrokken',
    LACKING_CONSENT: 'Lopend zonder geldige toestemming', DATA_SUBJECT_REQUESTS_RECEIVED: 'AVG-verzoeken ontvangen',
    DATA_SUBJECT_REQUESTS_OPEN: 'AVG-verzoeken open', DATA_SUBJECT_REQUESTS_OVERDUE: 'AVG-verzoeken over de termijn',
    ACCESS_LOG_ENTRIES: 'Regels in het toegangslog',
  };

  const CATEGORY_LABELS = {
    REQUESTED: 'Aangemeld', IN_REVIEW: 'In beoordeling', INFO_REQUESTED: 'Info gevraagd', ACCEPTED: 'Geaccepteerd',
    ASSESSMENT: 'Onderzoek', INTENSIVE: 'Intensief', CONSOLIDATION: 'Borging', COMPLETED: 'Afgerond',
    CLOSED: 'Afgesloten na onderzoek', CANCELLED: 'Geannuleerd', REFUSED: 'Afgewezen', PENDING: 'In behandeling',
    WITHDRAWN: 'Ingetrokken', ADVICE_SUFFICIENT: 'Advies volstond', GO_TO_PRE_CONSULTATION: 'Naar vooroverleg',
    OTHER_SUPPORT: 'Ander aanbod', TOPTRAJECT: 'Toptraject', OPEN: 'Open', THREE_MONTHS: 'na 3 maanden',
    TWELVE_MONTHS: 'na 12 maanden', STUDENT: 'Leerling', PARENTS: 'Ouders', SCHOOL: 'School',
    LEVEL_1: 'Niveau 1', LEVEL_2: 'Niveau 2', LEVEL_3: 'Niveau 3', LEVEL_4: 'Niveau 4',
    CARE_BY_TOPTEAM: 'Zorg door Topteam', SHARE_WITH_PARTNERSHIP: 'Delen met swv', SHARE_WITH_EXTERNAL_PARTNER: 'Delen met externe partner',
    VALID: 'Geldig', NEEDS_RECONFIRMATION: 'Herbevestigen', EXPIRED: 'Verlopen',
    ACCESS: 'Inzage', RECTIFICATION: 'Rectificatie', ERASURE: 'Verwijdering', OBJECTION: 'Bezwaar',
    CONSENT: 'toestemming', LEGAL_TASK: 'wettelijke taak', NONE: 'geen', DENIED: 'geweigerd',
    ADMIN: 'Beheerder', EDUCATION_ADVISOR: 'Onderwijsadviseur', MENTOR: 'Mentor', PARTNERSHIP_ANALYST: 'Analist',
    PRIVACY_OFFICER: 'FG', PROGRAMME_COORDINATOR: 'Coördinator', SCHOOL_COORDINATOR: 'Zorgcoördinator', TEAM_MEMBER: 'Topteamlid',
  };

  const ROLE_LABELS = {
    ADMIN: 'Beheerder', EDUCATION_ADVISOR: 'Onderwijsadviseur', MENTOR: 'Mentor', PARTNERSHIP_ANALYST: 'Analist samenwerkingsverband',
    PRIVACY_OFFICER: 'Functionaris gegevensbescherming', PROGRAMME_COORDINATOR: 'Coördinator Toptrajecten',
    SCHOOL_COORDINATOR: 'Zorgcoördinator', TEAM_MEMBER: 'Topteamlid',
  };
  const FUNCTION_LABELS = { BEHAVIOURAL_SCIENTIST: 'Gedragswetenschapper', CARE_WORKER: 'Ambulant hulpverlener', TEACHER: 'Topdocent' };
  const BUCKET_LABELS = { MONTH: 'per maand', QUARTER: 'per kwartaal', SCHOOL_YEAR: 'per schooljaar' };
  const BREAKDOWN_LABELS = { PARTNERSHIP: 'totaal', WINDSTREEK: 'per windstreek', SCHOOL: 'per school', TEAM: 'per Topteam' };

  /** The order categories are shown in (the workflow's order); others follow alphabetically. */
  const CATEGORY_ORDER = [
    'REQUESTED', 'IN_REVIEW', 'INFO_REQUESTED', 'ACCEPTED', 'ASSESSMENT', 'INTENSIVE', 'CONSOLIDATION', 'COMPLETED', 'CLOSED',
    'CANCELLED', 'REFUSED', 'PENDING', 'ADVICE_SUFFICIENT', 'GO_TO_PRE_CONSULTATION', 'OTHER_SUPPORT', 'TOPTRAJECT', 'OPEN',
    'THREE_MONTHS', 'TWELVE_MONTHS', 'STUDENT', 'PARENTS', 'SCHOOL', 'LEVEL_1', 'LEVEL_2', 'LEVEL_3', 'LEVEL_4',
    'CARE_BY_TOPTEAM', 'SHARE_WITH_PARTNERSHIP', 'SHARE_WITH_EXTERNAL_PARTNER', 'VALID', 'NEEDS_RECONFIRMATION', 'EXPIRED',
    'WITHDRAWN', 'ACCESS', 'RECTIFICATION', 'ERASURE', 'OBJECTION',
  ];
  const CATEGORY_COLORS = {
    REQUESTED: '#9db7d5', IN_REVIEW: '#6f97c6', INFO_REQUESTED: '#b6a1d6', ACCEPTED: '#3a9a5b', ASSESSMENT: '#2f6db5',
    INTENSIVE: '#e08a2c', CONSOLIDATION: '#7b5ea7', COMPLETED: '#3a9a5b', CLOSED: '#2aa1a8', CANCELLED: '#9aa5b1',
    REFUSED: '#c2452d', PENDING: '#d4b02a', WITHDRAWN: '#9aa5b1', ADVICE_SUFFICIENT: '#2aa1a8', GO_TO_PRE_CONSULTATION: '#6f97c6',
    OTHER_SUPPORT: '#b5527f', TOPTRAJECT: '#2f6db5', OPEN: '#d4b02a', VALID: '#3a9a5b', NEEDS_RECONFIRMATION: '#e08a2c',
    EXPIRED: '#9aa5b1', THREE_MONTHS: '#2f6db5', TWELVE_MONTHS: '#e08a2c',
  };
  const PALETTE = ['#2f6db5', '#e08a2c', '#3a9a5b', '#c2452d', '#7b5ea7', '#2aa1a8', '#b5527f', '#8c7a3f', '#5c6b7a', '#d4b02a', '#6f97c6', '#9c3d54', '#4f9d8f', '#a8743a'];
  const SUPPRESSED_COLOR = '#5a5f66';
  const ACCENT = '#2f6db5';

  // ---- Small helpers -----------------------------------------------------------------------

  const $ = (id) => document.getElementById(id);
  const NUMBER = new Intl.NumberFormat('nl-NL', { maximumFractionDigits: 1 });
  const DATE = new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
  const fmt = (value) => NUMBER.format(value);
  const fmtDate = (day) => DATE.format(new Date(`${day}T00:00:00Z`));

  /** An element with attributes (`text` sets textContent, `class` the class) and children. */
  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs)) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'text') node.textContent = String(value);
      else if (name === 'class') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    }
    for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) node.append(child);
    return node;
  }

  const measureLabel = (measure) => MEASURE_LABELS[measure] || measure;
  const categoryLabel = (category) =>
    category === null ? '' : category.split('/').map((part) => CATEGORY_LABELS[part] || part).join(' / ');
  const rank = (part) => {
    const i = CATEGORY_ORDER.indexOf(part);
    return i < 0 ? CATEGORY_ORDER.length : i;
  };
  function compareCategories(a, b) {
    if (a === b) return 0;
    if (a === null) return -1;
    if (b === null) return 1;
    const [pa, pb] = [a.split('/'), b.split('/')];
    for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
      const [x, y] = [pa[i] || '', pb[i] || ''];
      if (x !== y) return rank(x) - rank(y) || x.localeCompare(y);
    }
    return 0;
  }
  const colorOf = (category, i) => CATEGORY_COLORS[category] || PALETTE[i % PALETTE.length];

  /** A cell's scope as one string: ALL, NO_TEAM or LEVEL:id. */
  const scopeKey = (cell) => (cell.scopeLevel === 'ALL' || cell.scopeLevel === 'NO_TEAM' ? cell.scopeLevel : `${cell.scopeLevel}:${cell.scopeId}`);
  const cellKey = (category, bucket, scope) => `${category ?? ''}|${bucket ?? ''}|${scope}`;
  const LEVEL_ORDER = { ALL: 0, WINDSTREEK: 1, SCHOOL: 2, TEAM: 3, NO_TEAM: 4 };

  // ---- State -------------------------------------------------------------------------------

  const state = { settings: null, token: null, charts: [], k: 5, request: 0 };

  function setBodyState(name, extra = {}) {
    document.body.dataset.state = name;
    for (const [key, value] of Object.entries(extra)) document.body.dataset[key] = value;
  }

  function showMessage(text, kind = 'error') {
    const box = $('message');
    box.textContent = text;
    box.className = `message ${kind === 'info' ? 'info' : ''}`;
    box.hidden = !text;
  }

  function readToken() {
    // A token in the fragment (#token=…) never reaches a server log; take it and clear the address bar.
    const fragment = new URLSearchParams(window.location.hash.slice(1));
    const fromFragment = fragment.get('token');
    if (fromFragment) {
      sessionStorage.setItem(TOKEN_KEY, fromFragment.trim());
      history.replaceState(null, '', window.location.pathname + window.location.search);
    }
    return sessionStorage.getItem(TOKEN_KEY);
  }

  function setToken(token) {
    state.token = token;
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
  }

  function destroyCharts() {
    for (const chart of state.charts) chart.destroy();
    state.charts = [];
  }

  // ---- Sign-in -----------------------------------------------------------------------------

  function showSignIn(reason) {
    destroyCharts();
    $('groups').replaceChildren();
    $('who').hidden = true;
    $('controls').hidden = true;
    $('legend').hidden = true;
    $('sign-in').hidden = false;
    showMessage(reason || '', 'info');
    setBodyState('signed-out', { user: '' });
  }

  function setUpSignIn() {
    const { devTokens, demoUsers } = state.settings;
    if (devTokens && demoUsers.length) {
      const select = $('demo-user');
      select.replaceChildren(...demoUsers.map((u) => el('option', { value: u.email, text: `${u.label} — ${u.email}` })));
      $('dev-form').hidden = false;
      $('dev-form').addEventListener('submit', async (event) => {
        event.preventDefault();
        showMessage('');
        try {
          const response = await fetch('/dashboard/dev-token', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ email: select.value }),
          });
          const body = await response.json();
          if (!response.ok || !body.token) throw new Error(body.error || `HTTP ${response.status}`);
          setToken(body.token);
          await load();
        } catch (error) {
          showMessage(`Geen token gekregen: ${error.message}`);
        }
      });
    }
    $('token-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const token = $('token-input').value.trim();
      $('token-input').value = '';
      if (!token) return;
      setToken(token);
      void load();
    });
    $('sign-out').addEventListener('click', () => {
      setToken(null);
      showSignIn('');
    });
  }

  // ---- Loading -----------------------------------------------------------------------------

  function currentFilter() {
    const filter = { bucket: $('bucket').value, breakdown: $('breakdown').value };
    if ($('from').value) filter.from = $('from').value;
    if ($('until').value) filter.until = $('until').value;
    return filter;
  }

  async function load() {
    const request = ++state.request;
    $('sign-in').hidden = true;
    $('status').textContent = 'Laden…';
    setBodyState('loading');
    let status = 0;
    let body = null;
    try {
      const response = await fetch('/graphql', {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${state.token}` },
        body: JSON.stringify({ query: QUERY, variables: { filter: currentFilter() } }),
      });
      status = response.status;
      body = await response.json().catch(() => null);
    } catch (error) {
      if (request !== state.request) return;
      $('status').textContent = '';
      showMessage(`De API is niet bereikbaar: ${error.message}`);
      setBodyState('error');
      return;
    }
    if (request !== state.request) return; // a newer request is under way
    $('status').textContent = '';
    const errors = (body && body.errors) || [];
    if (status === 401 || errors.some((e) => e.extensions && e.extensions.code === 'UNAUTHENTICATED')) {
      setToken(null);
      showSignIn('Het token is ongeldig of verlopen; log opnieuw in.');
      return;
    }
    const data = body && body.data;
    if (!data || !data.dashboard) {
      $('controls').hidden = false;
      showMessage(`De cijfers konden niet worden geladen: ${errors.map((e) => e.message).join(' ') || `HTTP ${status}`}`);
      setBodyState('error');
      return;
    }
    showMessage(errors.length ? `Niet alles kon worden geladen: ${errors.map((e) => e.message).join(' ')}` : '');
    render(data);
    setBodyState('ready', { user: data.me ? data.me.email : '', bucket: data.dashboard.bucket, breakdown: data.dashboard.breakdown });
  }

  // ---- Rendering: page frame ---------------------------------------------------------------

  function describeUser(me) {
    if (!me) return { name: '', role: '' };
    const roles = me.memberships.map((m) => {
      const role = m.teamFunction ? FUNCTION_LABELS[m.teamFunction] || ROLE_LABELS[m.role] : ROLE_LABELS[m.role] || m.role;
      const scope = (m.school && m.school.name) || (m.topteam && m.topteam.name) || (m.windstreek && `windstreek ${m.windstreek.name}`);
      return scope ? `${role}, ${scope}` : role;
    });
    return { name: me.name, role: roles.join(' · ') };
  }

  function render(data) {
    const { me, dashboard } = data;
    destroyCharts();
    state.k = dashboard.smallCountThreshold;
    const who = describeUser(me);
    $('partnership').textContent = (data.partnership && data.partnership.name) || '';
    $('user-name').textContent = who.name;
    $('user-role').textContent = who.role;
    $('who').hidden = false;
    $('controls').hidden = false;
    $('legend').hidden = false;
    $('legend-k').textContent = String(state.k);
    $('bucket').value = dashboard.bucket;
    $('breakdown').value = dashboard.breakdown;
    $('from').max = dashboard.today;
    $('until').max = dashboard.today;
    $('period').replaceChildren(
      'Periode ', el('strong', { text: `${fmtDate(dashboard.from)} – ${fmtDate(dashboard.until)}` }),
      ` · ${BUCKET_LABELS[dashboard.bucket]} · ${BREAKDOWN_LABELS[dashboard.breakdown]} · stand van nu: `,
      el('strong', { text: fmtDate(dashboard.today) }),
    );

    const jobs = [];
    const sections = [];
    for (const spec of GROUPS) {
      const group = dashboard[spec.key];
      if (!group) continue;
      sections.push(renderGroup(spec, group, dashboard, jobs));
    }
    if (!sections.length) {
      sections.push(el('section', { class: 'card sign-in', 'data-testid': 'no-groups' },
        el('h2', { text: 'Geen cijfers voor uw rol' }),
        el('p', { class: 'hint', text: 'Uw rol heeft geen cijfers op het dashboard.' })));
    }
    $('groups').replaceChildren(...sections);
    // Charts size themselves to their container, so they are drawn once the page holds them.
    if (window.Chart) {
      for (const [container, config] of jobs) {
        const canvas = el('canvas', { role: 'img', 'aria-label': config.ariaLabel || '' });
        container.append(canvas);
        state.charts.push(new window.Chart(canvas, config));
      }
    } else if (jobs.length) {
      showMessage('De grafiekbibliotheek kon niet worden geladen; de tabellen tonen de cijfers.');
    }
  }

  // ---- Rendering: groups and panels --------------------------------------------------------

  /**
   * What each group shows. `tiles` are key numbers in a strip above the charts; measures no
   * panel names end up in the group's "overige cijfers", so nothing the API sends is hidden.
   */
  const GROUPS = [
    {
      key: 'caseload', title: 'Caseload', sub: 'lopende trajecten en de belasting van de Topteams',
      tiles: ['WAITING_FOR_TEAM', 'ASSIGNED', 'CROSS_WINDSTREEK', 'CROSS_WINDSTREEK_SHARE'],
      panels: [
        { type: 'load', id: 'team-load', title: 'Belasting per Topteam', note: 'Gewogen lopende trajecten tegen de capaciteit (nu)', measure: 'TEAM_LOAD' },
        { type: 'byCategory', id: 'running', title: 'Lopende trajecten per fase', note: 'Stand van nu', measure: 'RUNNING' },
        { type: 'series', id: 'running-over-time', title: 'Lopend per fase door de tijd', note: 'Aan het eind van elke periode', measure: 'RUNNING_AT_MONTH_END', totalLabel: 'Nu' },
      ],
    },
    {
      key: 'intake', title: 'Instroom', sub: 'adviesvragen, vooroverleg en aanmeldingen',
      panels: [
        { type: 'funnel', id: 'funnel', title: 'Trechter', note: 'Hele periode, per uitkomst', size: 'wide', measures: ['ADVICE_REQUESTS', 'PRE_CONSULTATIONS', 'REGISTRATIONS'], extra: ['REGISTRATIONS_INFO_REQUESTED'] },
        { type: 'series', id: 'registrations', title: 'Aanmeldingen per uitkomst', note: 'Per periode van aanmelding', measure: 'REGISTRATIONS', totalLabel: 'Hele periode' },
        { type: 'byCategory', id: 'registrations-by-scope', title: 'Aanmeldingen per uitkomst, uitgesplitst', note: 'Hele periode', measure: 'REGISTRATIONS', onlyWithBreakdown: true, size: 'full' },
        { type: 'series', id: 'refusals', title: 'Afwijzingen per reden', note: 'Per periode van aanmelding', measure: 'REFUSALS', totalLabel: 'Hele periode' },
      ],
    },
    {
      key: 'timeliness', title: 'Tijdigheid', sub: 'over tijd en doorlooptijden tegen de normen van het handboek',
      tiles: ['PAST_LIMIT', 'FOLLOW_UPS_OVERDUE', 'FOLLOW_UPS_DUE'],
      panels: [
        { type: 'byCategory', id: 'overdue', title: 'Over tijd per fase', note: 'Lopend, voorbij de termijn van de fase (nu)', measure: 'OVERDUE' },
        { type: 'durations', id: 'durations', title: 'Doorlooptijden in dagen', note: 'Mediaan en 90e percentiel over de periode; rode streep: norm van het handboek', size: 'wide', measures: ['DURATION_REGISTRATION_TO_DECISION', 'DURATION_DECISION_TO_START', 'DURATION_ASSESSMENT', 'DURATION_INTENSIVE', 'DURATION_CONSOLIDATION'] },
      ],
    },
    {
      key: 'results', title: 'Resultaten', sub: 'afloop, follow-up en tevredenheid',
      panels: [
        { type: 'series', id: 'ended', title: 'Beëindigde trajecten per eindfase', note: 'Per periode van beëindiging', measure: 'ENDED', totalLabel: 'Hele periode' },
        { type: 'multi', id: 'follow-up-shares', title: 'Follow-up: uitkomsten', note: 'Aandeel van de vastgelegde follow-ups, hele periode', measures: ['STILL_IN_EDUCATION_SHARE', 'AT_EXPECTED_LEVEL_SHARE', 'DIPLOMA_EXPECTED_SHARE'], max: 100, unit: '%' },
        { type: 'byCategory', id: 'exit-score', title: 'Tevredenheid exit-vragenlijst', note: 'Gemiddelde score (1–5) per partij, hele periode', measure: 'EXIT_SCORE', max: 5 },
      ],
    },
    {
      key: 'privacy', title: 'Privacy', sub: 'toestemmingen, AVG-verzoeken en het toegangslog',
      tiles: ['DATA_SUBJECT_REQUESTS_OPEN', 'DATA_SUBJECT_REQUESTS_OVERDUE'],
      panels: [
        { type: 'split', id: 'consents', title: 'Toestemmingen per doel en status', note: 'Stand van nu', measure: 'CONSENTS' },
        { type: 'byCategory', id: 'lacking-consent', title: 'Lopend zonder geldige toestemming', note: 'Per doel (nu)', measure: 'LACKING_CONSENT' },
        { type: 'series', id: 'access-log', title: 'Toegangslog per rol en grondslag', note: 'Per periode', measure: 'ACCESS_LOG_ENTRIES', totalLabel: 'Hele periode' },
      ],
    },
  ];

  /** The cells of one group, by measure, with lookups by category, bucket and scope. */
  function groupView(group) {
    const byMeasure = new Map();
    for (const cell of group.cells) {
      if (!byMeasure.has(cell.measure)) byMeasure.set(cell.measure, { cells: [], index: new Map() });
      const entry = byMeasure.get(cell.measure);
      entry.cells.push(cell);
      entry.index.set(cellKey(cell.category, cell.bucket, scopeKey(cell)), cell);
    }
    const empty = { cells: [], index: new Map() };
    return {
      measures: [...byMeasure.keys()],
      cells: (measure) => (byMeasure.get(measure) || empty).cells,
      find: (measure, category, bucket, scope = 'ALL') => (byMeasure.get(measure) || empty).index.get(cellKey(category, bucket, scope)),
    };
  }

  const categoriesOf = (cells) => [...new Set(cells.map((c) => c.category))].sort(compareCategories);
  function scopesOf(cells) {
    const seen = new Map();
    for (const c of cells) if (!seen.has(scopeKey(c))) seen.set(scopeKey(c), { key: scopeKey(c), level: c.scopeLevel, name: c.scopeName });
    return [...seen.values()].sort((a, b) => LEVEL_ORDER[a.level] - LEVEL_ORDER[b.level] || a.name.localeCompare(b.name, 'nl'));
  }
  function bucketsOf(cells) {
    const seen = new Map();
    for (const c of cells) if (c.bucket !== null) seen.set(c.bucket, c.bucketStart || c.bucket);
    return [...seen.entries()].sort((a, b) => (a[1] < b[1] ? -1 : 1)).map(([bucket]) => bucket);
  }
  /** The cells of the whole scope (ALL) for now or the whole period (no bucket). */
  const wholeOf = (ctx, measure) => ctx.view.cells(measure).filter((c) => c.scopeLevel === 'ALL' && c.bucket === null);

  function renderGroup(spec, group, dashboard, jobs) {
    const view = groupView(group);
    const used = new Set();
    const ctx = { view, used, jobs, dashboard, breakdown: dashboard.breakdown !== 'PARTNERSHIP', empty: [] };
    const section = el('section', { class: 'group', 'data-testid': `group-${spec.key}`, 'data-protected': String(group.protected) },
      el('div', { class: 'group-head' }, el('h2', { text: spec.title }), el('span', { class: 'group-sub', text: spec.sub })));
    if (group.protected) {
      section.append(el('div', { class: 'banner', 'data-testid': 'protected-banner' },
        el('strong', { text: `Kleine aantallen (1–${state.k}) onderdrukt.` }),
        el('span', { text: `U telt hier rijen die u niet mag inzien: aantallen van 1 tot en met ${state.k}, en wat ze zou verraden, staan er als “onderdrukt” (niet 0). Geldt voor: ${group.protectedMeasures.map(measureLabel).join(', ')}.` })));
    }
    if (spec.tiles) section.append(tiles(ctx, spec.tiles));
    const panels = el('div', { class: 'panels' });
    for (const panelSpec of spec.panels) {
      const panel = PANEL_TYPES[panelSpec.type](ctx, panelSpec);
      if (panel) panels.append(panel);
    }
    const rest = view.measures.filter((m) => !used.has(m));
    if (rest.length) panels.append(otherFigures(ctx, rest));
    section.append(panels);
    if (ctx.empty.length) {
      section.append(el('p', { class: 'group-empty', 'data-testid': 'empty-panels', text: `Niets geteld in deze periode (of geen cijfers voor uw rol): ${ctx.empty.join(', ')}.` }));
    }
    return section;
  }

  function panelShell(spec) {
    const panel = el('article', { class: `panel ${spec.size || ''}`, 'data-testid': `panel-${spec.id}` }, el('h3', { text: spec.title }));
    if (spec.note) panel.append(el('p', { class: 'panel-note', text: spec.note }));
    return panel;
  }

  /** A panel without a single cell is left out; the group names it once, at its foot. */
  function emptyPanel(ctx, spec) {
    ctx.empty.push(spec.title);
    return null;
  }

  // ---- Rendering: one number ---------------------------------------------------------------

  const primaryField = (cell) => (cell.kind === 'COUNT' ? 'count' : 'value');
  function formatField(cell, field) {
    const value = cell[field];
    if (field === 'value' && cell.kind === 'SHARE') return `${fmt(value)}%`;
    return fmt(value);
  }

  /**
   * One field of one cell as an element: the number (figure-value), "onderdrukt"
   * (suppressed-cell) or "–" (no cell, or a field the cell does not carry).
   */
  function figure(tag, cell, field, options = {}) {
    if (!cell) return el(tag, { class: `missing ${options.class || ''}`, title: 'Niets geteld', text: '–' });
    const where = {
      'data-measure': cell.measure, 'data-category': cell.category ?? '', 'data-bucket': cell.bucket ?? '',
      'data-scope': scopeKey(cell), 'data-scope-name': cell.scopeName,
    };
    if (cell.suppressed) {
      return el(tag, {
        ...where, class: `suppressed ${options.class || ''}`, 'data-testid': 'suppressed-cell',
        title: `Onderdrukt: een klein aantal (1 tot en met ${state.k}) of wat het zou verraden; geen 0`,
        text: options.text || (options.long ? `onderdrukt (1–${state.k})` : 'onderdrukt'),
      });
    }
    field = field || primaryField(cell);
    const value = cell[field];
    if (value === null || value === undefined) return el(tag, { class: `missing ${options.class || ''}`, title: 'Geen waarde', text: options.none || '–' });
    return el(tag, {
      ...where, class: options.class || null, 'data-testid': 'figure-value', 'data-field': field, 'data-raw': String(value),
      title: cell.n !== null && field !== 'n' ? `n = ${cell.n}` : null, text: formatField(cell, field),
    });
  }

  /** A cell's number for a chart: null (no bar) when suppressed or absent, never 0. */
  function chartValue(cell, field) {
    if (!cell || cell.suppressed) return null;
    const value = cell[field || primaryField(cell)];
    return value === undefined ? null : value;
  }

  /** A table under a chart: folded away (the chart shows the same), every cell marked. */
  function foldedTable(head, rows) {
    return el('details', {}, el('summary', { text: 'Tabel' }), table(head, rows));
  }

  function table(head, rows) {
    return el('div', { class: 'table-scroll' }, el('table', {},
      head ? el('thead', {}, el('tr', {}, head.map((h) => el('th', { text: h })))) : null,
      el('tbody', {}, rows)));
  }

  /**
   * The suppressed cells a chart leaves out, in words: "Onderdrukt (1–5): Open 2024-Q4 2025-Q2".
   * `entries` are [label, cell, text] with the cell's own short text (its bucket or scope).
   */
  const SUPPRESSED_LISTED = 12;
  function suppressedList(entries) {
    if (!entries.length) return null;
    const byLabel = new Map();
    for (const [label, cell, text] of entries) {
      if (!byLabel.has(label)) byLabel.set(label, []);
      byLabel.get(label).push([cell, text]);
    }
    const list = el('div', { class: 'suppressed-list', 'data-testid': 'suppressed-list' },
      el('span', { class: 'swatch-suppressed' }), el('span', { text: `Onderdrukt (1–${state.k}), geen balk:` }));
    let left = SUPPRESSED_LISTED;
    for (const [label, cells] of byLabel) {
      if (left <= 0) break;
      if (label) list.append(el('span', { class: 'chip-label', text: label }));
      for (const [cell, text] of cells.slice(0, left)) list.append(figure('span', cell, null, { text: text || 'onderdrukt' }));
      left -= cells.length;
    }
    if (left < 0) list.append(el('span', { text: `en ${-left} meer (zie de tabel)` }));
    return list;
  }

  // ---- Rendering: charts -------------------------------------------------------------------

  /** The marker dataset: a cross at the baseline where a bar is left out because it is suppressed. */
  function suppressedDataset(namesByIndex, horizontal) {
    if (!namesByIndex.some((names) => names.length)) return null;
    return {
      type: 'line', label: `onderdrukt (1–${state.k})`, data: namesByIndex.map((names) => (names.length ? 0 : null)),
      suppressedNames: namesByIndex, showLine: false, pointStyle: 'crossRot', pointRadius: 7, pointHoverRadius: 8,
      pointBorderWidth: 2.5, borderColor: SUPPRESSED_COLOR, backgroundColor: SUPPRESSED_COLOR, stack: '__suppressed',
      order: -1, clip: false, indexAxis: horizontal ? 'y' : 'x',
    };
  }

  /** Draws each bar's number at its end (datasets with `valueLabel`, a function of the index). */
  const valueLabels = {
    id: 'valueLabels',
    afterDatasetsDraw(chart) {
      const { ctx } = chart;
      const horizontal = chart.options.indexAxis === 'y';
      ctx.save();
      ctx.font = `600 11px ${window.Chart.defaults.font.family}`;
      ctx.fillStyle = '#1d2733';
      chart.data.datasets.forEach((dataset, i) => {
        const meta = chart.getDatasetMeta(i);
        if (!dataset.valueLabel || meta.hidden) return;
        meta.data.forEach((bar, j) => {
          const text = dataset.valueLabel(j);
          if (!text) return;
          if (horizontal) {
            ctx.textAlign = 'left';
            ctx.textBaseline = 'middle';
            ctx.fillText(text, bar.x + 5, bar.y);
          } else {
            ctx.textAlign = 'center';
            ctx.textBaseline = 'bottom';
            ctx.fillText(text, bar.x, bar.y - 3);
          }
        });
      });
      ctx.restore();
    },
  };

  function chartConfig({ labels, datasets, marker, stacked = false, horizontal = false, max, unit = '', integer = false, legend, grace, padRight }) {
    const all = marker ? [...datasets, marker] : datasets;
    const valueAxis = {
      beginAtZero: true, stacked, max, grace, grid: { color: '#eceff3' },
      ticks: { precision: integer ? 0 : undefined, callback: (v) => `${fmt(v)}${unit}` },
    };
    // Categories beside horizontal bars all get their label; buckets along the bottom may skip some.
    const indexAxis = { stacked, grid: { display: false }, ticks: { autoSkip: !horizontal, maxRotation: 0 } };
    return {
      type: 'bar',
      data: { labels, datasets: all.map((d) => ({ pointStyle: 'rect', ...d })) },
      plugins: [valueLabels],
      ariaLabel: datasets.map((d) => d.label).join(', '),
      options: {
        indexAxis: horizontal ? 'y' : 'x',
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { right: padRight || (horizontal ? 8 : 0), top: 4 } },
        scales: horizontal ? { x: valueAxis, y: indexAxis } : { x: indexAxis, y: valueAxis },
        plugins: {
          legend: {
            display: legend !== undefined ? legend : all.length > 1,
            position: 'bottom',
            labels: { usePointStyle: true, boxWidth: 8, boxHeight: 8, padding: 8, font: { size: 11 } },
          },
          tooltip: {
            callbacks: {
              label: (item) => {
                const names = item.dataset.suppressedNames;
                if (names) return `${names[item.dataIndex].join(', ')}: onderdrukt (1–${state.k})`;
                return `${item.dataset.label}: ${fmt(item.parsed[horizontal ? 'x' : 'y'])}${unit}`;
              },
            },
          },
        },
      },
    };
  }

  function addChart(ctx, panel, config, size = '') {
    const box = el('div', { class: `chart ${size}` });
    panel.append(box);
    ctx.jobs.push([box, config]);
  }

  /** The label of a bar: its number, for charts with one series (stacked bars stay unlabelled). */
  const labelOf = (data, unit = '') => (j) => (data[j] === null ? '' : `${fmt(data[j])}${unit}`);

  // ---- Panel types -------------------------------------------------------------------------

  /** Key numbers of now (or the whole period): one tile per measure and category, whole scope. */
  function tiles(ctx, measures) {
    measures.forEach((m) => ctx.used.add(m));
    const strip = el('div', { class: 'tiles', 'data-testid': 'tiles' });
    for (const measure of measures) {
      const cells = wholeOf(ctx, measure);
      if (!cells.length) {
        strip.append(el('div', { class: 'tile' }, el('div', { class: 'tile-label', text: measureLabel(measure) }), figure('div', null, null, { class: 'tile-value' })));
        continue;
      }
      for (const category of categoriesOf(cells)) {
        const label = category === null ? measureLabel(measure) : `${measureLabel(measure)} · ${categoryLabel(category)}`;
        strip.append(el('div', { class: 'tile' }, el('div', { class: 'tile-label', text: label }),
          figure('div', ctx.view.find(measure, category, null), null, { class: 'tile-value', long: true })));
      }
    }
    return strip;
  }

  const PANEL_TYPES = {
    /** One measure now (or over the whole period) per category; with a breakdown, stacked per scope. */
    byCategory(ctx, spec) {
      if (spec.onlyWithBreakdown && !ctx.breakdown) return null;
      ctx.used.add(spec.measure);
      const cells = ctx.view.cells(spec.measure).filter((c) => c.bucket === null);
      const panel = panelShell(spec);
      if (!cells.length) return emptyPanel(ctx, spec);
      const categories = categoriesOf(cells);
      const scopes = scopesOf(cells);
      const parts = scopes.filter((s) => s.level !== 'ALL');
      const series = parts.length ? parts : scopes;
      const kind = cells[0].kind;
      const unit = kind === 'SHARE' ? '%' : '';
      const horizontal = categories.length > 4; // long category names read better beside the bars
      const names = categories.map(() => []);
      const suppressed = [];
      const labels = categories.map((c) => categoryLabel(c) || measureLabel(spec.measure));
      const datasets = series.map((scope, i) => {
        const data = categories.map((category, j) => {
          const cell = ctx.view.find(spec.measure, category, null, scope.key);
          if (cell && cell.suppressed) {
            names[j].push(parts.length ? scope.name : labels[j]);
            suppressed.push([parts.length ? scope.name : '', cell, labels[j]]);
          }
          return chartValue(cell);
        });
        return {
          label: parts.length ? scope.name : measureLabel(spec.measure), data,
          backgroundColor: parts.length ? PALETTE[i % PALETTE.length] : ACCENT,
          valueLabel: series.length === 1 ? labelOf(data, unit) : undefined,
        };
      });
      addChart(ctx, panel, chartConfig({
        labels, datasets, marker: suppressedDataset(names, horizontal), stacked: parts.length > 0 && kind === 'COUNT', max: spec.max, horizontal,
        integer: kind === 'COUNT', unit, legend: parts.length > 1 || suppressed.length > 0, grace: spec.max ? undefined : '12%',
      }));
      const list = suppressedList(suppressed);
      if (list) panel.append(list);
      panel.append(foldedTable(['', ...labels], scopes.map((scope) =>
        el('tr', { class: scope.level === 'ALL' ? 'total' : null }, el('th', { text: scope.name }),
          categories.map((category) => figure('td', ctx.view.find(spec.measure, category, null, scope.key)))))));
      return panel;
    },

    /** One measure over the buckets of the period (whole scope), per category. */
    series(ctx, spec) {
      ctx.used.add(spec.measure);
      const all = ctx.view.cells(spec.measure).filter((c) => c.scopeLevel === 'ALL');
      const cells = all.filter((c) => c.bucket !== null);
      const panel = panelShell(spec);
      if (!cells.length) return emptyPanel(ctx, spec);
      const categories = categoriesOf(cells);
      const buckets = bucketsOf(cells);
      const kind = cells[0].kind;
      const names = buckets.map(() => []);
      const suppressed = [];
      const datasets = categories.map((category, i) => ({
        label: categoryLabel(category) || measureLabel(spec.measure),
        backgroundColor: colorOf(category, i),
        borderColor: colorOf(category, i),
        type: kind === 'COUNT' ? 'bar' : 'line',
        data: buckets.map((bucket, j) => {
          const cell = ctx.view.find(spec.measure, category, bucket);
          if (cell && cell.suppressed) {
            names[j].push(categoryLabel(category) || measureLabel(spec.measure));
            suppressed.push([categoryLabel(category) || measureLabel(spec.measure), cell, bucket]);
          }
          return chartValue(cell);
        }),
      }));
      addChart(ctx, panel, chartConfig({
        labels: buckets, datasets, marker: suppressedDataset(names, false), stacked: kind === 'COUNT', integer: kind === 'COUNT', legend: true,
      }));
      const list = suppressedList(suppressed);
      if (list) panel.append(list);
      const withTotal = all.some((c) => c.bucket === null);
      panel.append(foldedTable(
        ['', ...buckets, ...(withTotal ? [spec.totalLabel || 'Totaal'] : [])],
        categories.map((category) => el('tr', {}, el('th', { text: categoryLabel(category) || measureLabel(spec.measure) }),
          buckets.map((bucket) => figure('td', ctx.view.find(spec.measure, category, bucket))),
          withTotal ? figure('td', ctx.view.find(spec.measure, category, null), null, { class: 'total' }) : null))));
      return panel;
    },

    /** TEAM_LOAD: each team's weighted load on the track of its capacity; red from the overflow threshold. */
    load(ctx, spec) {
      ctx.used.add(spec.measure);
      const cells = ctx.view.cells(spec.measure).filter((c) => c.bucket === null).sort((a, b) => a.scopeName.localeCompare(b.scopeName, 'nl'));
      const panel = panelShell(spec);
      if (!cells.length) return emptyPanel(ctx, spec);
      const threshold = state.settings.overflowThreshold;
      const share = (c) => (!c.suppressed && c.value !== null && c.norm ? c.value / c.norm : null);
      const over = (c) => share(c) !== null && share(c) >= threshold;
      const names = cells.map((c) => (c.suppressed ? [c.scopeName] : []));
      const loads = cells.map((c) => chartValue(c, 'value'));
      const capacities = cells.map((c) => chartValue(c, 'norm'));
      addChart(ctx, panel, chartConfig({
        labels: cells.map((c) => c.scopeName),
        datasets: [
          {
            label: 'Belasting', data: loads, backgroundColor: cells.map((c) => (over(c) ? '#c2452d' : ACCENT)),
            grouped: false, order: 1, barPercentage: 0.5, categoryPercentage: 0.9,
          },
          {
            label: 'Capaciteit', data: capacities, backgroundColor: '#e4e9ef', borderColor: '#aab4bf', borderWidth: 1,
            grouped: false, order: 2, barPercentage: 0.8, categoryPercentage: 0.9,
            valueLabel: (j) => (loads[j] === null || capacities[j] === null ? '' : `${fmt(loads[j])} / ${fmt(capacities[j])} · ${Math.round(100 * share(cells[j]))}%`),
          },
        ],
        marker: suppressedDataset(names, true), horizontal: true, legend: true, padRight: 84,
      }));
      const list = suppressedList(cells.filter((c) => c.suppressed).map((c) => ['', c, c.scopeName]));
      if (list) panel.append(list);
      panel.append(foldedTable(['Topteam', 'Belasting', 'Capaciteit', 'Bezet', 'Trajecten'], cells.map((c) => {
        const part = share(c);
        return el('tr', {}, el('th', { text: c.scopeName }), figure('td', c, 'value'), figure('td', c, 'norm'),
          el('td', { class: over(c) ? 'over' : null, text: part === null ? '–' : `${Math.round(100 * part)}%`, title: over(c) ? `Vanaf ${Math.round(threshold * 100)}% dreigt de capaciteit overschreden te worden` : null }),
          figure('td', c, 'n'));
      })));
      return panel;
    },

    /** Durations: median and 90th percentile against the handbook's norm, per interval. */
    durations(ctx, spec) {
      spec.measures.forEach((m) => ctx.used.add(m));
      const measures = spec.measures.filter((m) => ctx.view.cells(m).length);
      const panel = panelShell(spec);
      if (!measures.length) return emptyPanel(ctx, spec);
      const cells = measures.map((m) => ctx.view.find(m, null, null));
      const labels = measures.map(measureLabel);
      const names = cells.map((c, i) => (c && c.suppressed ? [labels[i]] : []));
      const medians = cells.map((c) => chartValue(c, 'value'));
      addChart(ctx, panel, chartConfig({
        labels,
        datasets: [
          { label: 'Mediaan', data: medians, backgroundColor: ACCENT, valueLabel: labelOf(medians) },
          { label: '90e percentiel', data: cells.map((c) => chartValue(c, 'p90')), backgroundColor: '#b7cbe3' },
          {
            type: 'line', label: 'Norm', data: cells.map((c) => chartValue(c, 'norm')), showLine: false,
            pointStyle: 'line', pointRadius: 24, pointHoverRadius: 24, pointBorderWidth: 3, borderColor: '#c2452d', backgroundColor: '#c2452d',
          },
        ],
        marker: suppressedDataset(names, false), legend: true, grace: '8%',
      }), 'tall');
      const list = suppressedList(cells.flatMap((c, i) => (c && c.suppressed ? [['', c, labels[i]]] : [])));
      if (list) panel.append(list);
      panel.append(foldedTable(['', 'Mediaan', 'P90', 'Norm', 'n'], measures.map((m, i) =>
        el('tr', {}, el('th', { text: labels[i] }), figure('td', cells[i], 'value'), figure('td', cells[i], 'p90'),
          figure('td', cells[i], 'norm', { none: 'geen' }), figure('td', cells[i], 'n')))));
      return panel;
    },

    /** The intake funnel: each step's count over the period, stacked per outcome, with the numbers beside it. */
    funnel(ctx, spec) {
      [...spec.measures, ...(spec.extra || [])].forEach((m) => ctx.used.add(m));
      const steps = spec.measures.filter((m) => ctx.view.cells(m).length);
      const panel = panelShell(spec);
      if (!steps.length) return emptyPanel(ctx, spec);
      const categories = [...new Set(steps.flatMap((m) => wholeOf(ctx, m).map((c) => c.category)))].sort(compareCategories);
      const names = steps.map(() => []);
      const datasets = categories.map((category, i) => ({
        label: categoryLabel(category), backgroundColor: colorOf(category, i),
        data: steps.map((m, j) => {
          const cell = ctx.view.find(m, category, null);
          if (cell && cell.suppressed) names[j].push(categoryLabel(category));
          return chartValue(cell);
        }),
      }));
      const body = el('div', { class: 'funnel' });
      panel.append(body);
      addChart(ctx, body, chartConfig({
        labels: steps.map(measureLabel), datasets, marker: suppressedDataset(names, true), stacked: true, horizontal: true, integer: true, legend: true,
      }));
      const rows = steps.map((m) => el('tr', {}, el('th', { text: measureLabel(m) }),
        el('td', {}, el('div', { class: 'chips' }, categoriesOf(wholeOf(ctx, m)).map((category) =>
          el('span', { class: 'chip' }, el('span', { class: 'chip-label', text: `${categoryLabel(category)} ` }), figure('span', ctx.view.find(m, category, null))))))));
      for (const m of spec.extra || []) {
        rows.push(el('tr', {}, el('th', { text: measureLabel(m) }), el('td', {}, el('div', { class: 'chips' }, figure('span', ctx.view.find(m, null, null))))));
      }
      body.append(table(null, rows));
      return panel;
    },

    /** Several measures side by side per category (e.g. the follow-up shares per moment). */
    multi(ctx, spec) {
      spec.measures.forEach((m) => ctx.used.add(m));
      const measures = spec.measures.filter((m) => ctx.view.cells(m).length);
      const panel = panelShell(spec);
      if (!measures.length) return emptyPanel(ctx, spec);
      const categories = [...new Set(measures.flatMap((m) => wholeOf(ctx, m).map((c) => c.category)))].sort(compareCategories);
      const labels = categories.map((c) => categoryLabel(c) || 'Totaal');
      const names = categories.map(() => []);
      const suppressed = [];
      const datasets = measures.map((m, i) => {
        const data = categories.map((category, j) => {
          const cell = ctx.view.find(m, category, null);
          if (cell && cell.suppressed) {
            names[j].push(measureLabel(m));
            suppressed.push([measureLabel(m), cell, labels[j]]);
          }
          return chartValue(cell);
        });
        return { label: measureLabel(m), backgroundColor: PALETTE[i % PALETTE.length], data, valueLabel: labelOf(data, spec.unit) };
      });
      addChart(ctx, panel, chartConfig({ labels, datasets, marker: suppressedDataset(names, false), max: spec.max, unit: spec.unit, legend: true }));
      const list = suppressedList(suppressed);
      if (list) panel.append(list);
      panel.append(foldedTable(['', ...labels], measures.map((m) => el('tr', {}, el('th', { text: measureLabel(m) }),
        categories.map((category) => figure('td', ctx.view.find(m, category, null)))))));
      return panel;
    },

    /** A measure whose category is PART/STATUS: one bar per part, stacked per status. */
    split(ctx, spec) {
      ctx.used.add(spec.measure);
      const cells = wholeOf(ctx, spec.measure).filter((c) => c.category);
      const panel = panelShell(spec);
      if (!cells.length) return emptyPanel(ctx, spec);
      const split = (c) => [c.category.split('/')[0], c.category.split('/').slice(1).join('/')];
      const parts = [...new Set(cells.map((c) => split(c)[0]))].sort(compareCategories);
      const statuses = [...new Set(cells.map((c) => split(c)[1]))].sort(compareCategories);
      const names = parts.map(() => []);
      const suppressed = [];
      const datasets = statuses.map((status, i) => ({
        label: categoryLabel(status), backgroundColor: colorOf(status, i),
        data: parts.map((part, j) => {
          const cell = ctx.view.find(spec.measure, `${part}/${status}`, null);
          if (cell && cell.suppressed) {
            names[j].push(categoryLabel(status));
            suppressed.push([categoryLabel(part), cell, categoryLabel(status)]);
          }
          return chartValue(cell);
        }),
      }));
      addChart(ctx, panel, chartConfig({
        labels: parts.map(categoryLabel), datasets, marker: suppressedDataset(names, true), stacked: true, horizontal: true, integer: true, legend: true,
      }));
      const list = suppressedList(suppressed);
      if (list) panel.append(list);
      panel.append(foldedTable(['', ...statuses.map(categoryLabel)], parts.map((part) => el('tr', {}, el('th', { text: categoryLabel(part) }),
        statuses.map((status) => figure('td', ctx.view.find(spec.measure, `${part}/${status}`, null)))))));
      return panel;
    },
  };

  /** Every measure of the group no panel drew: its figures over the whole period (or now), whole scope. */
  function otherFigures(ctx, measures) {
    const panel = panelShell({ id: 'other', title: 'Overige cijfers', note: 'Hele periode (of stand van nu), per categorie', size: 'full' });
    const items = measures.map((m) => {
      const categories = categoriesOf(wholeOf(ctx, m));
      return el('div', { class: 'other-row' }, el('span', { class: 'other-label', text: measureLabel(m) }), el('span', { class: 'chips' },
        categories.length
          ? categories.map((category) => el('span', { class: 'chip' },
            category === null ? null : el('span', { class: 'chip-label', text: `${categoryLabel(category)} ` }),
            figure('span', ctx.view.find(m, category, null))))
          : figure('span', null)));
    });
    panel.append(el('div', { class: 'other' }, items));
    return panel;
  }

  // ---- Start -------------------------------------------------------------------------------

  async function start() {
    if (window.Chart) {
      const chart = window.Chart;
      chart.defaults.font.family = getComputedStyle(document.documentElement).fontFamily;
      chart.defaults.font.size = 11;
      chart.defaults.color = '#5d6b7a';
    }
    try {
      const response = await fetch('/dashboard/settings.json');
      state.settings = await response.json();
    } catch (error) {
      showMessage(`De pagina kon niet starten: ${error.message}`);
      setBodyState('error');
      return;
    }
    setUpSignIn();
    for (const id of ['bucket', 'breakdown', 'from', 'until']) $(id).addEventListener('change', () => void load());
    state.token = readToken();
    if (state.token) await load();
    else showSignIn('');
  }

  void start();
})();
