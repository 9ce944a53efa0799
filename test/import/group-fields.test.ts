import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { emptyCatalog } from '../../src/model/catalog.js';
import { emptyInputs, readInputFile } from '../../src/read/index.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

/**
 * Every rule-group field of every flavor the reader accepts comes back through mon-import and
 * mon-build as it was written: Prometheus' interval, limit, query_offset (2.53) and labels (3.0),
 * Thanos' partial_response_strategy, Mimir's source_tenants, evaluation_delay and
 * align_evaluation_time_on_interval. The import says which target the field needs (import/target),
 * the build for that target writes the field, and `--report` finds no difference.
 */

const promtool = requireTool('promtool');

const rules = (fields: string) => `groups:\n  - name: g\n${fields}    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n`;

interface Case {
  name: string;
  fields: string;
  /** The target the import names (import/target), as the mon.config.ts setting; '' for none. */
  setting: string;
  ts: string[];
  out: string;
  /** The group as the build writes it, besides name and rules. */
  written: Record<string, unknown>;
  /** promtool 2.42 knows every field written. */
  promtool?: boolean;
}

const CASES: Case[] = [
  {
    name: 'Prometheus interval and limit',
    fields: '    interval: 30s\n    limit: 10\n',
    setting: '',
    ts: [`interval: '30s'`, 'limit: 10'],
    out: 'prometheus/rules/s.rules.yml',
    written: { interval: '30s', limit: 10 },
    promtool: true,
  },
  {
    name: 'Prometheus 2.53 query_offset',
    fields: '    query_offset: 1m\n',
    setting: `prometheus: { version: '2.53' }`,
    ts: [`query_offset: '1m'`],
    out: 'prometheus/rules/s.rules.yml',
    written: { query_offset: '1m' },
  },
  {
    name: 'Prometheus 3.0 group labels',
    fields: '    labels: { team: db }\n',
    setting: `prometheus: { version: '3.0' }`,
    ts: [`labels: { team: 'db' }`],
    out: 'prometheus/rules/s.rules.yml',
    written: { labels: { team: 'db' } },
  },
  {
    name: "Thanos' partial_response_strategy",
    fields: '    partial_response_strategy: abort\n',
    setting: `prometheus: { flavor: 'thanos' }`,
    ts: [`partial_response_strategy: 'abort'`],
    out: 'prometheus/rules/s.rules.yml',
    written: { partial_response_strategy: 'abort' },
  },
  {
    name: "the Prometheus Operator's upper-case strategy",
    fields: '    partial_response_strategy: WARN\n',
    setting: `prometheus: { flavor: 'thanos' }`,
    ts: [`partial_response_strategy: 'warn'`],
    out: 'prometheus/rules/s.rules.yml',
    written: { partial_response_strategy: 'warn' },
  },
  {
    name: "Mimir's source_tenants",
    fields: '    source_tenants: [team-a, team-b]\n',
    setting: `prometheus: { flavor: 'mimir' }`,
    ts: [`source_tenants: ['team-a', 'team-b']`],
    out: 'mimir/s/s.yaml',
    written: { source_tenants: ['team-a', 'team-b'] },
  },
  {
    name: "Mimir's evaluation_delay and align_evaluation_time_on_interval",
    fields: '    interval: 1m\n    evaluation_delay: 2m\n    align_evaluation_time_on_interval: true\n',
    setting: `prometheus: { flavor: 'mimir' }`,
    ts: [`evaluation_delay: '2m'`, 'align_evaluation_time_on_interval: true'],
    out: 'mimir/s/s.yaml',
    written: { interval: '1m', evaluation_delay: '2m', align_evaluation_time_on_interval: true },
  },
  {
    name: 'a Mimir federated group with query_offset and labels',
    fields: '    source_tenants: [a]\n    query_offset: 30s\n    labels: { tier: "1" }\n',
    setting: `prometheus: { flavor: 'mimir' }`,
    ts: [`source_tenants: ['a']`, `query_offset: '30s'`, `labels: { tier: '1' }`],
    out: 'mimir/s/s.yaml',
    written: { source_tenants: ['a'], query_offset: '30s', labels: { tier: '1' } },
  },
];

describe('rule-group fields of every flavor round-trip through mon-import', () => {
  it.each(CASES)('$name', { timeout: 180_000 }, async ({ fields, setting, ts, out, written, promtool: check }) => {
    const dir = makeProject({ 'in/rules.yml': rules(fields) });
    const imported = await runImport({ cwd: dir, paths: ['in'], system: 's', roundTrip: true });
    expect(imported.diagnostics.filter((d) => d.severity === 'error' || d.rule === 'import/round-trip').map((d) => `${d.rule}: ${d.message}`)).toEqual([]);
    const targets = imported.diagnostics.filter((d) => d.rule === 'import/target').map((d) => d.message);
    if (setting === '') expect(targets).toEqual([]);
    else for (const message of targets) expect(message).toContain(`set systems['s'] = { ${setting} }`);
    if (setting !== '') expect(targets.length).toBeGreaterThan(0);
    const module = readFileSync(path.join(dir, 'definitions/s/recording.ts'), 'utf8');
    for (const text of ts) expect(module).toContain(text);

    writeFileSync(path.join(dir, 'mon.config.ts'), `import { defineConfig } from 'moncode';\nexport default defineConfig({ systems: { s: { ${setting} } } });\n`);
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const group = (YAML.parse(readFileSync(path.join(dir, 'out', out), 'utf8')) as { groups: Array<Record<string, unknown>> }).groups[0]!;
    const { name, rules: _, ...rest } = group;
    expect(name).toBe('g');
    expect(rest).toEqual(written);
    if (check && promtool) {
      const result = runTool(promtool, ['check', 'rules', path.join(dir, 'out', out)]);
      expect(result.output).toContain('SUCCESS');
      expect(result.code).toBe(0);
    }
  });
});

describe('the reader refuses a group field it cannot keep, at its value', () => {
  it.each<{ name: string; fields: string; want: string }>([
    { name: 'source_tenants not a list', fields: '    source_tenants: team-a\n', want: '3:21-3:27 `source_tenants` must be a list of tenant IDs, got "team-a"' },
    { name: 'a tenant not an ID', fields: '    source_tenants: [a, 7]\n', want: '3:25-3:26 a tenant of `source_tenants` is a tenant ID, got 7' },
    { name: 'align not a boolean', fields: '    align_evaluation_time_on_interval: "yes"\n', want: '3:41-3:44 `align_evaluation_time_on_interval` is "yes", not true or false' },
    { name: 'an unknown strategy', fields: '    partial_response_strategy: sometimes\n', want: '3:32-3:41 `partial_response_strategy` is "sometimes", not "warn" or "abort"' },
    { name: 'evaluation_delay not a duration', fields: '    evaluation_delay: soon\n', want: '3:23-3:27 `evaluation_delay` is "soon", not a duration such as 30s, 5m or 1h30m' },
  ])('$name', ({ fields, want }) => {
    const dir = makeProject({ 'r.yml': rules(fields) });
    const file = path.join(dir, 'r.yml');
    const inputs = emptyInputs(emptyCatalog());
    readInputFile(file, inputs, { system: 's' });
    const text = readFileSync(file, 'utf8');
    const lineCol = (offset: number) => {
      const before = text.slice(0, offset).split('\n');
      return `${before.length}:${before[before.length - 1]!.length + 1}`;
    };
    expect(
      inputs.diagnostics.map((d) => {
        const span = d.where as { start: number; end: number };
        return `${lineCol(span.start)}-${lineCol(span.end)} ${d.message}`;
      }),
    ).toEqual([want]);
    expect(inputs.ruleGroups[0]?.source_tenants).toBeUndefined();
  });
});
