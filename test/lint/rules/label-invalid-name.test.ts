import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLint } from '../../../src/commands/lint.js';
import { makeProject } from '../../helpers/project.js';
import { requireTool, runTool } from '../../helpers/tools.js';
import { alert, lintFiles, record, ruleTester, rules } from '../tester.js';

const labelled = (labels: string, annotations = '  summary: s\n  description: d\n  runbook_url: https://runbooks.example.com/x') =>
  `labels:\n  severity: warning\n${labels}\nannotations:\n${annotations}`;

ruleTester('label/invalid-name', {
  valid: [
    {
      name: 'names of the legacy charset, `__` prefix included',
      files: { 'r.yml': rules(alert('A', 'up == 0', labelled('  team_2: a\n  __tenant: b')), record('job:up:sum', 'sum by (job) (up)', { _private: 'x' })) },
    },
  ],
  invalid: [
    {
      name: 'a dash in an alert label (2.42, the default target)',
      files: { 'r.yml': rules(alert('A', 'up == 0', labelled('  plug-l1: x'))) },
      expect: [
        {
          rule: 'label/invalid-name',
          line: 8,
          column: 20,
          endLine: 8,
          endColumn: 21,
          subject: 'A',
          message: 'label name "plug-l1" is invalid: before Prometheus 3.0 a name is [a-zA-Z_][a-zA-Z0-9_]*; the target is 2.42',
        },
      ],
    },
    {
      name: 'an annotation name with a dot',
      files: { 'r.yml': rules(alert('A', 'up == 0', labelled('  team: a', '  summary: s\n  description: d\n  runbook.url: https://runbooks.example.com/x'))) },
      expect: [{ rule: 'label/invalid-name', line: 12, column: 24, endLine: 12, endColumn: 54, subject: 'A', message: 'annotation name "runbook.url" is invalid' }],
    },
    {
      name: 'a dash in a recorded series name (2.42)',
      files: { 'r.yml': rules(record('job-x:up:sum', 'sum by (job) (up)')) },
      expect: [
        {
          rule: 'label/invalid-name',
          line: 4,
          column: 17,
          endLine: 4,
          endColumn: 29,
          subject: 'job-x:up:sum',
          message: 'recorded series name "job-x:up:sum" is not a valid metric name: before Prometheus 3.0 a metric name is [a-zA-Z_:][a-zA-Z0-9_:]*; the target is 2.42',
        },
      ],
    },
    {
      name: "`__name__` among a recording rule's labels",
      files: { 'r.yml': rules(record('job:up:sum', 'sum by (job) (up)', { __name__: 'other' })) },
      expect: [{ rule: 'label/invalid-name', line: 7, column: 21, endLine: 7, endColumn: 26, subject: 'job:up:sum', message: 'label name "__name__" is invalid: a rule cannot set `__name__`' }],
    },
  ],
});

/** Names as promtool 2.42 judges them: the rule must agree with the real validator on each. */
const NAMES: Array<[name: string, kind: 'labels' | 'annotations']> = [
  ['plug-l1', 'labels'],
  ['team', 'labels'],
  ['__tenant', 'labels'],
  ['__name__', 'labels'],
  ['1st', 'labels'],
  ['ü', 'labels'],
  ['a.b', 'labels'],
  ['a:b', 'labels'],
  ['_', 'labels'],
  ['sum-mary', 'annotations'],
  ['__name__', 'annotations'],
  ['runbook_url', 'annotations'],
];

function ruleFile(name: string, kind: 'labels' | 'annotations'): string {
  const entry = `    ${JSON.stringify(name)}: x`;
  return `groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels:\n          severity: warning\n${kind === 'labels' ? `      ${entry}\n` : ''}        annotations:\n          summary: s\n${kind === 'annotations' ? `      ${entry}\n` : ''}`;
}

const promtool = requireTool('promtool');

describe.skipIf(!promtool)('label/invalid-name agrees with promtool 2.42 check rules', () => {
  it.each(NAMES)('%s in %s', async (name, kind) => {
    const dir = makeProject({ 'r.yml': ruleFile(name, kind) });
    const oracle = runTool(promtool!, ['check', 'rules', path.join(dir, 'r.yml')]);
    const rejected = /invalid (label|annotation) name/.test(oracle.output);
    const found = (await lintFiles({ 'r.yml': ruleFile(name, kind) })).filter((d) => d.rule === 'label/invalid-name');
    expect({ name, reported: found.length > 0 }).toEqual({ name, reported: rejected });
  });
});

/** Recorded series names as promtool 2.42 judges them. */
const RECORDED = ['job:up:sum', 'job-x:up:sum', '1abc', ':a', 'a.b', 'ü', '_x', 'level:metric:rate5m'];

describe.skipIf(!promtool)('label/invalid-name agrees with promtool 2.42 on recorded series names', () => {
  it.each(RECORDED)('%s', async (name) => {
    const file = rules(record(name, 'sum(up)'));
    const dir = makeProject({ 'r.yml': file });
    const oracle = runTool(promtool!, ['check', 'rules', path.join(dir, 'r.yml')]);
    const rejected = /invalid recording rule name/.test(oracle.output);
    const found = (await lintFiles({ 'r.yml': file })).filter((d) => d.rule === 'label/invalid-name');
    expect({ name, reported: found.length > 0 }).toEqual({ name, reported: rejected });
  });
});

describe('label/invalid-name follows the declared Prometheus version', () => {
  it.each([
    [
      '2.55',
      [
        'label name "plug-l1" is invalid: before Prometheus 3.0 a name is [a-zA-Z_][a-zA-Z0-9_]*; the target is 2.55 (set prometheus.version in mon.config.ts if it runs 3.0 or later); promtool check rules fails the file',
      ],
    ],
    ['3.0', []],
    ['3.5', []],
  ])('%s', async (version, expected) => {
    const dir = makeProject({ 'mon.config.ts': `export default { prometheus: { version: '${version}' } };\n`, 'r.yml': rules(record('job-x:up:sum', 'sum(up)')) });
    const run = await runLint({ cwd: dir, paths: ['r.yml'] });
    expect(run.diagnostics.filter((d) => d.rule === 'label/invalid-name').length).toBe(expected.length);
  });

  it.each([
    [
      '2.55',
      [
        'label name "plug-l1" is invalid: before Prometheus 3.0 a name is [a-zA-Z_][a-zA-Z0-9_]*; the target is 2.55 (set prometheus.version in mon.config.ts if it runs 3.0 or later); promtool check rules fails the file',
      ],
    ],
    ['3.0', []],
  ])('labels, %s', async (version, expected) => {
    const dir = makeProject({ 'mon.config.ts': `export default { prometheus: { version: '${version}' } };\n`, 'r.yml': rules(alert('A', 'up == 0', labelled('  plug-l1: x'))) });
    const run = await runLint({ cwd: dir, paths: ['r.yml'] });
    expect(run.diagnostics.filter((d) => d.rule === 'label/invalid-name').map((d) => d.message)).toEqual(expected);
  });
});
