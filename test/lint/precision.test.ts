import { readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLint } from '../../src/commands/lint.js';
import { SourceIndex } from '../../src/source/source-index.js';
import { resolveDiagnostics } from '../../src/report/resolve.js';

// Error precision (issue 9) on fixtures written for it, each folder one deployment: every error
// must be an expected one (precision), and every expected one must be found (recall).
const ROOT = path.resolve(import.meta.dirname, '../fixtures/precision');
const { cases } = JSON.parse(readFileSync(path.join(ROOT, 'expected.json'), 'utf8')) as { cases: Record<string, Array<[string, string, string]>> };

interface Tally {
  right: number;
  wrong: string[];
}

describe('error precision on the fixtures of test/fixtures/precision', () => {
  const tallies = new Map<string, Tally>();
  const tally = (rule: string) => tallies.get(rule) ?? tallies.set(rule, { right: 0, wrong: [] }).get(rule)!;

  it('has a case for every folder', () => {
    const folders = readdirSync(ROOT, { withFileTypes: true })
      .filter((e) => e.isDirectory())
      .map((e) => e.name);
    expect(folders.sort()).toEqual(Object.keys(cases).sort());
  });

  it.each(Object.entries(cases))('%s: the expected errors and no others', async (folder, expected) => {
    const run = await runLint({ cwd: os.tmpdir(), paths: [path.join(ROOT, folder)] });
    const errors = resolveDiagnostics(run.diagnostics, new SourceIndex(), os.tmpdir()).filter((d) => d.severity === 'error');
    const found = errors.map((d) => [path.basename(d.file ?? ''), d.rule, d.subject ?? ''].join(' '));
    const wanted = expected.map((e) => e.join(' '));
    const left = [...wanted];
    for (const [i, key] of found.entries()) {
      const at = left.indexOf(key);
      if (at >= 0) {
        left.splice(at, 1);
        tally(errors[i]!.rule).right++;
      } else tally(errors[i]!.rule).wrong.push(`${folder}/${key}: ${errors[i]!.message}`);
    }
    expect({ missed: left, unexpected: found.filter((key) => !wanted.includes(key)) }).toEqual({ missed: [], unexpected: [] });
  });

  it('errors are at least 95% right per rule and 99.5% overall', () => {
    const perRule = [...tallies].map(([rule, { right, wrong }]) => ({ rule, precision: right / (right + wrong.length), wrong }));
    const right = perRule.reduce((n, r) => n + tallies.get(r.rule)!.right, 0);
    const all = right + perRule.reduce((n, r) => n + r.wrong.length, 0);
    expect(perRule.filter((r) => r.precision < 0.95)).toEqual([]);
    expect(all).toBeGreaterThan(0);
    expect(right / all).toBeGreaterThanOrEqual(0.995);
  });
});
