/**
 * The container image, checked without a container runtime (`.ci/run` builds and starts it
 * where docker or podman exists, `.ci/container-smoke`): the build context leaves out the
 * repository's history, installed and compiled code, local data, secrets and keys, and keeps
 * what the build copies; the final stage runs as an unprivileged user, has a HEALTHCHECK on
 * /readyz, installs no development dependency and carries no secret. Each check is a function
 * tested on a bad example too, so that it can fail.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PROJECT_ROOT } from '../../src/paths';

// ---------------------------------------------------------------------------------------------
// .dockerignore: Docker's rules (patterns from the context's root, `*`, `?` and `**`, a pattern
// that matches a directory leaves out everything below it, `!` takes back, the last match wins)
// ---------------------------------------------------------------------------------------------

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '*' && pattern[i + 1] === '*') {
      // `**/` any number of directories (none included), a trailing `**` anything
      if (pattern[i + 2] === '/') {
        source += '(?:.*/)?';
        i += 2;
      } else {
        source += '.*';
        i += 1;
      }
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}

export function parseDockerignore(text: string): Array<{ exclude: boolean; pattern: RegExp }> {
  return text.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#')).map((l) => {
    const exclude = !l.startsWith('!');
    const raw = (exclude ? l : l.slice(1)).trim().replace(/^\/+/, '').replace(/\/+$/, '');
    return { exclude, pattern: globToRegExp(path.posix.normalize(raw)) };
  });
}

/** Whether `file` (relative to the context) is left out of the build context. */
export function ignored(rules: ReturnType<typeof parseDockerignore>, file: string): boolean {
  const parts = file.split('/');
  const prefixes = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let out = false;
  for (const rule of rules) if (prefixes.some((p) => rule.pattern.test(p))) out = rule.exclude;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Dockerfile: its stages, and what the final one does
// ---------------------------------------------------------------------------------------------

interface Instruction { keyword: string; args: string }
interface Stage { name: string | undefined; from: string; instructions: Instruction[] }

export function parseDockerfile(text: string): Stage[] {
  const logical = text.replace(/\\\r?\n/g, ' ').split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (keyword.toUpperCase() === 'FROM') {
      const from = /^(\S+)(?:\s+AS\s+(\S+))?/i.exec(args)!;
      stages.push({ from: from[1], name: from[2], instructions: [] });
    } else if (stages.length) stages[stages.length - 1].instructions.push({ keyword: keyword.toUpperCase(), args });
  }
  return stages;
}

const SECRET_NAME = /(secret|token|password|passwd|pwd|key|credential)/i;

/** What is wrong with the final stage of `stages`; empty when nothing is. */
export function finalStageProblems(stages: Stage[]): string[] {
  const problems: string[] = [];
  if (stages.length < 2) problems.push('not multi-stage: the build and its development dependencies end up in the image');
  const final = stages[stages.length - 1];
  const all = (k: string) => final.instructions.filter((i) => i.keyword === k);
  const user = all('USER').pop()?.args.split(':')[0].trim();
  if (!user || user === 'root' || user === '0') problems.push(`runs as root (USER ${user ?? 'missing'})`);
  const health = all('HEALTHCHECK').pop()?.args ?? '';
  if (!/\/readyz\b/.test(health)) problems.push('no HEALTHCHECK on /readyz');
  for (const run of all('RUN')) {
    if (/\b(npm|yarn|pnpm)\s+(ci|install|i|add)\b/.test(run.args) && !/--omit[= ]dev|--production\b|--prod\b/.test(run.args)) problems.push(`installs development dependencies: RUN ${run.args}`);
  }
  for (const copy of all('COPY')) {
    const from = /--from=(\S+)/.exec(copy.args)?.[1];
    if (!from || !/node_modules/.test(copy.args)) continue;
    const source = stages.find((s) => s.name === from);
    const installs = source?.instructions.filter((i) => i.keyword === 'RUN' && /\bnpm\s+ci\b/.test(i.args)) ?? [];
    if (!source || installs.length === 0 || installs.some((i) => !/--omit[= ]dev/.test(i.args))) problems.push(`copies node_modules from a stage that is not \`npm ci --omit=dev\` alone: COPY ${copy.args}`);
  }
  // Anywhere in the file (earlier stages' layers are in the build cache and history).
  for (const stage of stages) {
    for (const i of stage.instructions.filter((x) => x.keyword === 'ENV' || x.keyword === 'ARG')) {
      const pairs = i.args.match(/([A-Za-z_][A-Za-z0-9_]*)(?:=("[^"]*"|\S*)|\s+(\S.*))?/g) ?? [];
      for (const pair of pairs) {
        const [name, ...value] = pair.split(/=|\s+/);
        if (SECRET_NAME.test(name) && value.join('').replace(/"/g, '') !== '') problems.push(`a secret in the image: ${i.keyword} ${name}`);
      }
    }
  }
  return problems;
}

/** The sources the Dockerfile copies from the build context (not `--from` another stage). */
export function copiedFromContext(stages: Stage[]): string[] {
  return stages.flatMap((s) => s.instructions).filter((i) => (i.keyword === 'COPY' || i.keyword === 'ADD') && !/--from=/.test(i.args))
    .flatMap((i) => i.args.replace(/--\S+/g, '').trim().split(/\s+/).slice(0, -1));
}

// ---------------------------------------------------------------------------------------------

const dockerfile = parseDockerfile(fs.readFileSync(path.join(PROJECT_ROOT, 'Dockerfile'), 'utf8'));
const rules = parseDockerignore(fs.readFileSync(path.join(PROJECT_ROOT, '.dockerignore'), 'utf8'));

describe('the build context (.dockerignore)', () => {
  test('leaves out the history, installed and compiled code, local data, secrets and keys', () => {
    const mustLeaveOut = [
      '.git/HEAD', 'node_modules/pg/package.json', 'dist/src/main.js', '.data/pg/PG_VERSION', '.data/audit-checkpoints.jsonl',
      '.env', '.env.production', 'src/.env', 'secrets/db-password', 'deploy/secrets/jwt', 'keys/audit.key', 'config/keys/x',
      'tls/server.pem', 'server.key', 'ops/id_rsa', 'ops/id_ed25519.pub',
    ];
    expect(mustLeaveOut.filter((f) => !ignored(rules, f))).toEqual([]);
  });

  test('keeps everything the Dockerfile copies from it', () => {
    const copied = copiedFromContext(dockerfile);
    expect(copied).toEqual(expect.arrayContaining(['package.json', 'package-lock.json', 'src', 'migrations']));
    for (const source of copied) expect({ source, exists: fs.existsSync(path.join(PROJECT_ROOT, source)), ignored: ignored(rules, source) }).toEqual({ source, exists: true, ignored: false });
    expect(ignored(rules, 'src/main.ts')).toBe(false);
    expect(ignored(rules, 'migrations/index.ts')).toBe(false);
  });

  test('the matcher follows Docker\'s rules (so that it can fail)', () => {
    const r = parseDockerignore('node_modules\n**/*.pem\nsecrets\n!secrets/README\n# a comment\n/dist/\n');
    expect(['node_modules/a', 'a/b/c.pem', 'c.pem', 'secrets/x', 'dist/y'].map((f) => ignored(r, f))).toEqual([true, true, true, true, true]);
    expect(['src/node_modules_x.ts', 'a/secrets/x', 'secrets/README', 'src/dist/y', 'pem'].map((f) => ignored(r, f))).toEqual([false, false, false, false, false]);
    expect(ignored(parseDockerignore(''), '.git/HEAD')).toBe(false);
  });
});

describe('the Dockerfile', () => {
  test('multi-stage; the final stage runs as an unprivileged user, has a HEALTHCHECK on /readyz, installs no development dependency and carries no secret', () => {
    expect(dockerfile.length).toBeGreaterThanOrEqual(2);
    expect(finalStageProblems(dockerfile)).toEqual([]);
    // And it starts the compiled API, not `npm start` (which would build).
    expect(dockerfile[dockerfile.length - 1].instructions.filter((i) => i.keyword === 'CMD').pop()?.args).toBe('["node", "dist/src/main.js"]');
  });

  test('the checks find each problem (so that they can fail)', () => {
    const bad = parseDockerfile([
      'FROM node:20 AS build', 'RUN npm ci', 'ARG NPM_TOKEN=abc',
      'FROM node:20', 'ENV NODE_ENV=production AUTH_JWT_SECRET=s3cret PSEUDONYM_KEY="k"', 'COPY --from=build /app/node_modules ./node_modules',
      'RUN npm install', 'USER root', 'HEALTHCHECK CMD curl -f http://localhost/healthz', 'CMD ["node", "x.js"]',
    ].join('\n'));
    expect(finalStageProblems(bad)).toEqual([
      'runs as root (USER root)',
      'no HEALTHCHECK on /readyz',
      'installs development dependencies: RUN npm install',
      'copies node_modules from a stage that is not `npm ci --omit=dev` alone: COPY --from=build /app/node_modules ./node_modules',
      'a secret in the image: ARG NPM_TOKEN',
      'a secret in the image: ENV AUTH_JWT_SECRET',
      'a secret in the image: ENV PSEUDONYM_KEY',
    ]);
    expect(finalStageProblems(parseDockerfile('FROM node:20\nCMD ["node"]'))).toEqual([
      'not multi-stage: the build and its development dependencies end up in the image', 'runs as root (USER missing)', 'no HEALTHCHECK on /readyz',
    ]);
    // A secret's name without a value (given when the container runs) is fine.
    expect(finalStageProblems(parseDockerfile('FROM a AS b\nFROM c\nARG PSEUDONYM_KEY\nENV AUDIT_CHECKPOINT_KEY=\nUSER 1000\nHEALTHCHECK CMD wget -q http://x/readyz'))).toEqual([]);
  });
});
