import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// A dashboard's time range against Grafana's date math: the types refuse a typo with a hint, and
// a value that reaches the build around them (a cast, `extra`) is an error at its field when
// Grafana would not read it (it would fall back to its default range without a word).

/** definitions/api/dash.ts with `fields` on line 3 (its first character at column 3). */
const dash = (fields: string) => `import { dashboard } from 'moncode';\nexport const api = dashboard({\n  ${fields},\n  title: 'API', uid: 'api',\n});\n`;

interface Reported {
  rule: string;
  severity: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

function build(fields: string): { code: number | null; diagnostics: string[]; dir: string } {
  const dir = makeProject({ 'definitions/api/dash.ts': dash(fields) });
  const result = runBin('mon-build', ['--format', 'json'], dir);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as { diagnostics: Reported[] };
  return { code: result.code, dir, diagnostics: report.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.rule} ${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`) };
}

describe('dashboard time ranges', () => {
  it.each([
    [
      'a typo is a type error with what to write instead',
      "time: { from: 'now-6hours', to: 'now' }",
      1,
      [
        "typescript 3:11-3:15 TS2322: Type '\"now-6hours\"' is not assignable to type 'GrafanaTime' — a time is `now` with Grafana's date math (now-6h, now/d, now-1d/d) or an ISO 8601 time (2024-03-01T08:00:00Z)",
      ],
    ],
    [
      'a cast past the types is an error at the field',
      "time: { from: 'now-6hours' as 'now', to: 'now' }",
      1,
      ['definition/invalid 3:11-3:38 `time.from` is "now-6hours", which Grafana does not read as a time: `ours` is not a step of Grafana\'s date math (-6h, +1d, /d; units y Q M w d h m s)'],
    ],
    [
      'math Grafana stops reading, through extra, is an error at extra',
      "extra: { time: { from: 'now-1d/d-1d/d+12h', to: 'now' } }",
      1,
      ['definition/invalid 3:3-3:60 `time.from` is "now-1d/d-1d/d+12h", which Grafana does not read as a time: Grafana reads no number past the 10th character of its date math'],
    ],
    ['three steps of math, through extra, build', "extra: { time: { from: 'now-1d/d+8h', to: 'now' } }", 0, []],
    ['ISO 8601 times build', "time: { from: '2024-03-01T08:00:00Z', to: '2024-03-01||+1d' }", 0, []],
  ])('%s', (_name, fields, code, expected) => {
    const result = build(fields);
    expect(result.diagnostics).toEqual(expected);
    expect(result.code).toBe(code);
    if (code === 0) {
      const written = JSON.parse(readFileSync(path.join(result.dir, 'out/grafana/dashboards/api/api.json'), 'utf8')) as { time: unknown };
      expect(written.time).toEqual(/extra: \{ time: (\{[^}]*\})/.exec(fields) ? { from: 'now-1d/d+8h', to: 'now' } : { from: '2024-03-01T08:00:00Z', to: '2024-03-01||+1d' });
    }
  });
});
