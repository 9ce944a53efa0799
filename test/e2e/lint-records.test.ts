import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findProject } from '../../src/load/project.js';
import { systemRecordsDir } from '../../src/load/system-cache.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

/**
 * mon-build keeps each system's lint findings in its cache folder: the next build re-lints only the
 * systems an edit changed (all of them when what the others read changed), a record that cannot be
 * read is re-linted, and the report is a clean build's every time.
 */
const FILES: Record<string, string> = {
  'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`,
  'definitions/a/dash.ts': `import { dashboard, prom, timeseries } from 'moncode';
export default dashboard({
  title: 'A board',
  panels: [timeseries({ title: 'Requests', unit: 'reqps', targets: [prom('sum(rate(http_requests_total{job="a"}[5m]))')] })],
});
`,
  'definitions/a/rules.ts': `import { recordingRule, ruleGroup } from 'moncode';
export default ruleGroup({ name: 'a', rules: [recordingRule({ record: 'job:a_requests:rate5m', expr: 'sum by (job) (rate(http_requests_total{job="a"}[5m]))' })] });
`,
  'definitions/b/rules.ts': `import { alertRule, ruleGroup } from 'moncode';
export default ruleGroup({
  name: 'b',
  rules: [
    alertRule({ alert: 'ARequestsLow', expr: 'job:a_requests:rate5m < 1', for: '10m', labels: { severity: 'warning' }, annotations: { summary: '{{ $labels.instance }} gets few requests', description: 'Requests to a are under 1/s', runbook_url: 'https://runbooks.example.com/a-low' } }),
  ],
});
`,
};

function replace(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(full, text.replace(from, to));
}

function build(dir: string): { code: number | null; json: string; linted?: string[] } {
  const result = runBin('mon-build', ['--format', 'json'], dir, { MONCODE_TIMINGS: '1' });
  const line = result.stderr.split('\n').find((l) => l.startsWith('{"timings"'));
  const timings = line ? (JSON.parse(line) as { timings: { lintSystems?: { linted: string[] } } }).timings : undefined;
  return { code: result.code, json: result.stdout, linted: timings?.lintSystems?.linted };
}

function cleanBuild(dir: string): string {
  const copy = makeProject({});
  cpSync(dir, copy, { recursive: true, filter: (source) => !['out', 'node_modules'].includes(path.relative(dir, source).split(path.sep)[0]!) });
  mkdirSync(path.join(copy, 'node_modules'));
  return build(copy).json;
}

/** The `lint` layer's files among the per-system records: one per system and the index naming them. */
function records(dir: string): string[] {
  const folder = systemRecordsDir(findProject(dir));
  return readdirSync(folder)
    .filter((name) => name.startsWith('lint-'))
    .map((name) => path.join(folder, name));
}

describe("mon-build's per-system lint records", () => {
  it('re-lint only what an edit changed, and what a fact reaches', () => {
    const dir = makeProject(FILES);
    mkdirSync(path.join(dir, 'node_modules'));
    const first = build(dir);
    // b's template reads a label a's recording drops: an error, which keeps out/ unwritten but the records kept.
    expect(first.json).toContain('label/template-missing');
    expect(first.linted).toEqual(['a', 'b']);
    expect(records(dir)).toHaveLength(3);

    replace(dir, 'definitions/a/dash.ts', "'A board'", "'A front board'");
    const title = build(dir);
    expect(title.linted).toEqual(['a']);
    expect(title.json).toBe(cleanBuild(dir));

    replace(dir, 'definitions/a/rules.ts', 'sum by (job) (rate', 'sum by (job, instance) (rate');
    const fact = build(dir);
    expect(fact.linted).toEqual(['a', 'b']);
    expect(fact.json).not.toContain('label/template-missing');
    expect(fact.json).toBe(cleanBuild(dir));

    for (const file of records(dir)) writeFileSync(file, '{"key": "damaged');
    replace(dir, 'definitions/a/dash.ts', "'A front board'", "'A board'");
    const damaged = build(dir);
    expect(damaged.code).toBe(0);
    expect(damaged.linted).toEqual(['a', 'b']);
    expect(damaged.json).toBe(cleanBuild(dir));

    // A system that is gone leaves no record behind.
    rmSync(path.join(dir, 'definitions/b'), { recursive: true });
    const gone = build(dir);
    expect(gone.code).toBe(0);
    expect(records(dir)).toHaveLength(2);
  }, 600_000);
});
