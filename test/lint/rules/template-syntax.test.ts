import { describe, expect, it } from 'vitest';
import { checkGoTemplate } from '../../../src/promql/go-template.js';
import { templateFunctions, templateSyntaxOf } from '../../../src/promql/versions.js';
import { runLint } from '../../../src/commands/lint.js';
import { makeProject } from '../../helpers/project.js';
import { alert, ruleTester, rules } from '../tester.js';

const annotated = (summary: string, labels = ''): string =>
  `labels:\n  severity: warning${labels}\nannotations:\n  summary: ${JSON.stringify(summary)}\n  description: d\n  runbook_url: https://runbooks.example.com/x`;
const config = (version: string): string => `export default { prometheus: { version: '${version}' } };\n`;

ruleTester('template/syntax', {
  valid: [
    { name: 'labels and the value', files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ $labels.job }} is {{ $value | humanize }}'))) } },
    { name: 'if / else if / else', files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ if gt $value 1.0 }}big{{ else if eq $value 0.0 }}zero{{ else }}small{{ end }}'))) } },
    {
      name: 'range with two variables and break',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ range $k, $v := $labels }}{{ if eq $k "x" }}{{ break }}{{ end }}{{ $k }}={{ $v }} {{ end }}'))) },
    },
    { name: 'with and a query pipeline', files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ with query "up" }}{{ . | first | value | humanize }}{{ end }}'))) } },
    { name: 'comments, trim markers, raw strings, numbers', files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{- /* note */ -}} {{ printf `%s %d %x` "a" 0x1F 1e3 }} {{- 3 }}'))) } },
    { name: 'parenthesised pipelines and chained fields', files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ (index $labels "job") | toUpper }} {{ $.Labels.job }}'))) } },
    { name: 'a recording rule label is not a template', files: { 'r.yml': rules('- record: job:up:sum\n  expr: sum by (job) (up)\n  labels:\n    note: "{{ not closed"') } },
  ],
  invalid: [
    {
      name: 'an unclosed action',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ $labels.job } down'))) },
      // `          summary: "{{ $labels.job } down"`: the string starts at column 21 of line 9.
      expect: [{ rule: 'template/syntax', line: 9, column: 36, endLine: 9, endColumn: 37, subject: 'A', message: 'annotation `summary`: Go template: unexpected "}" in operand' }],
    },
    {
      name: 'an unknown function',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ $value | humanizeSeconds }}'))) },
      expect: [{ rule: 'template/syntax', line: 9, column: 33, endLine: 9, endColumn: 48, subject: 'A', message: 'template function `humanizeSeconds` is not defined in Prometheus 2.42' }],
    },
    {
      name: 'a function newer than the target',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ $value | toDuration }}'))) },
      expect: [{ rule: 'template/syntax', line: 9, column: 33, endLine: 9, endColumn: 43, message: '`toDuration` needs Prometheus 3.6 or later; the target is 2.42' }],
    },
    {
      name: 'if without end',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ if $labels.job }}x'))) },
      expect: [{ rule: 'template/syntax', line: 9, column: 42, endLine: 9, endColumn: 43, message: 'has no {{end}}' }],
    },
    {
      name: 'an undefined variable in a label',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('s', '\n  team: "{{ $team }}"'))) },
      expect: [{ rule: 'template/syntax', line: 8, column: 21, endLine: 8, endColumn: 26, message: 'label `team`: Go template: undefined variable "$team"' }],
    },
    {
      name: 'a variable used after its block ended',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ with $x := 1 }}{{ $x }}{{ end }}{{ $x }}'))) },
      expect: [{ rule: 'template/syntax', line: 9, column: 59, endLine: 9, endColumn: 61, message: 'undefined variable "$x"' }],
    },
    {
      name: 'else with on 2.42 (Go 1.19)',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ with $labels.a }}{{ . }}{{ else with $labels.b }}{{ . }}{{ end }}'))) },
      expect: [{ rule: 'template/syntax', line: 9, column: 56, endLine: 9, endColumn: 60, message: 'unexpected {{else with}}' }],
    },
    {
      name: 'an unterminated string, one problem per template',
      files: { 'r.yml': rules(alert('A', 'up == 0', annotated('{{ printf "%s }}', '\n  x: "{{ 1 | 2 }}"'))) },
      expect: [
        { rule: 'template/syntax', line: 8, column: 22, endLine: 8, endColumn: 23, message: 'non executable command in pipeline stage 2' },
        { rule: 'template/syntax', line: 10, column: 31, endLine: 10, endColumn: 38, message: 'unterminated quoted string' },
      ],
    },
  ],
});

describe('template/syntax follows the declared Prometheus version (mon.config.ts)', () => {
  const lintWith = async (version: string, summary: string): Promise<string[]> => {
    const dir = makeProject({ 'mon.config.ts': config(version), 'r.yml': rules(alert('A', 'up == 0', annotated(summary))) });
    const run = await runLint({ cwd: dir, paths: ['r.yml'] });
    return run.diagnostics.filter((d) => d.rule === 'template/syntax').map((d) => d.message);
  };
  it.each([
    ['3.6', '{{ $value | toDuration }}', []],
    ['3.5', '{{ $value | toDuration }}', ['annotation `summary`: template function `toDuration` needs Prometheus 3.6 or later; the target is 3.5 (set prometheus.version in mon.config.ts)']],
    ['3.8', '{{ urlQueryEscape $labels.job }}', []],
    ['3.0', '{{ with $labels.a }}{{ . }}{{ else with $labels.b }}{{ . }}{{ end }}', []],
    ['2.54', '{{ with $labels.a }}{{ . }}{{ else with $labels.b }}{{ . }}{{ end }}', ['annotation `summary`: Go template: unexpected {{else with}} in {{with}}']],
  ])('%s: %s', async (version, summary, expected) => {
    expect(await lintWith(version, summary)).toEqual(expected);
  });
});

/** Faults as Go's text/template parser reports them (each checked against promtool 2.42 while writing). */
describe('checkGoTemplate', () => {
  const syntax = { functions: templateFunctions('2.42'), variables: ['labels', 'value'], ...templateSyntaxOf('2.42') };
  it.each([
    ['{{ . | }}', undefined],
    ['{{ 08 }}', 'illegal number syntax'],
    ['{{ 1+2i }}', undefined],
    ["{{ '\\'' }}", undefined],
    ['{{ 1e400 }}', 'illegal number syntax'],
    ['{{ /* c */ }}', 'unexpected "/" in operand'],
    ['{{/* c */ }}', 'comment ends before closing delimiter'],
    ['{{ $x = 1 }}{{ $x }}', undefined],
    ['{{ if true }}{{ $y := 1 }}{{ else }}{{ $y }}{{ end }}', undefined],
    ['{{ break }}', '{{break}} outside {{range}}'],
    ['{{ range . }}{{ else }}{{ continue }}{{ end }}', '{{continue}} outside {{range}}'],
    ['{{ define "x" }}{{ $labels }}{{ end }}', 'undefined variable "$labels"'],
    ['{{ "a".x }}', 'unexpected . after term'],
    ['{{ humanize(1) }}', 'unexpected "(" in operand'],
    ['{{ ( ) }}', 'missing value for parenthesized pipeline'],
    ['{{ tmpl "a" . }}', 'function "tmpl" not defined'],
    [`{{ ${'('.repeat(20_000)}1${')'.repeat(20_000)} }}`, 'nested too deeply to check'],
    [`${'{{ if . }}'.repeat(1000)}${'{{ end }}'.repeat(1000)}`, undefined],
  ])('%.60s', (text, fault) => {
    const found = checkGoTemplate(text, syntax);
    if (fault === undefined) expect(found).toBeUndefined();
    else expect(found?.message).toContain(fault);
  });
});
