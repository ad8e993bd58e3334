/**
 * The layers of the code and the one direction imports take between them (README.md,
 * "Architecture"). Every `.ts` file under src/ and migrations/ is parsed with the TypeScript
 * compiler; every import of ours in it (`import`, `import type`, `export … from`, `import()`,
 * `import x = require()`, `require()`, `import('…').T` in a type) is resolved to a file, the
 * file to its layer, and an import a layer may not make fails the test, naming the file, the
 * import and the rule it breaks. A file in no layer of the table fails too: a new folder (or a
 * new file directly under src/) gets its place in the table first.
 */
import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '..', '..');

type Layer = 'composition' | 'features' | 'graphql' | 'audit' | 'auth' | 'authz' | 'db' | 'observability' | 'domain' | 'config';

interface LayerSpec {
  /** Folders (ending in `/`) and files, relative to the repository root. */
  paths: string[];
  /** The layers it may import besides itself; composition roots may import anything. */
  mayImport: Layer[] | 'anything';
  why: string;
}

/**
 * The layer table, outermost first (README.md, "Layers", draws it). Arrows point inward only: a
 * layer imports the layers listed for it, which are every layer its arrows reach, and never one
 * that lists it. Composition roots wire everything and nothing imports them.
 */
export const LAYERS: Record<Layer, LayerSpec> = {
  composition: {
    paths: ['src/main.ts', 'src/cli.ts', 'src/app/', 'src/demo/', 'src/graphql/schema.ts', 'src/graphql/server.ts'],
    mayImport: 'anything',
    why: 'entry points: src/main.ts, every *.cli.ts and src/cli.ts (their frame), the entity list and data sources (src/app/), the demo data (src/demo/), the schema (lists the resolvers) and the HTTP server (mounts the unit of work and the access log, the authenticator and the dashboard page)',
  },
  features: {
    paths: ['src/modules/'],
    mayImport: ['graphql', 'audit', 'auth', 'authz', 'db', 'observability', 'domain', 'config'],
    why: 'entities, resolvers, services of each feature; features may import each other',
  },
  graphql: {
    paths: ['src/graphql/'],
    mayImport: ['audit', 'authz', 'db', 'observability', 'domain', 'config'],
    why: 'request context, errors, pagination, loaders, reads, relations, unit of work, the request log',
  },
  audit: {
    paths: ['src/audit/'],
    mayImport: ['authz', 'db', 'observability', 'domain', 'config'],
    why: 'the access log: recorder, grounds, chain, checkpoints; names the rows it logs by subject name',
  },
  auth: {
    paths: ['src/auth/'],
    mayImport: ['config'],
    why: 'token verification, development tokens, the demo accounts they are for',
  },
  authz: {
    paths: ['src/authz/'],
    mayImport: ['domain'],
    why: 'actor, ability, rules and their vocabulary, rules → SQL; entities only through the DataSource it is given',
  },
  db: {
    paths: ['src/db/', 'migrations/'],
    mayImport: ['observability', 'domain', 'config'],
    why: 'data source, tenancy, migrations, base classes of rows (related tables named by entity name)',
  },
  observability: {
    paths: ['src/observability/'],
    mayImport: ['config'],
    why: 'the process logger, the metrics registry and the tracing hooks (the OpenTelemetry SDK loaded only when on)',
  },
  domain: {
    paths: ['src/domain/'],
    mayImport: [],
    why: 'the handbook: enums, clock, ids, pseudonyms, the error vocabulary',
  },
  config: {
    paths: ['src/config.ts', 'src/paths.ts'],
    mayImport: [],
    why: 'the environment read once, the repository root',
  },
};

/**
 * Imports against the direction that cannot move yet, each with its reason. The test fails when
 * one is no longer made, so this list only shrinks.
 */
export const KNOWN_EXCEPTIONS: Array<{ from: string; to: string; why: string }> = [];

const COMPOSITION_FILE = /\.cli\.ts$/;

/** The layer of a file (relative to the root, `/`-separated), or null when the table has none. */
export function layerOf(file: string): Layer | null {
  if (file.startsWith('src/') && COMPOSITION_FILE.test(file)) return 'composition';
  let best: { layer: Layer; length: number } | null = null;
  for (const [layer, spec] of Object.entries(LAYERS) as Array<[Layer, LayerSpec]>) {
    for (const p of spec.paths) {
      const matches = p.endsWith('/') ? file.startsWith(p) : file === p;
      // The most specific entry wins: src/graphql/schema.ts is composition, src/graphql/ is graphql.
      if (matches && (!best || p.length > best.length)) best = { layer, length: p.length };
    }
  }
  return best?.layer ?? null;
}

/** Every module specifier a file imports, in any of the forms the header lists. */
export function specifiersOf(fileName: string, text: string): string[] {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node))) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** The file (relative to the root) a relative specifier of `from` names, or null when none exists. */
function resolve(from: string, specifier: string): string | null {
  const base = path.resolve(ROOT, path.dirname(from), specifier);
  for (const candidate of [`${base}.ts`, path.join(base, 'index.ts'), base]) {
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return path.relative(ROOT, candidate).split(path.sep).join('/');
  }
  return null;
}

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
    const rel = `${dir}/${entry.name}`;
    if (entry.isDirectory()) out.push(...filesUnder(rel));
    else if (entry.name.endsWith('.ts')) out.push(rel);
  }
  return out;
}

/** What is wrong with the imports of `file` (text `text`), one message per import. */
export function problemsOf(file: string, text: string, exceptions = KNOWN_EXCEPTIONS, used = new Set<string>()): string[] {
  const from = layerOf(file);
  if (from === null) return [`${file}: in no layer of the table (test/architecture/imports.test.ts, LAYERS); give its folder a layer first`];
  const problems: string[] = [];
  for (const specifier of specifiersOf(file, text)) {
    if (!specifier.startsWith('.')) continue; // a package
    const target = resolve(file, specifier);
    if (target === null) {
      problems.push(`${file}: imports '${specifier}', which names no file`);
      continue;
    }
    const to = layerOf(target);
    if (to === null) {
      problems.push(`${file} (${from}): imports '${specifier}' (${target}), which is in no layer of the table`);
      continue;
    }
    const allowed = LAYERS[from].mayImport;
    if (to === from || allowed === 'anything' || allowed.includes(to)) continue;
    const exception = exceptions.find((e) => e.from === file && e.to === target);
    if (exception) {
      used.add(`${exception.from} -> ${exception.to}`);
      continue;
    }
    const rule = to === 'composition'
      ? 'nothing imports a composition root'
      : `${from} may import ${allowed.length ? allowed.join(', ') : 'nothing of ours'}`;
    problems.push(`${file} (${from}): imports '${specifier}' (${target}, ${to}): against the direction, ${rule}`);
  }
  return problems;
}

const FILES = [...filesUnder('src'), ...filesUnder('migrations')].sort();

describe('the layer table', () => {
  test('names only paths that exist', () => {
    const missing = Object.values(LAYERS).flatMap((spec) => spec.paths).filter((p) => !fs.existsSync(path.join(ROOT, p)));
    expect(missing).toEqual([]);
  });

  test('points inward only: no layer imports one that may import it, and what a layer reaches it may import', () => {
    const ranked = Object.entries(LAYERS).filter(([, spec]) => spec.mayImport !== 'anything') as Array<[Layer, { mayImport: Layer[] }]>;
    const mayImport = new Map(ranked.map(([layer, spec]) => [layer, spec.mayImport]));
    const cycles = ranked.flatMap(([layer, spec]) => spec.mayImport.filter((to) => to === layer || mayImport.get(to)?.includes(layer)).map((to) => `${layer} <-> ${to}`));
    const unreached = ranked.flatMap(([layer, spec]) =>
      spec.mayImport.flatMap((to) => (mayImport.get(to) ?? []).filter((further) => !spec.mayImport.includes(further)).map((further) => `${layer} -> ${to} -> ${further}`)));
    expect({ cycles, unreached }).toEqual({ cycles: [], unreached: [] });
  });

  test('places every file of src/ and migrations/ in a layer', () => {
    expect(FILES.filter((f) => layerOf(f) === null)).toEqual([]);
  });
});

test('every import of src/ and migrations/ points inward', () => {
  const used = new Set<string>();
  const problems = FILES.flatMap((file) => problemsOf(file, fs.readFileSync(path.join(ROOT, file), 'utf8'), KNOWN_EXCEPTIONS, used));
  expect(problems).toEqual([]);
  // An exception no longer needed goes from the list.
  expect(KNOWN_EXCEPTIONS.map((e) => `${e.from} -> ${e.to}`).filter((e) => !used.has(e))).toEqual([]);
});

describe('the check itself', () => {
  test('sees every form of import, type-only ones included', () => {
    const text = [
      "import type { Context } from '../graphql/context';",
      "import { forbidden } from '../graphql/errors';",
      "import '../db/tenancy';",
      "export { Student } from '../modules/students/student.entity';",
      "export * from '../domain/enums';",
      "import seed = require('../demo/seed');",
      "const lazy = () => import('../graphql/server');",
      "const old = require('../app/entities');",
      "type Loaders = import('../graphql/loaders').Loaders;",
      "import { DataSource } from 'typeorm';",
    ].join('\n');
    expect(specifiersOf('src/authz/example.ts', text)).toEqual([
      '../graphql/context', '../graphql/errors', '../db/tenancy', '../modules/students/student.entity', '../domain/enums',
      '../demo/seed', '../graphql/server', '../app/entities', '../graphql/loaders', 'typeorm',
    ]);
  });

  test('names the file, the import and the rule broken', () => {
    expect(problemsOf('src/authz/example.ts', "import type { Context } from '../graphql/context';")).toEqual([
      "src/authz/example.ts (authz): imports '../graphql/context' (src/graphql/context.ts, graphql): against the direction, authz may import domain",
    ]);
    expect(problemsOf('src/db/example.ts', "import { ENTITIES } from '../app/entities';")).toEqual([
      "src/db/example.ts (db): imports '../app/entities' (src/app/entities.ts, composition): against the direction, nothing imports a composition root",
    ]);
    expect(problemsOf('src/domain/example.ts', "import { Config } from '../config';")).toEqual([
      "src/domain/example.ts (domain): imports '../config' (src/config.ts, config): against the direction, domain may import nothing of ours",
    ]);
  });

  test('lets imports inward, within a layer and from composition roots through', () => {
    expect(problemsOf('src/modules/example/x.ts', "import { assertCan } from '../../authz/authorize';\nimport { Student } from '../students/student.entity';")).toEqual([]);
    expect(problemsOf('src/graphql/schema.ts', "import { StudentResolver } from '../modules/students/student.resolver';")).toEqual([]);
    expect(problemsOf('src/db/example.cli.ts', "import { ENTITIES } from '../app/entities';")).toEqual([]);
  });

  test('fails on a folder the table does not know', () => {
    expect(layerOf('src/reports/monthly.ts')).toBeNull();
    expect(problemsOf('src/reports/monthly.ts', '')).toEqual([
      'src/reports/monthly.ts: in no layer of the table (test/architecture/imports.test.ts, LAYERS); give its folder a layer first',
    ]);
    expect(problemsOf('src/domain/example.ts', "import { x } from '../no-such-folder/x';")).toEqual([
      "src/domain/example.ts: imports '../no-such-folder/x', which names no file",
    ]);
  });
});
