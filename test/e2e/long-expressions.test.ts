import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { parsePromql } from '../../src/promql/parse.js';
import { labelsOf } from '../../src/promql/labels.js';
import { quantityOf } from '../../src/promql/units.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

/**
 * Expressions far longer or deeper than anyone writes by hand, which Prometheus accepts (its
 * parser is a table-driven LR parser and its checks run on Go's growable stack): moncode must
 * accept them too, wherever PromQL appears, and reject the broken ones at the right column.
 * promtool is the oracle for every verdict.
 */

const terms = (n: number, op = '+'): string => Array.from({ length: n }, (_, i) => `m${i}`).join(` ${op} `);
const nest = (n: number, inner: string): string => `${'('.repeat(n)}${inner}${')'.repeat(n)}`;

const CASES: Array<{ name: string; expr: string }> = [
  { name: 'a sum of 5,000 terms', expr: terms(5000) },
  { name: 'a sum of 20,000 terms', expr: terms(20000) },
  { name: '5,000 comparisons joined by or', expr: Array.from({ length: 5000 }, (_, i) => `m${i} > ${i}`).join(' or ') },
  { name: '2,000 nested parentheses', expr: nest(2000, 'up') },
  { name: '2,000 nested parentheses around a 1,000-term sum', expr: nest(2000, terms(1000)) },
  { name: '3,000 terms mixing precedences', expr: Array.from({ length: 3000 }, (_, i) => `m${i}`).reduce((all, m, i) => (i === 0 ? m : `${all} ${['+', '*', '-', '/', '%'][i % 5]} ${m}`), '') },
  { name: 'a 1,000-term chain of powers (right-associative)', expr: terms(1000, '^') },
  // `and` and `or` alternate, so precedence decides the shape.
  {
    name: '1,000 comparisons joined by and/or',
    expr: Array.from({ length: 1000 }, (_, i) => `rate(m${i}[5m]) > ${i}`).reduce((all, c, i) => (i === 0 ? c : `${all} ${i % 2 ? 'and' : 'or'} ${c}`), ''),
  },
  { name: '600 terms with vector matching', expr: Array.from({ length: 600 }, (_, i) => `sum by (job) (m${i})`).join(' / on (job) group_left ') },
  { name: '600 comparisons with bool', expr: Array.from({ length: 600 }, (_, i) => `m${i}`).join(' > bool ') },
  { name: 'a sum of 5,000 terms with a stray operator at term 2,500', expr: terms(5000).replace(' + m2500 ', ' + + m2500 ').replace('+ + m2500', '+ * m2500') },
  { name: 'a sum of 5,000 terms with an unknown function at term 4,000', expr: terms(5000).replace('m4000 ', 'nosuchfunction(m4000) ') },
  { name: 'a sum of 5,000 terms with a range vector operand', expr: terms(5000).replace('m3000 ', 'm3000[5m] ') },
];

// A recording rule and an alert: the lint rules that judge each (record/naming, alert/no-condition, …) walk the expression too.
const ruleFile = (expr: string): string =>
  `groups:\n  - name: long\n    rules:\n      - record: job:long:sum\n        expr: ${JSON.stringify(expr)}\n      - alert: Long\n        expr: ${JSON.stringify(expr)}\n        labels: { severity: info }\n`;

const promtool = requireTool('promtool');

describe.skipIf(!promtool)('long and deep PromQL: moncode agrees with promtool', () => {
  const dir = makeProject({});
  const verdicts = CASES.map((c, i) => {
    const file = path.join(dir, `case${i}.rules.yml`);
    writeFileSync(file, ruleFile(c.expr));
    return { ...c, file, promtool: runTool(promtool!, ['check', 'rules', file]) };
  });

  it.each(verdicts)('mon-lint of a rule file: $name', (c) => {
    const result = runBin('mon-lint', ['--format', 'json', path.basename(c.file)], dir);
    expect(result.stderr).not.toMatch(/internal error|RangeError|at .*\.js:\d+/);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; message: string; line?: number; column?: number }> };
    const syntax = diagnostics.filter((d) => d.rule === 'promql/syntax');
    expect(syntax.length === 0, `promtool: ${c.promtool.output}; moncode: ${JSON.stringify(syntax)}`).toBe(c.promtool.code === 0);
    expect(syntax.length, 'one problem for each of the two rules').toBe(c.promtool.code === 0 ? 0 : 2);
    for (const d of syntax) {
      expect(d.message).not.toMatch(/nested too deeply/);
      // promtool names the column of a parse error in the expression; moncode's is in the file (the expression starts at column 16).
      const column = /1:(\d+): parse error/.exec(c.promtool.output);
      expect(column, c.promtool.output).not.toBeNull();
      expect([5, 7]).toContain(d.line);
      expect(d.column! - 15).toBe(Number(column![1]));
    }
  });

  it.each(verdicts.filter((c) => c.promtool.code === 0))('mon-lint of a dashboard query: $name', (c) => {
    const panel = { type: 'timeseries', title: 'long', gridPos: { x: 0, y: 0, w: 12, h: 8 }, fieldConfig: { defaults: { unit: 'short' } }, targets: [{ refId: 'A', expr: c.expr }] };
    writeFileSync(path.join(dir, 'dashboard.json'), JSON.stringify({ uid: 'long', title: 'Long', schemaVersion: 39, panels: [panel] }));
    const result = runBin('mon-lint', ['--format', 'json', 'dashboard.json'], dir);
    expect(result.stderr).not.toMatch(/internal error/);
    const { diagnostics } = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; message: string }> };
    expect(diagnostics.filter((d) => d.rule === 'promql/syntax')).toEqual([]);
  });

  it('mon-build of definitions: builds every expression promtool accepts, and promtool loads the output', async () => {
    const accepted = verdicts.filter((c) => c.promtool.code === 0);
    const rules = accepted.map((c, i) => `recordingRule({ record: 'job:long${i}:sum', expr: ${JSON.stringify(c.expr)} })`);
    const project = makeProject({
      'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`,
      'definitions/long.ts': `import { recordingRule, ruleGroup } from 'moncode';\nexport const long = ruleGroup({ name: 'long', rules: [\n${rules.join(',\n')}\n] });\n`,
    });
    const built = await build({ cwd: project });
    expect(built.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const output = built.outputs.find((o) => o.path.startsWith('prometheus/rules/'))!;
    const file = path.join(project, 'built.rules.yml');
    writeFileSync(file, output.content);
    expect(readFileSync(file, 'utf8')).toContain('m19999');
    expect(runTool(promtool!, ['check', 'rules', file]).code).toBe(0);
  }, 120_000);
});

describe('long PromQL stays sub-quadratic', () => {
  it('parses and analyses 5,000 and 20,000 terms; the time per term is reported', () => {
    const perTerm: number[] = [];
    for (const n of [5000, 20000]) {
      const expr = `${terms(n)} + rate(x_seconds_total[5m])`;
      const started = performance.now();
      const parsed = parsePromql(expr);
      expect(parsed.error).toBeUndefined();
      labelsOf(parsed.expr!);
      quantityOf(parsed.expr!);
      perTerm.push((performance.now() - started) / n);
    }
    // Measured, not asserted (shared CI machines): quadratic work would make the second figure ~4× the first.
    console.log(`PromQL parse + labels + units, ms per term: 5,000 terms ${perTerm[0]!.toFixed(4)}, 20,000 terms ${perTerm[1]!.toFixed(4)}`);
  });
});
