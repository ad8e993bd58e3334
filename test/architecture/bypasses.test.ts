/**
 * The database outside the rules' read paths (src/graphql/reads.ts, `unscoped`): a feature
 * reaches `ctx.dataSource` only through `unscoped(ctx, why)`, or hands it to the rules
 * translator as the source of entity metadata. Every `unscoped` call site is listed here with
 * its reason, so a new one fails this test until it is added where a reviewer sees it.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

const MODULES = path.join(PROJECT_ROOT, 'src', 'modules');

function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    return entry.isDirectory() ? sources(full) : entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** Source without comments (so a comment naming `ctx.dataSource` is no call). */
function code(file: string): string {
  return fs.readFileSync(file, 'utf8').replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

/** The rules translator takes the data source for its entity metadata only: not a bypass. */
const TRANSLATOR = /\b(accessibleQuery|accessibleWhere|accessibleFieldWhere|conditionWhere)\([^;]*?ctx\.dataSource/;

test('features touch ctx.dataSource only through unscoped(ctx, why) or as the translator\'s metadata', () => {
  const offences: string[] = [];
  for (const file of sources(MODULES)) {
    code(file).split('\n').forEach((line, i) => {
      const uses = line.match(/ctx\.dataSource/g)?.length ?? 0;
      if (uses === 0) return;
      if (uses === 1 && TRANSLATOR.test(line)) return;
      offences.push(`${path.relative(PROJECT_ROOT, file)}:${i + 1}: ${line.trim()}`);
    });
  }
  expect(offences).toEqual([]);
});

/** Every bypass, by file, with its reason. */
const EXPECTED: Record<string, string[]> = {
  'src/modules/caseload/caseload.service.ts': [
    "team loads: counts per team, returned only for the teams the viewLoad rules show",
    "team loads for the proposal, for a caller allowed to assign this case (assignTeam)",
    "the proposal for a case the caller may assign (assignTeam)",
    "write: a team capacity, after assertCan(update, Topteam.capacity)",
  ],
  'src/modules/consents/consent.service.ts': [
    "the birth dates of students of consents already read through the rules, for the age-rule flag only (not returned)",
    "the named guardians of a student the caller may record consent for",
    "write: a new consent, after assertCan(create, Consent)",
    "write: withdrawing a consent the update rules allow (checked just above)",
    "re-reading the consent just withdrawn",
    "student ids of trajectories the privacy officer supervises, so the school can be told which cases lack consent",
  ],
  'src/modules/consultations/consultation.service.ts': [
    "write: a new consultation, after assertCan(create, Consultation)",
    "write: the outcome of a consultation, after assertCan(update, Consultation)",
    "why the guarded update changed nothing: the retention stamp of a consultation the caller may update",
  ],
  'src/modules/dashboards/dashboard.service.ts': [
    "a planner setting of the dashboard request's own transaction: reads no rows",
    "escaping the group statement, whose every branch carries the aggregate rules (dashboard.sql.ts)",
    "the group statement: filtered by the aggregate rules translated to SQL in every branch (dashboard.sql.ts)",
    "structure names (windstreek, school, team) of the ids in the caller's own figures",
  ],
  'src/modules/privacy/data-subject-request.service.ts': [
    "write: a new data-subject request, after assertCan(create, DataSubjectRequest)",
    "write: a data-subject request the update rules allow (requireVisible update above)",
    "write: carrying out a data-subject request the update rules allow (requireVisible update above)",
  ],
  'src/modules/privacy/access-log-integrity.ts': [
    "the access log's chain of the own partnership, read whole to recompute its hashes, for the privacy officer (assertCan above)",
  ],
  'src/modules/privacy/retention.resolver.ts': [
    "the retention run, the privacy officer's duty (requireRetentionDuty above)",
    "write: a legal hold, after requireRetentionDuty above",
  ],
  'src/modules/privacy/student-export.ts': [
    "the export: every row about one student, for the privacy officer only (assertCan supervise above)",
  ],
  'src/modules/schools/school.service.ts': [
    "write: a new school, after assertCan(create, School)",
  ],
  'src/modules/students/student.service.ts': [
    "is the named user a mentor at this school? (yes/no; accounts are not listed to the coordinator)",
    "write: a new student, after assertCan(create, Student)",
    "write: the data of the student, after assertCan(update, Student) field by field",
    "write: the day the student left, after assertCan(update, Student.leftSchoolOn)",
    "the receiving school of a transfer: is it a school of the partnership? (a school coordinator reads only the own school)",
    "write: the transfer of the student, after assertCan(update, Student.school); the running trajectory moves through performAct",
  ],
  'src/modules/topteams/topteam.service.ts': [
    "write: a new Topteam, after assertCan(create, Topteam)",
    "team composition: members per function of teams the caller reads, counted, no account returned",
  ],
  'src/modules/trajectories/trajectory.service.ts': [
    "whether a care consent holds, for trajectories already read through the rules",
  ],
  'src/modules/trajectories/workflow/perform-act.ts': [
    "write: the act, after the act permission was checked in SQL by the rules (accessibleQuery above)",
  ],
  'src/modules/trajectories/workflow/registration.service.ts': [
    "whether valid consent exists, a fact the registering school needs without reading every consent",
    "write: the registration, after assertCan(create, Trajectory)",
  ],
  'src/modules/users/user.service.ts': [
    "write: a new account, after assertCan(create, User)",
    "write: a new membership, after assertCan(create, Membership) and its scope visible",
    "write: revoking a membership, after assertCan(update, Membership)",
  ],
  'src/modules/windstreken/windstreek.service.ts': [
    "write: a new windstreek and its neighbour pairs, after the create check and the neighbours visible",
    "neighbour pairs of windstreken already read through the rules (the neighbours loader)",
  ],
};

test('every unscoped(ctx, why) call site is in the inventory, with its reason', () => {
  const found: Record<string, string[]> = {};
  for (const file of sources(MODULES)) {
    const whys = [...code(file).matchAll(/unscoped\(\s*ctx,\s*'((?:[^'\\]|\\.)*)'\s*\)/g)].map((m) => m[1].replace(/\\'/g, "'"));
    const bare = (code(file).match(/unscoped\(/g)?.length ?? 0) - whys.length;
    if (bare > 0) whys.push(`${bare} call(s) without a literal reason`);
    if (whys.length) found[path.relative(PROJECT_ROOT, file)] = whys;
  }
  expect(found).toEqual(EXPECTED);
});
