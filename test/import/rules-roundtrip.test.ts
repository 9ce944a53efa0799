import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { compareRuleGroups, ruleGroupsOf } from '../../src/import/compare-rules.js';
import { emptyCatalog } from '../../src/model/catalog.js';
import { LINT_RULE_IDS } from '../../src/model/suppression.js';
import { emptyInputs, readInputFile } from '../../src/read/index.js';
import { makeProject } from '../helpers/project.js';
import { requireShared } from '../helpers/shared.js';

/**
 * Every rule file of the corpus, imported into a throwaway project and built: the rule files
 * mon-build writes must hold the input's groups as values, after normalising what carries no
 * meaning (key order, `for: 0s`, `limit: 0`, empty maps, an expression's final newline).
 * One project per corpus source, so the corpus builds in a few batches, not one per file.
 * The same build is also what `mon-import --report` compares (compare-rules.ts): it must find
 * no difference either, so the report and this test's own normalising agree over the corpus.
 */

const corpus = requireShared('corpus/rules');

type Group = Record<string, unknown>;

/** A group as Prometheus means it. */
function normalizeGroup(group: Group): string {
  const out: Record<string, unknown> = { name: group.name };
  for (const key of ['interval', 'query_offset', 'partial_response_strategy'] as const) if (group[key] !== undefined && group[key] !== null) out[key] = String(group[key]);
  if (group.limit !== undefined && group.limit !== null && group.limit !== 0) out.limit = group.limit;
  if (group.labels && Object.keys(group.labels).length > 0) out.labels = textMap(group.labels);
  out.rules = ((group.rules as Group[] | null) ?? []).map((rule) => {
    const r: Record<string, unknown> = rule.alert !== undefined ? { alert: rule.alert } : { record: rule.record };
    r.expr = String(rule.expr).trim();
    for (const key of ['for', 'keep_firing_for'] as const) if (rule[key] !== undefined && !/^0+[a-z]*$/.test(String(rule[key]))) r[key] = String(rule[key]);
    for (const key of ['labels', 'annotations'] as const) if (rule[key] && Object.keys(rule[key]).length > 0) r[key] = textMap(rule[key]);
    return r;
  });
  return JSON.stringify(out);
}

/** Where two normalised groups part, for the failure message. */
function firstDifference(want: string, got: string): string {
  let i = 0;
  while (i < want.length && want[i] === got[i]) i++;
  return `input …${want.slice(Math.max(0, i - 80), i + 80)}… built …${got.slice(Math.max(0, i - 80), i + 80)}…`;
}

function textMap(map: unknown): Record<string, string> {
  const entries = Object.entries(map as Record<string, unknown>).map(([k, v]) => [k, v === null ? '' : String(v)] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : 1)));
}

function inputGroups(file: string): Group[] {
  return parseAllDocuments(readFileSync(file, 'utf8'), { merge: true }).flatMap((doc) => {
    const value = doc.toJS({ maxAliasCount: -1 }) as Record<string, unknown> | null;
    if (!value) return [];
    const groups = (value.kind === 'PrometheusRule' ? (value.spec as Group | undefined)?.groups : value.groups) as Group[] | undefined;
    return groups ?? [];
  });
}

const sources = corpus.present
  ? Object.entries(
      readdirSync(corpus.path)
        .filter((name) => /\.(ya?ml|json)$/.test(name))
        .sort()
        .reduce<Record<string, string[]>>((all, name) => {
          const source = name.split('__')[0]!;
          (all[source] ??= []).push(path.join(corpus.path, name));
          return all;
        }, {}),
    )
  : [];

const CONFIG = `import { defineConfig } from 'moncode';
export default defineConfig({
  prometheus: { version: '3.5', features: ['promql-experimental-functions'] },
  lint: { rules: { ${LINT_RULE_IDS.map((id) => `'${id}': 'off'`).join(', ')} } },
});
`;

describe.skipIf(!corpus.present)('rule files of the corpus round-trip through mon-import and mon-build', () => {
  const figures = { files: 0, equal: 0, groups: 0 };
  it.each(sources)('%s', { timeout: 600_000 }, async (source, files) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG });
    const imported = await runImport({ cwd: dir, paths: files, system: source.replace(/[^\w.-]/g, '-') });
    expect(imported.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const built = await build({ cwd: dir, check: true });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.rule}: ${d.message}`)).toEqual([]);
    const report = emptyInputs(emptyCatalog());
    for (const file of files) readInputFile(file, report, { system: source });
    const builtGroups = built.outputs.filter((f) => f.path.startsWith('prometheus/rules/')).flatMap((f) => ruleGroupsOf(f.content));
    expect(builtGroups.length).toBeGreaterThan(0);
    const reported = compareRuleGroups(report.ruleGroups, (file) => readFileSync(file, 'utf8'), builtGroups);
    expect(reported.map((d) => `${path.basename(d.where && 'file' in d.where ? d.where.file : '?')}: ${d.message}`)).toEqual([]);
    const output = new Map<string, number>();
    for (const file of built.outputs) {
      if (!file.path.startsWith('prometheus/rules/')) continue;
      for (const doc of parseAllDocuments(file.content)) {
        for (const group of ((doc.toJS() as { groups?: Group[] }).groups ?? []).map(normalizeGroup)) output.set(group, (output.get(group) ?? 0) + 1);
      }
    }
    const unequal: string[] = [];
    for (const file of files) {
      const groups = inputGroups(file);
      figures.files++;
      figures.groups += groups.length;
      const missing = groups.map(normalizeGroup).filter((group) => {
        const left = output.get(group) ?? 0;
        if (left === 0) return true;
        output.set(group, left - 1);
        return false;
      });
      if (missing.length === 0) figures.equal++;
      else {
        const name = (JSON.parse(missing[0]!) as { name: string }).name;
        const near = [...output.keys()].find((g) => (JSON.parse(g) as { name: string }).name === name);
        unequal.push(`${path.basename(file)}: ${firstDifference(missing[0]!, near ?? '')}`);
      }
    }
    expect(unequal).toEqual([]);
  });
  it('are all equal', () => {
    console.log(`rule round trip: ${figures.equal}/${figures.files} files equal (${figures.groups} groups)`);
    expect(figures.equal).toBe(figures.files);
  });
});
