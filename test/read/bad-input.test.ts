import { spawnSync } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { truncateSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstOverlaps } from '../../src/lint/rules/dashboard-grid.js';
import { parsePromql } from '../../src/promql/parse.js';
import { FRAME_COLUMNS } from '../../src/report/pretty.js';
import { runBin } from '../helpers/cli.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

// A file linted beside each bad one: its warning must still be reported.
const NEIGHBOUR = `groups:
  - name: g
    rules:
      - record: total
        expr: sum(up)
`;
const NEIGHBOUR_LINE = /^neighbour\.yml:4:17: warning: .*\[record\/naming\]$/m;

const ruleFile = (expr: string) => `groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: |\n          ${expr}\n`;
const dashboard = (extra: Record<string, unknown>) => JSON.stringify({ title: 'T', uid: 't', schemaVersion: 39, panels: [], ...extra }, null, 2);
const longSum = Array.from({ length: 500 }, (_, i) => `m${i}`).join(' + ');
const deepParens = `${'('.repeat(2000)}up${')'.repeat(2000)}`;

interface Case {
  name: string;
  file: string;
  text: string | Buffer;
  code: 0 | 1 | 2;
  /** The one line the bad file gets (a regular expression over stdout). */
  line?: RegExp;
  /** Text that must not appear in the output. */
  absent?: RegExp;
}

const CASES: Case[] = [
  { name: 'duplicate JSON keys', file: 'dup.json', text: '{"title": "a", "title": "b", "panels": []}', code: 1, line: /^dup\.json:1:16: error: key "title" appears twice .*\[input\/invalid\]$/m },
  {
    name: 'a recursive YAML alias',
    file: 'alias.yml',
    text: 'route: &r\n  receiver: a\n  routes: [*r]\nreceivers: [{name: a}]\n',
    code: 2,
    line: /^alias\.yml:3:12: error: invalid YAML: alias \*r refers to the node that holds it/m,
  },
  { name: 'a recursive alias in a rule file', file: 'rules.yml', text: 'groups: &g\n  - name: x\n    rules: *g\n', code: 2, line: /^rules\.yml:3:12: error: invalid YAML: alias \*g/m },
  { name: '20,000-deep JSON', file: 'deep.json', text: `${'['.repeat(20000)}${']'.repeat(20000)}`, code: 2, line: /^deep\.json:1:1001: error: invalid JSON: nested more than 1,000 levels deep/m },
  {
    name: '20,000-deep JSON inside a dashboard',
    file: 'deep2.json',
    text: `{"panels": ${'['.repeat(20000)}${']'.repeat(20000)}}`,
    code: 2,
    line: /^deep2\.json:1:1011: error: invalid JSON: nested more than/m,
  },
  { name: '20,000-deep YAML', file: 'deep.yml', text: `groups: ${'['.repeat(20000)}${']'.repeat(20000)}\n`, code: 2, line: /^deep\.yml:1:\d+: error: invalid YAML: nesting exceeded/m },
  {
    name: '20,000-deep YAML mappings',
    file: 'deepmap.yml',
    text: `groups: ${'{a: '.repeat(20000)}1${'}'.repeat(20000)}\n`,
    code: 2,
    line: /^deepmap\.yml:1:\d+: error: invalid YAML: nesting exceeded/m,
  },
  // An empty YAML value has no text of its own: the problem is placed where its key ends, never at line:0.
  { name: 'an empty groups: value', file: 'empty.yml', text: 'groups:\n', code: 1, line: /^empty\.yml:1:7: error: `groups` must be a list of rule groups, got null/m },
  {
    name: 'an empty alert: value',
    file: 'emptyalert.yml',
    text: 'groups:\n  - name: g\n    rules:\n      - alert:\n        expr: up\n',
    code: 1,
    line: /^emptyalert\.yml:4:14: error: `alert` must be a name, got null/m,
  },
  {
    name: 'templating.list: [null]',
    file: 'null.json',
    text: dashboard({ templating: { list: [null] } }),
    code: 1,
    line: /^null\.json:\d+:\d+: error: `templating\.list\[0\]` must be an object, got null/m,
  },
  {
    name: 'panels of the wrong types',
    file: 'types.json',
    text: dashboard({ panels: [5, { type: 'graph', targets: { expr: 'up' }, gridPos: [0, 0] }] }),
    code: 1,
    line: /^types\.json:\d+:\d+: error: `panels\[1\]\.targets` must be a list, got a mapping/m,
  },
  {
    name: 'templating of the wrong type',
    file: 'tpl.json',
    text: dashboard({ templating: 'x', annotations: { list: [1] } }),
    code: 1,
    line: /^tpl\.json:\d+:\d+: error: `templating` must be an object, got "x"/m,
  },
  { name: 'a 500-term sum (promtool accepts it)', file: 'sum.yml', text: ruleFile(longSum), code: 0, absent: /promql\/syntax/ },
  {
    name: 'rule groups without rules (promtool accepts them)',
    file: 'empty.yml',
    text: 'groups:\n  - name: none\n  - name: empty\n    rules: []\n  - name: nothing\n    rules:\n',
    code: 0,
    absent: /input\/invalid/,
  },
  { name: 'rules that are not a list', file: 'norules.yml', text: 'groups:\n  - name: g\n    rules: up\n', code: 1, line: /^norules\.yml:3:12: error: `rules` of group "g" must be a list, got/m },
  { name: '2,000 nested parentheses (promtool accepts them)', file: 'parens.yml', text: ruleFile(deepParens), code: 0, absent: /promql\/syntax/ },
  { name: '3,000 unary minus signs (promtool accepts them)', file: 'minus.yml', text: ruleFile(`${'-'.repeat(3000)}up`), code: 0, absent: /promql\/syntax/ },
  {
    name: 'raw ESC sequences in a rule file',
    file: 'raw.yml',
    text: 'groups:\n  - name: \x1b[2J\x1b[31mred\n',
    code: 2,
    line: /^raw\.yml:2:11: error: invalid YAML: the stream contains non-printable characters/m,
    absent: /\x1b/,
  },
  {
    name: 'ESC sequences written as YAML escapes',
    file: 'esc.yml',
    text: 'groups:\n  - name: "\\e[2J\\e[31mred"\n    rules:\n      - record: "a\\e]0;x\\a"\n        expr: up\n        bad\\x9b: 1\n',
    code: 1,
    line: /^esc\.yml:4:18: warning: .*a\\x1b\]0;x\\x07/m,
    absent: /[\x1b\x07\x9b]/,
  },
  {
    name: 'a bidi override and CR in a dashboard',
    file: 'bidi.json',
    text: dashboard({ 'bad\u202ekey\r': 1, panels: [{ type: 'timeseries', title: 'x\u202e\ry', targets: [{ expr: 'rate(x[5m]' }] }] }),
    code: 1,
    absent: /\u202e|\r/,
  },
  { name: 'binary content', file: 'bin.yml', text: Buffer.from([0x67, 0x00, 0x01, 0x02]), code: 2, line: /^bin\.yml:1:1: error: binary file/m },
  { name: 'an empty file', file: 'empty.yml', text: '  \n', code: 2, line: /^empty\.yml:1:1: error: empty file/m },
];

describe('mon-lint contains bad input', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s: one line, the neighbour still reported', (_name, c) => {
    const dir = makeProject({ 'neighbour.yml': NEIGHBOUR });
    writeFileSync(path.join(dir, c.file), c.text);
    const result = runBin('mon-lint', [c.file, 'neighbour.yml'], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(c.code);
    expect(result.stdout).toMatch(NEIGHBOUR_LINE);
    if (c.line) expect(result.stdout).toMatch(c.line);
    if (c.absent) expect(result.stdout).not.toMatch(c.absent);
    expect(result.stdout).not.toMatch(/internal error|\n\s+at .*\(.*:\d+:\d+\)/);
    // Every line that names a file names its line and column.
    for (const line of result.stdout.split('\n').filter((l) => /^\S+\.(json|yml): /.test(l))) expect(line).toMatch(/^\S+:\d+:\d+: /);
  });

  it.each(['json', 'sarif', 'github'])('escapes control characters in --format %s', (format) => {
    const dir = makeProject({ 'esc.yml': CASES.find((c) => c.file === 'esc.yml')!.text as string, 'bidi.json': CASES.find((c) => c.file === 'bidi.json')!.text as string });
    const result = runBin('mon-lint', ['--format', format, 'esc.yml', 'bidi.json'], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/input\/invalid|record\/naming|promql\/syntax/);
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e]/);
    if (format !== 'github') expect(() => JSON.parse(result.stdout)).not.toThrow();
  });

  it('prints code frames of a minified 300 KB dashboard within the frame width', () => {
    const panels = Array.from({ length: 2600 }, (_, i) => ({ id: i, type: 'timeseries', title: `p${i}`, gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ expr: 'rate(x[1m]' }] }));
    const text = JSON.stringify({ title: 'M', uid: 'm', schemaVersion: 39, panels });
    expect(text.length).toBeGreaterThan(300_000);
    const dir = makeProject({ 'min.json': text });
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-lint.js'), 'min.json'], {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      maxBuffer: 1 << 28,
      timeout: 120_000,
    });
    expect(result.status).toBe(1);
    const frames = result.stdout.split('\n').filter((l) => / \| /.test(l));
    expect(frames.length).toBeGreaterThan(2500);
    for (const line of frames) expect(line.length).toBeLessThanOrEqual(FRAME_COLUMNS + 12);
    // Problems sit inside their window: the caret line points under the span's first characters.
    expect(result.stdout).toMatch(/min\.json:1:\d+: error: PromQL: unexpected end of expression/);
  });

  it.each(['-', '/dev/stdin'])('reads standard input as %s', (name) => {
    const dir = makeProject({ 'neighbour.yml': NEIGHBOUR });
    const child = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-lint.js'), name, 'neighbour.yml'], {
      cwd: dir,
      input: NEIGHBOUR.replace('total', 'stdin_total'),
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 60_000,
    });
    expect(child.status).toBe(0);
    expect(child.stdout).toMatch(/^\/dev\/stdin:4:17: warning: .*stdin_total.*\[record\/naming\]$/m);
    expect(child.stdout).toMatch(/^>\s+4 \|\s+- record: stdin_total$/m);
    expect(child.stdout).toMatch(NEIGHBOUR_LINE);
  });

  it('refuses standard input over the size limit', () => {
    const dir = makeProject({});
    const child = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-lint.js'), '-'], {
      cwd: dir,
      input: 'a: b\n'.repeat(300_000),
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', MONCODE_MAX_INPUT_MIB: '1' },
      timeout: 60_000,
    });
    expect(child.status).toBe(2);
    expect(child.stdout).toMatch(/^\/dev\/stdin:1:1: error: .*larger than 1 MiB/m);
  });

  it('refuses FIFOs, devices and files over 64 MiB by type and size, without reading them', () => {
    const dir = makeProject({ 'neighbour.yml': NEIGHBOUR });
    execFileSync('mkfifo', [path.join(dir, 'pipe.yml')]);
    writeFileSync(path.join(dir, 'huge.yml'), '');
    truncateSync(path.join(dir, 'huge.yml'), 65 * 1024 * 1024);
    const result = runBin('mon-lint', ['pipe.yml', '/dev/zero', 'huge.yml', 'neighbour.yml'], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toMatch(/^pipe\.yml:1:1: error: a FIFO \(named pipe\), not a file/m);
    expect(result.stdout).toMatch(/^\/dev\/zero:1:1: error: a device, not a file/m);
    expect(result.stdout).toMatch(/^huge\.yml:1:1: error: file is 65\.0 MiB; mon-lint reads files up to 64 MiB/m);
    expect(result.stdout).toMatch(NEIGHBOUR_LINE);
  });
});

describe('PromQL that promtool accepts parses', () => {
  const promtool = requireTool('promtool');
  const EXPRESSIONS = [
    { name: '500-term sum', expr: longSum },
    { name: '2,000-term sum', expr: Array.from({ length: 2000 }, (_, i) => `m${i}`).join(' + ') },
    { name: '2,000 nested parentheses', expr: deepParens },
    { name: '10,000 nested parentheses', expr: `${'('.repeat(10000)}up${')'.repeat(10000)}` },
    { name: 'deep parentheses around a sum', expr: `${'('.repeat(2000)}sum by (job) (rate(x[5m])) / 2${')'.repeat(2000)}` },
    { name: '300 nested aggregations', expr: `${'sum('.repeat(300)}up${')'.repeat(300)}` },
    { name: '3,000 unary minus signs', expr: `${'-'.repeat(3000)}up` },
    { name: 'a spaced negative number', expr: '- 1' },
  ];
  it.each(EXPRESSIONS.map((e) => [e.name, e] as const))('%s', (_name, { expr }) => {
    const parsed = parsePromql(expr);
    expect(parsed.error).toBeUndefined();
    if (expr === '- 1') expect(parsed.expr).toMatchObject({ kind: 'number', value: -1 });
    if (!promtool) return;
    const dir = makeProject({ 'rules.yml': ruleFile(expr) });
    const checked = runTool(promtool, ['check', 'rules', path.join(dir, 'rules.yml')]);
    expect(checked.output).toContain('SUCCESS');
  });

  it('still reports real faults in long and deep expressions', () => {
    expect(parsePromql(`${longSum} +`).error?.message).toBe('unexpected end of expression');
    expect(parsePromql(`${'('.repeat(2000)}up${')'.repeat(1999)}`).error).toBeDefined();
    expect(parsePromql(`${'('.repeat(2000)}rate(up)${')'.repeat(2000)}`).error?.message).toContain('range vector');
  });
});

describe('dashboard/grid overlap check', () => {
  const overlaps = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  interface Box {
    x: number;
    y: number;
    w: number;
    h: number;
  }
  it('finds the same first overlap as comparing every pair (seeded random layouts)', () => {
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed % n;
    };
    for (let trial = 0; trial < 2000; trial++) {
      const boxes = Array.from({ length: 1 + random(30) }, () => ({ x: random(24), y: random(40), w: 1 + random(24), h: 1 + random(10) }));
      const naive = boxes.map((a, i) => boxes.slice(0, i).findIndex((b) => overlaps(a, b))).map((j) => (j < 0 ? undefined : j));
      expect(firstOverlaps(boxes)).toEqual(naive);
    }
  });
});
