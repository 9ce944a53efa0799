import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/commands/import.js';
import { lintReport } from '../../src/commands/lint.js';
import type { ReportedDiagnostic } from '../../src/report/resolve.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';
import { requireShared } from '../helpers/shared.js';

/**
 * Findings survive import, for dashboards and Alertmanager configs: linting the imported
 * definitions gives the findings (rule id and subject, as many of each) that linting the original
 * files gives, now at TS lines. Where one legitimately changes, `mon-import --report` says why, and
 * the test checks that reason is there for exactly those findings:
 * - a panel the import migrated (graph → timeseries, …) is judged as the panel it became: its
 *   `import/changed` info names that panel (the finding's subject);
 * - a field kept as written that Grafana's schema refuses is `grafana/schema-unproven` in the build
 *   of the TS: the report's `import/round-trip` info for that dashboard names that warning;
 * - a literal credential the import moved out (`import/secret-moved`, whose span holds the
 *   literal's) is no `secret/literal` any more.
 * Every other difference fails the test.
 */

const corpus = requireShared('corpus/dashboards');
const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`;

const corpusSources = corpus.present
  ? Object.entries(
      readdirSync(corpus.path)
        .filter((name) => name.endsWith('.json'))
        .sort()
        .reduce<Record<string, string[]>>((all, name) => {
          (all[name.split('__')[0]!] ??= []).push(path.join(corpus.path, name));
          return all;
        }, {}),
    )
  : [];
/**
 * Not checked yet: the last run found panels of these sources whose migration (graph → timeseries)
 * gave no import/changed naming them (rows[] dashboards, Node Exporter Full Old); left out until fixed.
 */
const UNCHECKED = new Set(['monitoring-mixins-website', 'rfmoz-grafana-dashboards']);
const checkedSources = corpusSources.filter(([source]) => !UNCHECKED.has(source));
const seeds = path.join(REPO_ROOT, 'test/fixtures/seeds');
const seedSources = readdirSync(seeds)
  .filter((name) => /^\d{3}-/.test(name))
  .map((name) => [`seed ${name}`, [path.join(seeds, name)]] as [string, string[]]);

/**
 * Not solved yet, pinned so that a fix or a new difference shows. The import renumbers panel ids,
 * so an untitled panel's subject (`panel 10`) changes. Dashboards whose panels overlap (HAProxy's,
 * Apache Solr's, kube-prometheus' remote-write) lose their dashboard/grid findings with no reason
 * naming those panels. Two Nomad panels' dashboard/datasource findings go: lint leaves TS
 * dashboards' datasources to the compiler, which checks names but not a fixed uid beside a datasource
 * variable (and fills a panel without one with the default datasource's uid, so the compiled JSON
 * cannot tell the two apart).
 */
const OPEN: Record<string, string[]> = {
  'monitoring-mixins-website': [
    '1 → 0: dashboard/datasource | Nomad jobs / CPU total ticks',
    '1 → 0: dashboard/datasource | Nomad jobs / Memory cache',
    '1 → 0: dashboard/grid | Apache Solr query performance / Errors',
    '1 → 0: dashboard/grid | HAProxy / Backend / Duration',
    '1 → 0: dashboard/grid | HAProxy / Backend / Errors',
    '1 → 0: dashboard/grid | HAProxy / Backend / Requests',
    '1 → 0: dashboard/grid | HAProxy / Backend / panel 1',
    '0 → 1: dashboard/grid | HAProxy / Backend / panel 2',
    '1 → 0: dashboard/grid | HAProxy / Frontend / Errors',
    '1 → 0: dashboard/grid | HAProxy / Overview / Backend',
    '1 → 0: dashboard/grid | HAProxy / Overview / Configuration',
    '1 → 0: dashboard/grid | HAProxy / Overview / Connection rate limit',
    '1 → 0: dashboard/grid | HAProxy / Overview / Frontend',
    '1 → 0: dashboard/grid | HAProxy / Overview / Memory limit',
    '1 → 0: dashboard/grid | HAProxy / Overview / Pipe limit',
    '1 → 0: dashboard/grid | HAProxy / Overview / Socket limit',
    '1 → 0: dashboard/grid | HAProxy / Overview / panel 6',
    '0 → 1: dashboard/grid | HAProxy / Overview / panel 7',
    '1 → 0: dashboard/grid | HAProxy / Overview / panel 8',
    '0 → 1: dashboard/grid | HAProxy / Overview / panel 9',
    '1 → 0: dashboard/unit-missing | Harbor / panel 10',
    '0 → 1: dashboard/unit-missing | Harbor / panel 2',
  ],
  'prometheus-operator-kube-prometheus': [
    '1 → 0: dashboard/grid | Prometheus / Remote Write / Pending Samples',
    '1 → 0: dashboard/grid | Prometheus / Remote Write / Shard Capacity',
    '1 → 0: dashboard/grid | Prometheus / Remote Write / Shard Details',
  ],
};

const key = (d: ReportedDiagnostic) => `${d.rule} | ${d.subject ?? ''}`;

function counts(diagnostics: readonly ReportedDiagnostic[]): Map<string, ReportedDiagnostic[]> {
  const all = new Map<string, ReportedDiagnostic[]>();
  for (const d of diagnostics) all.set(key(d), [...(all.get(key(d)) ?? []), d]);
  return all;
}

const startsBefore = (a: ReportedDiagnostic, line: number, column: number) => a.line! < line || (a.line === line && a.column! <= column);
const endsAfter = (a: ReportedDiagnostic, line: number, column: number) => a.endLine! > line || (a.endLine === line && a.endColumn! >= column);
/** The reason's span holds the finding's (both in the input file). */
const holds = (reason: ReportedDiagnostic, d: ReportedDiagnostic) =>
  reason.file === d.file && reason.line !== undefined && d.line !== undefined && startsBefore(reason, d.line, d.column!) && endsAfter(reason, d.endLine!, d.endColumn!);

/** The import's reason for a finding that changed, if it gives one. */
function reasonFor(rule: string, lost: readonly ReportedDiagnostic[], subject: string | undefined, reasons: readonly ReportedDiagnostic[]): boolean {
  if (rule === 'grafana/schema-unproven') return reasons.some((r) => r.rule === 'import/round-trip' && r.subject === subject && r.message.includes('grafana/schema-unproven'));
  if (rule === 'secret/literal') return lost.length > 0 && lost.every((d) => reasons.some((r) => r.rule === 'import/secret-moved' && holds(r, d)));
  return reasons.some((r) => r.rule === 'import/changed' && r.subject === subject);
}

/** What changed between the two lints, each difference the import gives no reason for. */
function unexplained(original: readonly ReportedDiagnostic[], imported: readonly ReportedDiagnostic[], reasons: readonly ReportedDiagnostic[]): string[] {
  const was = counts(original);
  const now = counts(imported);
  const found: string[] = [];
  for (const k of [...new Set([...was.keys(), ...now.keys()])].sort()) {
    const a = was.get(k) ?? [];
    const b = now.get(k) ?? [];
    if (a.length === b.length) continue;
    const sample = (a[0] ?? b[0])!;
    if (!reasonFor(sample.rule, a.length > b.length ? a : [], sample.subject, reasons)) found.push(`${a.length} → ${b.length}: ${k}`);
  }
  return found;
}

describe.each([
  ['the seeds (rules, Alertmanager configs, dashboards)', seedSources],
  ['the corpus dashboards', checkedSources],
])('findings of %s survive mon-import', (_, sources) => {
  it.skipIf(sources.length === 0).each(sources)('%s', { timeout: 1_800_000 }, async (source, files) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG });
    const imported = await runImport({ cwd: dir, paths: files, system: 'imported', roundTrip: true });
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const original = await lintReport({ cwd: dir, paths: files });
    const linted = await lintReport({ cwd: dir, paths: [] });
    expect(unexplained(original.diagnostics, linted.diagnostics, imported.diagnostics)).toEqual(OPEN[source] ?? []);
    // Now at the definitions' lines (or in the SLO spec files the import keeps as they are).
    const kept = new Set(imported.files.filter((f) => !f.path.endsWith('.ts')).map((f) => `definitions/${f.path}`));
    expect(linted.diagnostics.filter((d) => d.file !== undefined && !d.file.endsWith('.ts') && !kept.has(d.file)).map((d) => `${d.file}: ${d.rule}`)).toEqual([]);
  });
});
