import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePromql } from '../../src/promql/parse.js';
import { promqlTargetFaults } from '../../src/promql/target.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const promtool = requireTool('promtool');

/** Every printable ASCII character after a backslash, numeric escapes of each kind at and past their limits, in both quotes and backticks. */
function literals(): string[] {
  const bodies: string[] = [];
  for (let c = 0x20; c < 0x7f; c++) bodies.push(`a\\${String.fromCharCode(c)}b`);
  bodies.push('\\101', '\\377', '\\400', '\\1', '\\18', '\\x41', '\\x4', '\\xg0', '\\u00e9', '\\u00', '\\ud800', '\\U0001F600', '\\U00110000', '\\U0010ffff', '\\uDFFF', '\\ue000', '\\', 'tail\\');
  return bodies.flatMap((body) => [`"${body}"`, `'${body}'`, `\`${body}\``]);
}

/** promtool's verdicts on a rule file with one recording rule per expression: the indexes it rejects. */
function promtoolRejects(exprs: string[]): Set<number> {
  const dir = makeProject({});
  const file = path.join(dir, 'rules.yml');
  writeFileSync(file, `groups:\n  - name: g\n    rules:\n${exprs.map((expr, i) => `      - record: r${i}\n        expr: ${JSON.stringify(expr)}\n`).join('')}`);
  const { output } = runTool(promtool!, ['check', 'rules', file]);
  return new Set([...output.matchAll(/"r(\d+)": could not parse expression/g)].map((m) => Number(m[1])));
}

describe('PromQL string escapes', () => {
  it.skipIf(!promtool)('are valid exactly where promtool’s lexer says so', () => {
    const cases = literals().map((literal) => ({ literal, expr: `foo{a=${literal}}` }));
    const rejected = promtoolRejects(cases.map((c) => c.expr));
    const disagreements = cases.filter((c, i) => (parsePromql(c.expr).error !== undefined) !== rejected.has(i)).map((c) => c.literal);
    expect(disagreements).toEqual([]);
    expect(rejected.size).toBeGreaterThan(100);
  });

  it.each([
    { expr: 'foo{a=~"1\\.0"}', message: "unknown escape sequence U+002E '.'", from: 9, to: 11 },
    { expr: "foo{a='\\x4'}", message: "illegal character U+0027 ''' in escape sequence", from: 7, to: 11 },
    { expr: 'foo{a="\\ud800"}', message: 'escape sequence is an invalid Unicode code point', from: 7, to: 13 },
    { expr: 'foo{a=`\\.`} # "\\q" in a comment', message: undefined },
  ])('$expr', ({ expr, message, from, to }) => {
    const { error } = parsePromql(expr);
    expect(error && { message: error.message, from: error.from, to: error.to }).toEqual(message && { message, from, to });
  });
});

const REGEXES = [
  '(',
  ')',
  'a(?=b)',
  'a(?!b)',
  '(?<=a)b',
  '\\1',
  'a{2,1}',
  'a{1001}',
  '(a{500}){3}',
  'a**',
  'a++',
  '[z-a]',
  '\\pX',
  '[[:foo:]]',
  '\\C',
  '\\Z',
  '*a',
  '(?i',
  '(?P<x>a)',
  '\\p{Greek}',
  '[[:alpha:]]',
  '(?i)abc',
  '\\Qa.b\\E',
  '\\z',
  'x{,3}',
  '(?U)a+',
  'a{1000}',
  '.*',
  '',
  'a|b|',
  '[\\d\\s]+',
  '(?s:.)',
  '\\x{10FFFF}',
  '\\b',
];

describe('PromQL matcher regexes', () => {
  it.skipIf(!promtool)('compile exactly where promtool’s (Go RE2) compile', () => {
    const exprs = REGEXES.map((re) => `foo{a=~${JSON.stringify(re)}, b!~${JSON.stringify(re)}}`);
    const rejected = promtoolRejects(exprs);
    const disagreements = REGEXES.filter((re, i) => (parsePromql(exprs[i]!).error !== undefined) !== rejected.has(i));
    expect(disagreements).toEqual([]);
    expect(rejected.size).toBe(18);
  });

  it.skipIf(!promtool)('`(?<name>…)` groups are refused for Prometheus 2.x targets, as promtool 2.42 refuses them, and allowed from 3.0', () => {
    const expr = 'foo{a=~"(?<x>a)"}';
    expect(promtoolRejects([expr]).has(0)).toBe(true);
    expect(promqlTargetFaults(expr, { version: '2.42', features: [] }).map((f) => f.message)).toEqual([expect.stringContaining('(?P<name>')]);
    expect(promqlTargetFaults(expr, { version: '3.0', features: [] })).toEqual([]);
  });

  it('a bad regex is reported on its string literal', () => {
    const { error } = parsePromql('up{job=~"a(?=b)"}');
    expect(error).toEqual({ message: 'error parsing regexp: invalid or unsupported Perl syntax: `(?=`', from: 8, to: 16 });
  });
});
