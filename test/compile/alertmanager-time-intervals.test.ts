import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { timeRangeProblems } from '../../src/compile/alertmanager/time-intervals.js';
import type { TimeRange } from '../../src/model/alertmanager.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const amtool = requireTool('amtool');
const scratch = mkdtempSync(path.join(os.tmpdir(), 'moncode-intervals-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** amtool check-config's verdict on one time range. */
function amtoolAccepts(range: TimeRange): boolean {
  const config = { route: { receiver: 'r', routes: [{ receiver: 'r', mute_time_intervals: ['x'] }] }, receivers: [{ name: 'r' }], time_intervals: [{ name: 'x', time_intervals: [range] }] };
  writeFileSync(path.join(scratch, 'am.yml'), stringify(config));
  return runTool(amtool!, ['check-config', 'am.yml'], scratch).code === 0;
}

describe('time ranges moncode refuses are those amtool check-config refuses', () => {
  // [range, accepted by moncode, why moncode is stricter]
  const cases: Array<[TimeRange, boolean, string?]> = [
    [{ weekdays: ['monday:friday', 'saturday', 'sunday'] }, true],
    [{ weekdays: ['sunday:saturday'] }, true],
    [{ weekdays: ['Sunday' as 'sunday', 'SATURDAY' as 'saturday'] }, true],
    [{ weekdays: ['saturday:sunday'] }, false],
    [{ weekdays: ['mon' as 'monday'] }, false],
    [{ weekdays: ['monday:tuesday:friday' as 'monday'] }, false],
    [{ weekdays: [' monday' as 'monday'] }, false],
    [{ times: [{ start_time: '00:00', end_time: '24:00' }] }, true],
    [{ times: [{ start_time: '09:00', end_time: '17:30' }] }, true],
    [{ times: [{ start_time: '10:00', end_time: '10:00' }] }, false],
    [{ times: [{ start_time: '18:00', end_time: '09:00' }] }, false],
    [{ times: [{ start_time: '9:00', end_time: '10:00' }] }, false],
    [{ times: [{ start_time: '24:00', end_time: '24:00' }] }, false],
    [{ times: [{ start_time: '10:00', end_time: '25:00' }] }, false],
    [{ days_of_month: ['1:-1', '-31', '-5:-3', '7', '1:31'] }, true],
    [{ days_of_month: ['0'] }, false],
    [{ days_of_month: ['32'] }, false],
    [{ days_of_month: ['-32'] }, false],
    [{ days_of_month: ['-1:1'] }, false],
    [{ days_of_month: ['5:3'] }, false],
    [{ days_of_month: ['-3:-5'] }, false],
    [{ days_of_month: ['x'] }, false],
    [{ days_of_month: [' 1'] }, false],
    [{ months: ['January', '1:march', 'june:august', '12'] }, true],
    [{ months: ['december:january'] }, false],
    [{ months: ['smarch'] }, false],
    [{ months: ['13'] }, false, 'Alertmanager 0.25 loads month 13 and never matches it'],
    [{ months: ['0'] }, false, 'Alertmanager 0.25 loads month 0 and never matches it'],
    [{ years: ['2020:2030', '0', '99999'] }, true],
    [{ years: ['2020:2019'] }, false],
    [{ location: 'Europe/London' }, true],
    [{ location: 'Local' }, true],
    [{ location: 'UTC' }, true],
    [{ location: 'EST' }, true],
    [{ location: 'Mars/Base' }, false],
    [{ location: 'utc' }, false],
    [{ location: 'europe/london' }, false],
  ];
  it.each(cases)('%j', (range, accepted, stricter) => {
    const problems = timeRangeProblems(range);
    expect(problems.length === 0, JSON.stringify(problems)).toBe(accepted);
    if (!amtool) return;
    expect(amtoolAccepts(range)).toBe(stricter ? !accepted : accepted);
  });
});

describe('a bad time interval fails the build at its field', () => {
  it('three problems at their lines, no out/', () => {
    const source = `import { alertmanager, receiver, timeInterval } from 'moncode';

const team = receiver({ name: 'team', email_configs: [{ to: 'team@example.com' }] });
const weekend = timeInterval('weekend', {
  weekdays: ['saturday:sunday'], // WEEKDAYS
});
const night = timeInterval('night', {
  times: [{ start_time: '18:00', end_time: '06:00' }], // TIMES
  location: 'europe/london', // LOCATION
});

export const config = alertmanager({
  global: { smtp_smarthost: 'smtp.example.com:587', smtp_from: 'am@example.com' },
  route: { receiver: team, routes: [{ matchers: ['team="db"'], receiver: team, mute_time_intervals: [weekend, night] }] },
});
`;
    const dir = makeProject({ 'definitions/shop/alertmanager.ts': source });
    const run = runBin('mon-build', ['--format', 'json'], dir);
    expect(run.code, run.stdout + run.stderr).toBe(1);
    const lineOf = (marker: string) => source.split('\n').findIndex((l) => l.includes(`// ${marker}`)) + 1;
    const found = (JSON.parse(run.stdout) as { diagnostics: Array<{ rule: string; line: number; column: number; message: string }> }).diagnostics.map((d) => [d.rule, d.line, d.column, d.message]);
    expect(found).toEqual([
      [
        'definition/invalid',
        lineOf('WEEKDAYS'),
        3,
        "time interval weekend: weekdays \"saturday:sunday\" runs backwards: Alertmanager's week starts on Sunday, so write each part of it (e.g. 'saturday', 'sunday')",
      ],
      ['definition/invalid', lineOf('TIMES'), 3, 'time interval night: times 18:00–06:00: the end must be after the start (a span over midnight is two spans, to 24:00 and from 00:00)'],
      ['definition/invalid', lineOf('LOCATION'), 3, 'time interval night: location "europe/london": time zone names are case-sensitive, write Europe/London'],
    ]);
  });
});
