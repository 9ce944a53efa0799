import { describe, expect, it } from 'vitest';
import { runLint } from '../../../src/commands/lint.js';
import { makeProject } from '../../helpers/project.js';
import { alert, record, ruleTester, rules } from '../tester.js';

ruleTester('rule/duplicate', {
  valid: [
    { name: 'warning and critical pair', files: { 'r.yml': rules(alert('A', 'up == 0'), alert('A', 'up == 0', 'labels:\n  severity: critical')) } },
    {
      name: 'records split by disjoint code classes',
      files: { 'r.yml': rules(record('code:x:increase1h', 'sum by (code) (increase(x_total{code=~"2.."}[1h]))'), record('code:x:increase1h', 'sum by (code) (increase(x_total{code=~"5.."}[1h]))')) },
    },
    { name: 'one alert, one rule per condition', files: { 'r.yml': rules(alert('A', 'time() - last_success > 3600'), alert('A', 'increase(failures_total[2h]) >= 2')) } },
    { name: 'two files, alerts differing in a label', files: { 'a.yml': rules(alert('A', 'up == 0')), 'b.yml': rules(alert('A', 'up == 0', 'labels:\n  severity: critical')) } },
    {
      name: 'two files, disjoint selectors',
      files: { 'a.yml': rules(alert('DiskFull', 'free{cluster="search"} < 0.1')), 'b.yml': rules(alert('DiskFull', 'free{cluster="db"} < 0.05')) },
    },
    {
      name: 'a higher threshold with a shorter `for`: an escalation',
      files: { 'r.yml': rules(alert('Lag', 'lag > 1500', 'for: 10m\nlabels:\n  severity: critical'), alert('Lag', 'lag > 500000', 'for: 2m\nlabels:\n  severity: critical')) },
    },
    {
      name: 'alerts over disjoint inputs, the label aggregated away',
      files: { 'r.yml': rules(alert('Slow', 'sum by (job) (rate(x{handler="query"}[5m])) > 40'), alert('Slow', 'sum by (job) (rate(x{handler="query-frontend"}[5m])) > 40')) },
    },
    { name: 'disjoint matchers on a kept label', files: { 'r.yml': rules(alert('A', 'x{proxy!~"(a|b)"} > 1'), alert('A', 'x{proxy="a"} > 3')) } },
  ],
  invalid: [
    {
      name: 'the same alert vendored into two files linted together (one Prometheus loads both)',
      files: { 'a.yml': rules(alert('A', 'up == 0')), 'b.yml': rules(alert('A', 'up == 0')) },
      expect: [{ rule: 'rule/duplicate', line: 4, column: 9, endLine: 11, endColumn: 54, subject: 'A', message: 'alert "A" with the same labels is also defined in group "test" of a.yml' }],
    },
    {
      name: 'a team file re-defining a shared alert with a stricter threshold: both fire',
      files: {
        'search.yml': rules(alert('DiskSpace', 'free{cluster=~"(search|relforge)"} / size < 0.1', 'for: 5m\nlabels:\n  severity: critical')),
        'sre.yml': rules(alert('DiskSpace', 'free{fstype!="tmpfs"} / size < 0.04', 'for: 5m\nlabels:\n  severity: critical')),
      },
      expect: [{ rule: 'rule/duplicate', line: 4, column: 9, endLine: 8, endColumn: 29, subject: 'DiskSpace', message: 'of search.yml' }],
    },
    {
      name: 'one series recorded in two files',
      files: { 'a.yml': rules(record('job:x:sum', 'sum by (job) (x)')), 'b.yml': rules(record('job:x:sum', 'sum by (job) (x)')) },
      expect: [{ rule: 'rule/duplicate', line: 4, column: 9, endLine: 5, endColumn: 32, message: 'both write the same series' }],
    },
    {
      name: 'the same alert twice with overlapping selectors',
      files: { 'r.yml': rules(alert('Lag', 'lag{job="mysql"} > 60'), alert('Lag', 'lag{job="mysql", instance=~".*9104"} > 60')) },
      expect: [{ rule: 'rule/duplicate', line: 12, column: 9, endLine: 19, endColumn: 54, subject: 'Lag', message: 'alert "Lag" with the same labels is also defined earlier in group "test"' }],
    },
    {
      name: 'the same threshold twice, only `for` differs',
      files: {
        'r.yml': rules(alert('Lag', 'lag{job="m"} > 60', 'for: 1m\nlabels:\n  severity: warning'), alert('Lag', 'lag{job="m", instance=~".*9104"} > 60', 'for: 2m\nlabels:\n  severity: warning')),
      },
      expect: [{ rule: 'rule/duplicate', line: 9, column: 9, endLine: 13, endColumn: 28, subject: 'Lag' }],
    },
    {
      name: 'one series recorded by two different expressions',
      files: { 'r.yml': rules(record('job:x:sum', 'sum by (job) (x)'), record('job:x:sum', 'sum by (job) (x{a="b"})')) },
      expect: [{ rule: 'rule/duplicate', line: 6, column: 9, endLine: 7, endColumn: 41, message: 'both write the same series' }],
    },
  ],
});

describe('rule/duplicate: lint.duplicateScope narrows what one Prometheus loads', () => {
  const files = { 'rules/a.yml': rules(alert('A', 'up == 0')), 'rules/b.yml': rules(alert('A', 'up == 0')), 'other/c.yml': rules(alert('A', 'up == 0')) };
  const lintWith = async (scope: string | undefined): Promise<string[]> => {
    const config: Record<string, string> = scope ? { 'mon.config.ts': `export default { lint: { duplicateScope: '${scope}' } };\n` } : {};
    const dir = makeProject({ ...config, ...files });
    const run = await runLint({ cwd: dir, paths: Object.keys(files) });
    return run.diagnostics.filter((d) => d.rule === 'rule/duplicate').map((d) => d.message.replace(/.* of /, ''));
  };
  it.each([
    [undefined, ['a.yml: both fire as one alert', 'a.yml: both fire as one alert']],
    ['deployment', ['a.yml: both fire as one alert', 'a.yml: both fire as one alert']],
    ['directory', ['a.yml: both fire as one alert']],
    ['file', []],
  ])('%s', async (scope, expected) => {
    expect(await lintWith(scope)).toEqual(expected);
  });
});
