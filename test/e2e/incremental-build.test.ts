import { spawn } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree, REPO_ROOT } from '../helpers/project.js';

/**
 * Builds that reuse what earlier builds left (the build record, the type-check's stamp and
 * incremental state, transpiled modules, out/'s hard links) must give what a clean build gives.
 * One project is edited step by step and built after each step with its cache; after each, a copy
 * of its sources is built with no cache at all (the oracle): exit code, `--format json` diagnostics
 * and out/ must be the same bytes.
 */
const FILES: Record<string, string> = {
  'mon.config.ts': `import { defineConfig } from 'moncode';
export default defineConfig({ systems: { a: { prometheus: { scrapeInterval: '15s' } } } });
`,
  'definitions/shared/make.ts': `import { alertRule } from 'moncode';
export function make(job: string, threshold: number) {
  return alertRule({
    alert: \`\${job}Errors\`,
    expr: \`sum by (job) (rate(http_errors_total{job="\${job}"}[5m])) > \${threshold}\`,
    for: '5m',
    labels: { severity: 'warning' },
    annotations: { summary: 'Errors', description: 'Errors of ' + job, runbook_url: 'https://runbooks.example.com/errors' },
  });
}
`,
  'definitions/a/dash.ts': `import { dashboard, prom, timeseries } from 'moncode';
export default dashboard({
  title: 'A board',
  panels: [timeseries({ title: 'Requests', unit: 'reqps', targets: [prom('sum(rate(http_requests_total{job="a"}[5m]))')] })],
});
`,
  'definitions/a/rules.ts': `import { ruleGroup } from 'moncode';
import { make } from '../shared/make';
const env = (globalThis as any).process.env;
export default ruleGroup({ name: 'a' + (env.MONCODE_INCR_SUFFIX ?? ''), rules: [make('a', 5)] });
`,
  'definitions/b/rules.ts': `import { alertRule, ruleGroup } from 'moncode';
import { make } from '../shared/make';
export default ruleGroup({
  name: 'b',
  rules: [
    make('b', 3),
    alertRule({ alert: 'ARequestsLow', expr: 'job:a_requests:rate5m < 1', for: '10m', labels: { severity: 'warning' }, annotations: { summary: 'A gets few requests', description: 'Requests to a are under 1/s', runbook_url: 'https://runbooks.example.com/a-low' } }),
  ],
});
`,
  'definitions/c/limits.ts': `import { ruleGroup } from 'moncode';
import { make } from '../shared/make';
const fs = (globalThis as any).process.getBuiltinModule('node:fs');
const limits = JSON.parse(fs.readFileSync('data/limits.json', 'utf8'));
export default ruleGroup({ name: 'c', rules: [make('c', limits.errors)] });
`,
  'data/limits.json': '{ "errors": 7 }\n',
  'definitions/shared/logs.ts': `import { datasource } from 'moncode';
export const logs = datasource({ name: 'Shared logs', type: 'prometheus', url: 'http://logs:9090' });
`,
};

/** A dashboard using a datasource no system exports: the first system using it provisions it. */
const USES_SHARED = (title: string) => `import { dashboard, prom, timeseries } from 'moncode';
import { logs } from '../shared/logs';
export default dashboard({
  uid: '${title.toLowerCase().replace(/ /g, '-')}',
  title: '${title}',
  panels: [timeseries({ title: 'Lines', unit: 'short', datasource: logs, targets: [prom('sum(rate(log_lines_total[5m]))')] })],
});
`;

interface Step {
  name: string;
  edit: (dir: string) => void;
  env?: Record<string, string>;
  exit: 0 | 1;
  /** How many system files the build runs, of how many (the others' resources are recorded). */
  evaluates?: [number, number];
  /** How many systems' dashboards and rule groups the build takes from its compile records, of how many. */
  reuses?: [number, number];
}

function replace(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(full, text.replace(from, to));
}

const MOVED = `import { dashboard, prom, timeseries } from 'moncode';
export default dashboard({
  uid: 'moved',
  title: 'A board in c',
  panels: [timeseries({ title: 'Requests', unit: 'reqps', targets: [prom('sum(rate(http_requests_total{job="a"}[5m]))')] })],
});
`;

const MORE = `import { ruleGroup } from 'moncode';
import { make } from '../shared/make';
export default ruleGroup({ name: 'a-more', rules: [make('a_more', 1)] });
`;

const ENV = { MONCODE_INCR_SUFFIX: '-env' };

/** Applied in order to one project; each step's build starts from the cache the previous left. */
const STEPS: Step[] = [
  { name: 'a title in system a', edit: (dir) => replace(dir, 'definitions/a/dash.ts', "'A board'", "'A front board'"), exit: 0, evaluates: [2, 4], reuses: [2, 3] },
  { name: 'a file added to system a', edit: (dir) => writeFileSync(path.join(dir, 'definitions/a/more.ts'), MORE), exit: 0, evaluates: [3, 5] },
  { name: 'that file deleted', edit: (dir) => rmSync(path.join(dir, 'definitions/a/more.ts')), exit: 0, evaluates: [2, 4] },
  { name: 'the library both systems import', edit: (dir) => replace(dir, 'definitions/shared/make.ts', "for: '5m'", "for: '15m'"), exit: 0 },
  { name: 'mon.config.ts, for system a only', edit: (dir) => replace(dir, 'mon.config.ts', "scrapeInterval: '15s'", "scrapeInterval: '5m'"), exit: 0 },
  {
    name: 'a recording rule in a that an alert in b uses',
    edit: (dir) =>
      replace(dir, 'definitions/a/rules.ts', "rules: [make('a', 5)]", "rules: [make('a', 5), { record: 'job:a_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total{job=\"a\"}[5m]))' }]"),
    exit: 0,
  },
  { name: 'an environment variable a definition reads', edit: () => undefined, env: { MONCODE_INCR_SUFFIX: '-env' }, exit: 0 },
  { name: 'an error introduced', edit: (dir) => replace(dir, 'definitions/a/dash.ts', "title: 'A front board'", 'title: 42'), env: ENV, exit: 1 },
  { name: 'the error fixed', edit: (dir) => replace(dir, 'definitions/a/dash.ts', 'title: 42', "title: 'A fixed board'"), env: ENV, exit: 0, evaluates: [2, 4] },
  { name: 'a data file a definition reads', edit: (dir) => replace(dir, 'data/limits.json', '7', '9'), env: ENV, exit: 0 },
  {
    name: 'a dashboard moved from system a to system c',
    edit: (dir) => {
      rmSync(path.join(dir, 'definitions/a/dash.ts'));
      writeFileSync(path.join(dir, 'definitions/c/dash.ts'), MOVED);
    },
    env: ENV,
    exit: 0,
    evaluates: [3, 4],
  },
  { name: 'its uid taken by a dashboard of system b', edit: (dir) => writeFileSync(path.join(dir, 'definitions/b/copy.ts'), MOVED.replace('A board in c', 'B board')), env: ENV, exit: 1 },
  { name: 'that uid made unique again', edit: (dir) => replace(dir, 'definitions/b/copy.ts', "uid: 'moved'", "uid: 'b-copy'"), env: ENV, exit: 0, evaluates: [2, 5], reuses: [2, 3] },
  { name: 'a dashboard of system c using a datasource no system exports', edit: (dir) => writeFileSync(path.join(dir, 'definitions/c/shared.ts'), USES_SHARED('C shared')), exit: 0 },
  { name: 'one of system b using it too', edit: (dir) => writeFileSync(path.join(dir, 'definitions/b/shared.ts'), USES_SHARED('B shared')), exit: 0 },
  { name: "system b's changed again", edit: (dir) => replace(dir, 'definitions/b/shared.ts', "title: 'B shared'", "title: 'B shared again'"), exit: 0 },
];

interface Built {
  code: number | null;
  json: string;
  out: Record<string, string>;
  /** What the build's timings say it evaluated. */
  evaluated?: { ran: number; of: number };
  /** What they say it took from its compile records. */
  compiled?: { reused: number; total: number };
}

function buildIn(dir: string, env: Record<string, string> = {}): Built {
  const result = runBin('mon-build', ['--format', 'json'], dir, { ...env, MONCODE_TIMINGS: '1' });
  const timings = result.stderr.split('\n').find((line) => line.startsWith('{"timings"'));
  let out: Record<string, string> = {};
  try {
    out = readTree(path.join(dir, 'out'));
  } catch {
    out = {};
  }
  const said = timings ? (JSON.parse(timings) as { timings: { evaluated?: { ran: number; of: number }; compileSystems?: { reused: number; total: number } } }).timings : undefined;
  const { evaluated, compileSystems: compiled } = said ?? {};
  return { code: result.code, json: result.stdout, out, ...(evaluated ? { evaluated } : {}), ...(compiled ? { compiled } : {}) };
}

/** The project's sources only (no cache, no out/), built in a new folder. */
function cleanBuildOf(dir: string, env: Record<string, string> = {}): Built {
  const copy = makeProject({});
  cpSync(dir, copy, { recursive: true, filter: (source) => !['out', 'node_modules'].includes(path.relative(dir, source).split(path.sep)[0]!) });
  mkdirSync(path.join(copy, 'node_modules'));
  const { evaluated: _evaluated, compiled: _compiled, ...built } = buildIn(copy, env);
  return built;
}

describe('an incremental build equals a clean build of the same tree', () => {
  const dir = makeProject(FILES);
  mkdirSync(path.join(dir, 'node_modules'));
  let lastGood: Record<string, string> = {};
  let lastJson = '';

  it('the first build', () => {
    const { evaluated, compiled, ...first } = buildIn(dir);
    expect(first.code, first.json).toBe(0);
    expect(evaluated).toEqual({ ran: 4, of: 4 });
    expect(compiled).toEqual({ reused: 0, total: 3 });
    expect(first).toEqual(cleanBuildOf(dir));
    lastGood = first.out;
    lastJson = first.json;
  }, 300_000);

  it.each(STEPS)(
    'after $name',
    ({ edit, env, exit, evaluates, reuses }) => {
      edit(dir);
      const { compiled, ...incremental } = buildIn(dir, env);
      const clean = cleanBuildOf(dir, env);
      expect(incremental.code, incremental.json).toBe(exit);
      if (evaluates) expect(incremental.evaluated).toEqual({ ran: evaluates[0], of: evaluates[1] });
      if (reuses) expect(compiled).toEqual({ reused: reuses[0], total: reuses[1] });
      expect(incremental.json).toBe(clean.json);
      // Each step changes what the build says or writes: none compares two identical builds.
      expect({ json: incremental.json, out: incremental.out }).not.toEqual({ json: lastJson, out: lastGood });
      lastJson = incremental.json;
      if (exit === 0) {
        expect(incremental.out).toEqual(clean.out);
        lastGood = incremental.out;
      } else {
        // A failed build writes nothing: out/ is still the last good build's, and the clean one has none.
        expect(incremental.out).toEqual(lastGood);
        expect(clean.out).toEqual({});
      }
    },
    300_000,
  );

  it('a build killed with SIGKILL mid-way, then a build: equal to a clean one', async () => {
    replace(dir, 'definitions/b/rules.ts', "make('b', 3)", "make('b', 4)");
    const env = { MONCODE_INCR_SUFFIX: '-env' };
    for (const after of [500, 2500]) {
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-build.js')], { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1', ...env } });
        const timer = setTimeout(() => child.kill('SIGKILL'), after);
        child.on('exit', () => (clearTimeout(timer), resolve()));
      });
    }
    const { evaluated: _evaluated, compiled: _compiled, ...next } = buildIn(dir, env);
    expect(next.code, next.json).toBe(0);
    expect(next).toEqual(cleanBuildOf(dir, env));
  }, 300_000);

  it.each([
    ['cut short', (bytes: Buffer) => bytes.subarray(0, Math.floor(bytes.length / 2))],
    ['overwritten', (bytes: Buffer) => Buffer.alloc(bytes.length, 7)],
  ])(
    'damaged compile records (%s) are compiled afresh: equal to a clean build',
    (_name, damage) => {
      const b = readFileSync(path.join(dir, 'definitions/b/rules.ts'), 'utf8').match(/make\('b', (\d+)\)/)![1]!;
      replace(dir, 'definitions/b/rules.ts', `make('b', ${b})`, `make('b', ${Number(b) + 1})`);
      const env = { MONCODE_INCR_SUFFIX: '-env' };
      buildIn(dir, env);
      const records = path.join(dir, 'node_modules', '.cache', 'moncode', 'systems');
      const compileRecords = readdirSync(records).filter((name) => name.startsWith('compile-'));
      expect(compileRecords.length).toBeGreaterThan(0);
      for (const name of compileRecords) writeFileSync(path.join(records, name), damage(readFileSync(path.join(records, name))));
      const a = readFileSync(path.join(dir, 'definitions/a/rules.ts'), 'utf8').match(/make\('a', (\d+)\)/)![1]!;
      replace(dir, 'definitions/a/rules.ts', `make('a', ${a})`, `make('a', ${Number(a) + 1})`);
      const { evaluated: _evaluated, compiled, ...next } = buildIn(dir, env);
      expect(compiled).toEqual({ reused: 0, total: 3 });
      expect(next.code, next.json).toBe(0);
      expect(next).toEqual(cleanBuildOf(dir, env));
    },
    300_000,
  );
});
