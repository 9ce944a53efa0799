import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { compareDashboards } from '../../src/import/compare.js';
import { migrateDashboard } from '../../src/import/migrate.js';
import { slugify } from '../../src/model/datasource.js';
import { LINT_RULE_IDS } from '../../src/model/suppression.js';
import { validateDashboard } from '../helpers/grafana-schema.js';
import { makeProject } from '../helpers/project.js';
import { requireShared } from '../helpers/shared.js';

/**
 * Every dashboard of the corpus, imported into a throwaway project and built (type-check
 * included): each must build, and the dashboard mon-build writes must equal the input panel by
 * panel after Grafana's own migration of the input (src/import/compare.ts says what "equal" leaves
 * out). One project per corpus source.
 */

const corpus = requireShared('corpus/dashboards');

const CONFIG = `import { defineConfig } from 'moncode';
export default defineConfig({ lint: { rules: { ${LINT_RULE_IDS.map((id) => `'${id}': 'off'`).join(', ')} } } });
`;

type Json = Record<string, unknown>;

const sources = corpus.present
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

describe.skipIf(!corpus.present)('dashboards of the corpus round-trip through mon-import and mon-build', () => {
  const figures = { dashboards: 0, built: 0, equal: 0, panels: 0, valid: 0, unproven: 0 };
  const unnamed: string[] = [];
  const unequal: string[] = [];
  it.each(sources)('%s', { timeout: 900_000 }, async (source, files) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG });
    const system = source.replace(/[^\w.-]/g, '-');
    const imported = await runImport({ cwd: dir, paths: files, system });
    expect(imported.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const built = await build({ cwd: dir, check: true });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column}: ${d.rule}: ${d.message}`)).toEqual([]);
    const outputs = new Map<string, Json>();
    for (const file of built.outputs) if (file.path.startsWith('grafana/dashboards/')) outputs.set(path.basename(file.path, '.json'), JSON.parse(file.content) as Json);
    for (const file of files) {
      const input = JSON.parse(readFileSync(file, 'utf8')) as Json;
      figures.dashboards++;
      const uid = typeof input.uid === 'string' && input.uid !== '' ? input.uid : slugify(String(input.title));
      const output = outputs.get(uid);
      expect(output, `${path.basename(file)}: no dashboard ${uid} in out/`).toBeDefined();
      figures.built++;
      // Valid against the schemas generated from @grafana/schema, or the build says why at the field.
      const invalid = validateDashboard(output!);
      const warned = built.diagnostics.some((d) => d.rule === 'grafana/schema-unproven' && d.subject === output!.title);
      if (invalid.length === 0) figures.valid++;
      else if (warned) figures.unproven++;
      else unnamed.push(`${path.basename(file)}: ${invalid.slice(0, 3).join('; ')}`);
      expect(warned && invalid.length === 0, `${path.basename(file)}: schema-unproven although the dashboard validates`).toBe(false);
      const { json } = migrateDashboard(input);
      figures.panels += JSON.stringify(json.panels ?? []).split('"type"').length;
      const differences = compareDashboards(json, output!);
      if (differences.length === 0) figures.equal++;
      else
        unequal.push(
          `${path.basename(file)}: ${differences.length} differences, ${differences
            .slice(0, process.env.ROUNDTRIP_SHOW ? 100 : 1)
            .map((d) => `\n  ${d.at}: ${d.message}`)
            .join('')}`,
        );
    }
  });
  it('all build and at least 97% are fully equal', () => {
    console.log(`dashboard round trip: ${figures.built}/${figures.dashboards} built, ${figures.equal} fully equal (${((100 * figures.equal) / Math.max(1, figures.dashboards)).toFixed(1)}%)`);
    console.log(`schema: ${figures.valid} valid, ${figures.unproven} with grafana/schema-unproven naming the fields, ${unnamed.length} invalid without a diagnostic`);
    console.log(unequal.join('\n'));
    expect(figures.built).toBe(figures.dashboards);
    expect(unnamed).toEqual([]);
    expect(figures.equal / figures.dashboards).toBeGreaterThanOrEqual(0.97);
  });
});
