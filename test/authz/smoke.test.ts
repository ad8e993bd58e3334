import { createWorld, World } from '../factories/world';
import { startTestApp, TestApp } from '../setup/app';

let app: TestApp;
let world: World;
beforeAll(async () => {
  app = await startTestApp();
  world = await createWorld(app.dataSource);
});
afterAll(() => app.stop());

test('smoke', async () => {
  const sdk = await app.sdk(world.users.schoolA1.email);
  const me = await sdk.Me();
  expect(me.me.memberships[0].role).toBe('SCHOOL_COORDINATOR');
  const students = await sdk.Students({ first: 10 });
  console.log(JSON.stringify(students.students, null, 1).slice(0, 800));
  const t = await (await app.sdk(world.users.scientistA.email)).Trajectories({ first: 10 });
  console.log(JSON.stringify(t.trajectories.edges.map(e => [e.node.phase, e.node.student?.pseudonym, e.node.team?.name])));
  const s = await (await app.sdk(world.users.scientistA.email)).Student({ id: world.students.a1Team.id });
  console.log(JSON.stringify(s));
});
