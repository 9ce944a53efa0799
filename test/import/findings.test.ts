import { readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { runLint } from '../../src/commands/lint.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { isSpan } from '../../src/model/source-location.js';
import { LINT_RULE_IDS } from '../../src/model/suppression.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';
import { requireShared } from '../helpers/shared.js';

/**
 * Findings survive import: linting the imported definitions gives the same findings (rule id and
 * subject, as many of each) as linting the original rule files, now at TS lines. One project
 * per corpus source, with the default lint settings.
 */

const corpus = requireShared('corpus/rules');
const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`;

const sources = corpus.present
  ? Object.entries(
      readdirSync(corpus.path)
        .filter((name) => /\.(ya?ml|json)$/.test(name))
        .sort()
        .reduce<Record<string, string[]>>((all, name) => {
          (all[name.split('__')[0]!] ??= []).push(path.join(corpus.path, name));
          return all;
        }, {}),
    )
  : [];

function findings(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => `${d.rule} ${d.subject ?? ''}`).sort();
}

function fileOf(d: Diagnostic): string | undefined {
  if (!d.where) return undefined;
  return isSpan(d.where) ? d.where.file : d.where.origin.file;
}

describe.skipIf(!corpus.present)('findings of the corpus rule files survive mon-import', () => {
  it.each(sources)('%s', { timeout: 600_000 }, async (source, files) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG });
    await runImport({ cwd: dir, paths: files, system: 'imported' });
    // The originals linted beside the imported project: the severities the import declares (a
    // `Severities` augmentation for `page`, say) hold for them too, as for files linted with a project.
    const before = await runLint({ cwd: dir, paths: files });
    const after = await runLint({ cwd: dir, paths: [] });
    expect(findings(after.diagnostics)).toEqual(findings(before.diagnostics));
    // Now at the definitions' lines.
    expect(after.diagnostics.map(fileOf).filter((file) => file !== undefined && !file.endsWith('.ts'))).toEqual([]);
  });
});

describe("the seeds' published YAML imports and builds", () => {
  const seeds = path.join(REPO_ROOT, 'test/fixtures/seeds');
  it.each(readdirSync(seeds).filter((name) => /^\d{3}-/.test(name)))('%s', { timeout: 120_000 }, async (seed) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG });
    const imported = await runImport({ cwd: dir, paths: [path.join(seeds, seed)], system: seed.slice(4) });
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(imported.files.length).toBeGreaterThan(0);
    const built = await build({ cwd: dir });
    // What the seeds' own rules are found to lack (runbooks, labels) is lint's to say; the build must compile them.
    expect(built.diagnostics.filter((d) => d.severity === 'error' && !(LINT_RULE_IDS as readonly string[]).includes(d.rule)).map((d) => `${d.file}:${d.line}: ${d.rule}: ${d.message}`)).toEqual([]);
    expect(built.outputs.length).toBeGreaterThan(0);
  });
});
