import { createWorld, World } from '../../factories/world';
import { startTestApp, TestApp } from '../../setup/app';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());

const Q = `query($f: DashboardFilter) { dashboard(filter: $f) { from until bucket smallCountThreshold
  intake { protected protectedMeasures cells { measure category bucket scopeLevel scopeName count value n suppressed } }
  caseload { protected protectedMeasures cells { measure category bucket scopeLevel scopeName count value n norm suppressed } }
  timeliness { protected protectedMeasures cells { measure category bucket scopeLevel scopeName count value p90 n norm suppressed } }
  results { protected cells { measure category bucket scopeLevel count value n suppressed } }
  privacy { protected cells { measure category bucket scopeLevel count value n suppressed } }
} }`;

test('scratch', async () => {
  for (const who of ['analyst', 'coordinator', 'schoolA1', 'privacy', 'scientistA', 'admin'] as const) {
    const r = await app.gql<any>(world.users[who].email, Q, { f: { breakdown: 'WINDSTREEK', bucket: 'SCHOOL_YEAR' } });
    if (r.body.errors) console.log(who, JSON.stringify(r.body.errors));
    const d = r.body.data.dashboard;
    const out: string[] = [who];
    for (const g of ['intake', 'caseload', 'timeliness', 'results', 'privacy']) {
      if (!d[g]) { out.push(`${g}: null`); continue; }
      out.push(`${g}: protected=${d[g].protected} ${d[g].protectedMeasures ?? ''}`);
      for (const c of d[g].cells) if (c.scopeLevel === 'ALL' && (c.count || c.value || c.suppressed)) out.push(`  ${c.measure} ${c.category} ${c.bucket} ${c.count ?? ''} v=${c.value ?? ''} p90=${c.p90 ?? ''} n=${c.n ?? ''} norm=${c.norm ?? ''} ${c.suppressed ? 'SUPPRESSED' : ''}`);
    }
    console.log(out.join('\n'));
  }
});
