import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDefinitionFiles } from '../../src/load/collect.js';
import { typecheck } from '../../src/load/typecheck.js';
import { makeProject } from '../helpers/project.js';

const caches: string[] = [];
afterAll(() => {
  for (const dir of caches) rmSync(dir, { recursive: true, force: true });
});

function cacheDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-tc-'));
  caches.push(dir);
  return dir;
}

/** Three systems: a dashboard importing its datasource, a rule group, a system built by a shared helper; a file augmenting moncode's severities. */
const PROJECT: Record<string, string> = {
  'definitions/web/datasources.ts': `import { datasource } from 'moncode';\nexport const metrics = datasource({ name: 'web Prometheus', type: 'prometheus', uid: 'web-prom', url: 'http://prometheus:9090' });\n`,
  'definitions/web/dashboard.ts': `import { dashboard, prom, timeseries } from 'moncode';\nimport { metrics } from './datasources';\n\nexport default dashboard({\n  title: 'Web',\n  datasource: metrics,\n  panels: [timeseries({ title: 'Requests', targets: [prom('sum(rate(http_requests_total[5m]))')] })],\n});\n`,
  'definitions/api/rules.ts': `import { alertRule, ruleGroup } from 'moncode';\n\nexport default ruleGroup({ name: 'api', rules: [alertRule({ alert: 'ApiDown', expr: 'up{job="api"} == 0', for: '5m', labels: { severity: 'page' }, annotations: { summary: 'API down' } })] });\n`,
  'definitions/shared/make.ts': `import { alertRule } from 'moncode';\nexport function make(job: string, threshold: number) {\n  return alertRule({ alert: \`\${job}Errors\`, expr: \`rate(errors_total{job="\${job}"}[5m]) > \${threshold}\`, labels: { severity: 'warning' }, annotations: { summary: 'errors' } });\n}\n`,
  'definitions/shared/via.ts': `export { make } from './make';\n`,
  'definitions/jobs/rules.ts': `import { ruleGroup } from 'moncode';\nimport { make } from '../shared/via';\n\nexport default ruleGroup({ name: 'jobs', rules: [make('jobs', 5)] });\n`,
  'definitions/shared/severities.ts': `export {};\ndeclare module 'moncode' {\n  interface Severities { page: true }\n}\n`,
};

function check(dir: string, cache: string) {
  const definitions = path.join(dir, 'definitions');
  const { systems, libraries } = listDefinitionFiles(definitions);
  const result = typecheck([...systems, ...libraries], definitions, cache);
  const shown = result.diagnostics
    .map((d) => {
      const at = d.where && 'file' in d.where ? `${path.relative(dir, d.where.file)}:${d.where.start}-${d.where.end}` : '';
      return `${at} ${d.message}`;
    })
    .sort();
  return { ...result, shown };
}

function edit(dir: string, file: string, from: string | RegExp, to: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  const next = text.replace(from, to);
  if (next === text) throw new Error(`edit of ${file} changed nothing`);
  writeFileSync(full, next);
}

type Edit = [file: string, from: string | RegExp, to: string];

/**
 * Each case edits the checked project, then checks it again with the same cache (the incremental
 * check) and with an empty one (a clean full check, the oracle): the diagnostics must be equal, and
 * the incremental one must have been partial or not as the case says.
 */
const CASES: Array<{ name: string; edits: Edit[]; partial: boolean; errors: number }> = [
  { name: 'a string in a dashboard', edits: [['definitions/web/dashboard.ts', "title: 'Web'", "title: 'Web front'"]], partial: true, errors: 0 },
  { name: 'a type error in the edited file', edits: [['definitions/web/dashboard.ts', "title: 'Web'", 'title: 42']], partial: true, errors: 1 },
  {
    name: 'an imported export changes type: the error is in the unchanged importer',
    edits: [['definitions/web/datasources.ts', /export const metrics = .*/, 'export const metrics = 5;']],
    partial: true,
    errors: 1,
  },
  {
    name: 'a helper two imports away changes its signature: the unchanged system that calls it fails',
    edits: [['definitions/shared/make.ts', 'threshold: number', 'threshold: string']],
    partial: true,
    errors: 1,
  },
  { name: "a rule with the augmentation's severity (the augmentation is in the partial program)", edits: [['definitions/api/rules.ts', "for: '5m'", "for: '6m'"]], partial: true, errors: 0 },
  {
    name: 'the augmentation itself changes: every file checked again (full)',
    edits: [['definitions/shared/severities.ts', 'page: true', 'ticket: true']],
    partial: false,
    errors: 1,
  },
  {
    name: 'an edited module becomes an augmentation: full',
    edits: [['definitions/shared/via.ts', "export { make } from './make';", "export { make } from './make';\ndeclare module 'moncode' {\n  interface Severities { ticket: true }\n}"]],
    partial: false,
    errors: 0,
  },
  {
    name: 'two systems edited at once, one broken',
    edits: [
      ['definitions/api/rules.ts', "for: '5m'", "for: '10m'"],
      ['definitions/jobs/rules.ts', "make('jobs', 5)", "make('jobs')"],
    ],
    partial: true,
    errors: 1,
  },
];

describe('partial type-check after a quiet one', () => {
  for (const { name, edits, partial, errors } of CASES) {
    it(name, () => {
      const dir = makeProject(PROJECT);
      const cache = cacheDir();
      const first = check(dir, cache);
      expect(first.shown).toEqual([]);
      expect(check(dir, cache)).toMatchObject({ cached: true });
      for (const [file, from, to] of edits) edit(dir, file, from, to);
      const incremental = check(dir, cache);
      const clean = check(dir, cacheDir());
      expect(incremental.shown).toEqual(clean.shown);
      expect(incremental.shown).toHaveLength(errors);
      expect(Boolean(incremental.partial)).toBe(partial);
      expect([...incremental.files].sort()).toEqual([...clean.files].sort());
      // And again: unchanged since, so cached when quiet, the same diagnostics when not.
      const again = check(dir, cache);
      if (errors === 0) expect(again.cached).toBe(true);
      else expect(again.shown).toEqual(clean.shown);
    });
  }

  it('an error fixed by a partial check leaves a state the next edit builds on', () => {
    const dir = makeProject(PROJECT);
    const cache = cacheDir();
    check(dir, cache);
    edit(dir, 'definitions/web/datasources.ts', /export const metrics = .*/, 'export const metrics = 5;');
    expect(check(dir, cache).shown).toHaveLength(1);
    // Back as it was: the state of the quiet check holds again.
    edit(dir, 'definitions/web/datasources.ts', 'export const metrics = 5;', PROJECT['definitions/web/datasources.ts']!.split('\n')[1]!);
    expect(check(dir, cache)).toMatchObject({ cached: true, shown: [] });
    // Fixed otherwise: checked partially, and that quiet check is recorded.
    edit(dir, 'definitions/web/datasources.ts', /export const metrics = .*/, 'export const metrics = 5;');
    expect(check(dir, cache).shown).toHaveLength(1);
    edit(dir, 'definitions/web/datasources.ts', 'export const metrics = 5;', PROJECT['definitions/web/datasources.ts']!.split('\n')[1]!.replace("'web Prometheus'", "'web metrics'"));
    expect(check(dir, cache)).toMatchObject({ partial: true, shown: [] });
    expect(check(dir, cache).cached).toBe(true);
    edit(dir, 'definitions/shared/make.ts', 'threshold: number', 'threshold: string');
    const broken = check(dir, cache);
    expect(broken.partial).toBe(true);
    expect(broken.shown).toEqual(check(dir, cacheDir()).shown);
    expect(broken.shown).toHaveLength(1);
  });

  it('a file added or removed is a full check', () => {
    const dir = makeProject(PROJECT);
    const cache = cacheDir();
    check(dir, cache);
    writeFileSync(path.join(dir, 'definitions/api/more.ts'), `export const n: number = 'x';\n`);
    const added = check(dir, cache);
    expect(added.partial).toBeFalsy();
    expect(added.shown).toEqual(check(dir, cacheDir()).shown);
    expect(added.shown).toHaveLength(1);
    rmSync(path.join(dir, 'definitions/api/more.ts'));
    const removed = check(dir, cache);
    expect(removed.partial).toBeFalsy();
    expect(removed.shown).toEqual([]);
  });
});
