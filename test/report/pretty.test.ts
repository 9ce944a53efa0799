import { describe, expect, it } from 'vitest';
import { lintReport } from '../../src/commands/lint.js';
import { formatPretty } from '../../src/report/pretty.js';
import { summarize } from '../../src/report/resolve.js';
import { makeProject } from '../helpers/project.js';
import { alert, dashboardJson, rules } from '../lint/tester.js';

const graphPanel = (id: number, title: string) => ({ type: 'graph', id, title, gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [] });

/**
 * The pretty output of a few representative problems, as `mon-lint` prints it without colour.
 * The snapshots are files in the repository, so a change to the format is a diff to review.
 */
const CASES: Array<{ name: string; rule: string; files: Record<string, string> }> = [
  { name: 'code-frame', rule: 'promql/syntax', files: { 'r.yml': rules(alert('A', 'rat(x[5m]) > 0')) } },
  { name: 'span-past-the-line', rule: 'label/required', files: { 'r.yml': rules(alert('A', 'up == 0', 'annotations:\n  summary: s')) } },
  {
    name: 'related-locations',
    rule: 'dashboard/duplicate-uid',
    // Two dashboards (one file holding the very same dashboard twice is one dashboard).
    files: { 'a.json': dashboardJson([]), 'b.json': dashboardJson([], [], { description: 'another team’s' }) },
  },
  {
    name: 'long-line-window',
    rule: 'dashboard/deprecated-panel',
    // A minified dashboard: one line, the problem far past the frame's width.
    files: { 'd.json': JSON.stringify({ title: 'Minified', uid: 'm', schemaVersion: 42, description: 'x'.repeat(300), panels: [graphPanel(1, 'Requests')], tail: 'y'.repeat(300) }) },
  },
];

describe('pretty output', () => {
  it.each(CASES.map((c) => [c.name, c]))('%s', async (name, c) => {
    const dir = makeProject(c.files);
    const report = await lintReport({ cwd: dir, paths: Object.keys(c.files) });
    const shown = report.diagnostics.filter((d) => d.rule === c.rule);
    expect(shown.length).toBeGreaterThan(0);
    const text = formatPretty(shown, summarize(shown, Object.keys(c.files).length), report.sources, { color: false, codeFrames: true });
    await expect(text).toMatchFileSnapshot(`__snapshots__/pretty/${name}.txt`);
  });
});
