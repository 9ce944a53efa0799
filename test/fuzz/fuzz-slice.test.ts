import { describe, expect, it } from 'vitest';
// @ts-expect-error -- plain ESM shared with scripts/fuzz.mjs (npm run fuzz), no type declarations
import { formatReport, judge, runHarness } from './harness.mjs';
import { requireShared } from '../helpers/shared.js';

// The slice of `npm run fuzz` that runs with every `npm test`: seeded, so a failure reproduces with
// `npm run fuzz -- --seed 20261202`. Hostile definitions whose fixes belong to other work join it once
// those fixes are on main; the full run reports them meanwhile.
const SPECIALS = [
  'duplicate JSON keys',
  'recursive YAML alias',
  'billion laughs',
  '20,000-deep JSON',
  '20,000-deep YAML',
  'templating list of null',
  'nulls everywhere',
  'wrong types everywhere',
  'rule file of wrong types',
  'alertmanager of wrong types',
  '500-term sum',
  '2,000 nested parentheses',
  'escaped ESC in YAML',
  'ESC in a dashboard',
  'constructor keys in a dashboard',
  'a FIFO',
  '/dev/zero',
  'a sparse 65 MiB file',
  'ConfigMap with bad dashboards',
];
const DEFINITIONS = ['a PromQL fault', 'control characters in a title', 'exports a cyclic object', 'exports a rule group holding itself'];

describe('fault harness (seeded slice)', () => {
  const corpus = requireShared('corpus');

  it('tells a crash, a hang, a missing location and raw control characters apart', () => {
    const ok = { code: 1, signal: null, timedOut: false, stdout: '{"diagnostics":[{"rule":"r","message":"m","file":"a.yml","line":1,"column":2}],"summary":{"files":1}}', stderr: '' };
    expect(judge(ok, { format: 'json', files: ['a.yml'] })).toEqual([]);
    expect(judge({ ...ok, timedOut: true }, { format: 'json' }).map((f: { kind: string }) => f.kind)).toEqual(['hang']);
    expect(judge({ ...ok, code: 134 }, { format: 'json' }).map((f: { kind: string }) => f.kind)).toEqual(['crash']);
    expect(judge({ ...ok, stderr: 'TypeError: x\n    at f (file.js:1:2)' }, { format: 'json' }).map((f: { kind: string }) => f.kind)).toEqual(['crash']);
    expect(judge({ ...ok, stdout: ok.stdout.replace(',"file":"a.yml","line":1,"column":2', '') }, { format: 'json' }).map((f: { kind: string }) => f.kind)).toEqual(['no-location']);
    expect(judge({ ...ok, stdout: ok.stdout.replace('"m"', '"\u009b31m"') }, { format: 'json' }).map((f: { kind: string }) => f.kind)).toEqual(['control']);
    expect(judge(ok, { format: 'json', files: ['a.yml', 'b.yml'] }).map((f: { kind: string }) => f.kind)).toEqual(['hidden']);
  });

  it.skipIf(!corpus.present)(
    'finds no crash, hang, unlocated diagnostic or raw control character',
    async () => {
      const report = await runHarness({ seed: 20261202, inputs: 200, batchSize: 50, specials: SPECIALS, definitionNames: DEFINITIONS, timeLimitMs: 150_000 });
      const printed = formatReport(report);
      expect(report.inputs, printed).toBe(200 + SPECIALS.length);
      expect(report.definitions, printed).toBe(DEFINITIONS.length);
      expect(report.timedOut, printed).toBe(false);
      expect(report.failures, printed).toEqual([]);
    },
    240_000,
  );
});
