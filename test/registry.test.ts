import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ALL_RULES } from '../src/lint/rules/index.js';
import { LINT_RULE_IDS } from '../src/model/suppression.js';
import { REPO_ROOT } from './helpers/project.js';

const RULES_DIR = path.join(REPO_ROOT, 'src/lint/rules');
const ruleFiles = readdirSync(RULES_DIR)
  .filter((f) => f.endsWith('.ts') && f !== 'index.ts')
  .sort();
const fileOf = (id: string) => `${id.replace('/', '-')}.ts`;

describe('the lint rule registry', () => {
  it('registers every rule file in rules/index.ts, exactly once', async () => {
    const unregistered: string[] = [];
    for (const file of ruleFiles) {
      const module = (await import(path.join(RULES_DIR, file))) as { default?: unknown };
      if (!ALL_RULES.includes(module.default as (typeof ALL_RULES)[number])) unregistered.push(file);
    }
    expect(unregistered).toEqual([]);
    expect(new Set(ALL_RULES).size).toBe(ALL_RULES.length);
  });

  it('names each rule after its file', () => {
    expect(ALL_RULES.map((rule) => fileOf(rule.meta.id)).sort()).toEqual(ruleFiles);
  });

  it('lists the same ids in LINT_RULE_IDS (suppressions and --rule accept them)', () => {
    expect([...LINT_RULE_IDS].sort()).toEqual(ALL_RULES.map((rule) => rule.meta.id).sort());
  });

  it('has a docs page for every rule and no page for a rule that does not exist', () => {
    const pages = readdirSync(path.join(REPO_ROOT, 'docs/rules'))
      .filter((f) => f.endsWith('.md') && f !== 'README.md')
      .sort();
    expect(pages).toEqual(ruleFiles.map((f) => f.replace(/\.ts$/, '.md')));
  });

  it('has a test file for every rule', () => {
    const tests = readdirSync(path.join(REPO_ROOT, 'test/lint/rules')).filter((f) => f.endsWith('.test.ts'));
    expect(ruleFiles.filter((f) => !tests.includes(f.replace(/\.ts$/, '.test.ts')))).toEqual([]);
  });
});

/** Every diagnostic id the source can emit outside the lint rules: `rule: '…'`, `problems.error('…'`, `stackDiagnostic('…'`, `export const X = 'area/name'` (or `'typescript'`). */
function emittedIds(): Set<string> {
  const ids = new Set<string>();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.gen.ts')) {
        const text = readFileSync(full, 'utf8');
        for (const m of text.matchAll(/\brule: '([^']+)'/g)) ids.add(m[1]!);
        for (const m of text.matchAll(/problems\.(?:error|warning)\(\s*'([^']+)'/g)) ids.add(m[1]!);
        for (const m of text.matchAll(/\b\w+Diagnostic\(\s*'([a-z]+\/[a-z-]+)'/g)) ids.add(m[1]!);
        // `typescript` (TYPE_ERROR) is the one id without an area.
        for (const m of text.matchAll(/^export const [A-Z_]+ = '([a-z]+(?:\/[a-z-]+)?)';$/gm)) ids.add(m[1]!);
      }
    }
  };
  walk(path.join(REPO_ROOT, 'src'));
  return ids;
}

describe('diagnostic ids', () => {
  const table = readFileSync(path.join(REPO_ROOT, 'docs/diagnostics.md'), 'utf8');
  const documented = new Set([...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]!));
  const ruleIds = new Set<string>(LINT_RULE_IDS);

  it('finds the ids the build stages emit', () => {
    expect([...emittedIds()]).toEqual(expect.arrayContaining(['typescript', 'load/threw', 'definition/invalid', 'input/unreadable']));
  });

  it('documents every id the code can emit, in docs/diagnostics.md or as a lint rule', () => {
    expect([...emittedIds()].filter((id) => !ruleIds.has(id) && !documented.has(id)).sort()).toEqual([]);
  });

  it('documents no id the code no longer emits', () => {
    const emitted = emittedIds();
    expect([...documented].filter((id) => !emitted.has(id)).sort()).toEqual([]);
  });
});
