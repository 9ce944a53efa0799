import { describe, expect, it } from 'vitest';
import { migrateDashboard } from '../../src/import/migrate.js';

/**
 * Each schema migration step Grafana applies when it loads an older dashboard, on a synthetic
 * dashboard one version older than the step: what the step changes, and that a dashboard already
 * at that version is left as it is (Grafana runs a step only for older dashboards).
 */

type Json = Record<string, any>;

const panel = (extra: Json): Json => ({ id: 1, type: 'timeseries', title: 'p', gridPos: { x: 0, y: 0, w: 12, h: 8 }, ...extra });

type Case = [step: number, input: Json, check: (migrated: Json) => void];

const CASES: Case[] = [
  [
    14,
    { sharedCrosshair: true, panels: [] },
    (d) => {
      expect(d.graphTooltip).toBe(1);
      expect(d.sharedCrosshair).toBeUndefined();
    },
  ],
  // minSpan 4 (of 12 columns) is 8 of 24 after the grid upgrade: at most 3 per row.
  [
    17,
    { rows: [{ panels: [{ type: 'timeseries', title: 'a', span: 6, minSpan: 4, repeat: 'x' }] }] },
    (d) => {
      expect(d.panels[0].maxPerRow).toBe(3);
      expect(d.panels[0].minSpan).toBeUndefined();
    },
  ],
  [17, { panels: [panel({ minSpan: 5 })] }, (d) => expect(d.panels[0].maxPerRow).toBe(4)],
  [
    19,
    {
      panels: [
        panel({ links: [{ dashboard: 'Node Exporter / Full!', title: 'by name', keepTime: true, includeVars: true, params: 'x=1' }] }),
        panel({
          id: 2,
          links: [
            { dashUri: 'db/abc', title: 'by uri' },
            { url: 'https://x.test', title: 'url', targetBlank: true },
            { title: 'nothing', targetBlank: false },
          ],
        }),
        { type: 'row', title: 'r', collapsed: true, panels: [panel({ id: 3, links: [{ url: 'https://y.test', params: 'a=b' }] })] },
      ],
    },
    (d) => {
      expect(d.panels[0].links).toEqual([{ url: 'dashboard/db/node-exporter-full?$__url_time_range&$__all_variables&x=1', title: 'by name' }]);
      expect(d.panels[1].links).toEqual([
        { url: 'dashboard/db/abc', title: 'by uri' },
        { url: 'https://x.test', title: 'url', targetBlank: true },
        { url: '/', title: 'nothing' },
      ]);
      // Panels of a collapsed row too.
      expect(d.panels[2].panels[0].links).toEqual([{ url: 'https://y.test?a=b', title: '' }]);
    },
  ],
  [
    20,
    {
      panels: [
        panel({
          type: 'stat',
          options: {
            dataLinks: [{ title: 'l', url: 'https://x.test/?s=$__series_name&t=__value_time&f=__field_name' }],
            fieldOptions: { defaults: { title: '$__field_name of __series_name', links: [{ url: 'https://x.test/?f=$__field_name' }] } },
          },
        }),
      ],
    },
    (d) => {
      expect(d.panels[0].options.dataLinks[0].url).toBe('https://x.test/?s=${__series.name}&t=__value.time&f=__field.name');
      expect(d.panels[0].options.fieldOptions.defaults).toEqual({ title: '${__field.name} of __series.name', links: [{ url: 'https://x.test/?f=${__field.name}' }] });
    },
  ],
  [
    21,
    {
      panels: [
        panel({
          type: 'gauge',
          options: {
            dataLinks: [{ url: 'https://x.test/?l=${__series.labels}&a=${__series.labels.a}' }],
            fieldOptions: { defaults: { title: '${__series.labels.b}', links: [{ url: 'https://x.test/?x=${__series.labels.x}' }] } },
          },
        }),
      ],
    },
    (d) => {
      expect(d.panels[0].options.dataLinks[0].url).toBe('https://x.test/?l=${__field.labels}&a=${__field.labels.a}');
      // Step 21 rewrites the links only, not the title.
      expect(d.panels[0].options.fieldOptions.defaults).toEqual({ title: '${__series.labels.b}', links: [{ url: 'https://x.test/?x=${__field.labels.x}' }] });
    },
  ],
  // Every table style aligns 'auto', which Grafana's table migration writes as an empty custom.align.
  [
    22,
    {
      panels: [
        panel({
          type: 'table',
          styles: [
            { type: 'number', pattern: 'Time', align: 'left' },
            { type: 'string', pattern: 'Value', align: 'right', alias: 'v' },
          ],
        }),
      ],
    },
    (d) => {
      expect(d.panels[0].type).toBe('table');
      expect(d.panels[0].fieldConfig.overrides).toEqual([
        { matcher: { id: 'byName', options: 'Time' }, properties: [{ id: 'custom.align', value: '' }] },
        {
          matcher: { id: 'byName', options: 'Value' },
          properties: [
            { id: 'displayName', value: 'v' },
            { id: 'custom.align', value: '' },
          ],
        },
      ]);
    },
  ],
  [
    23,
    {
      templating: {
        list: [
          { type: 'query', name: 'a', query: 'q', refresh: 1, multi: true, current: { text: 'x', value: 'x' } },
          { type: 'query', name: 'b', query: 'q', refresh: 1, multi: false, current: { text: ['y', 'z'], value: ['y', 'z'] } },
          { type: 'custom', name: 'c', query: 'x', multi: false, current: { text: [], value: [] } },
          { type: 'custom', name: 'd', query: 'x', current: { text: ['w'], value: ['w'] } },
          { type: 'custom', name: 'e', query: 'x', multi: true, current: { text: 'all', value: ['$__all'] } },
        ],
      },
    },
    (d) => {
      expect(d.templating.list.map((v: Json) => v.current)).toEqual([
        { text: ['x'], value: ['x'] },
        { text: 'y', value: 'y' },
        { text: '', value: '' },
        // Without multi Grafana leaves the value as it is, and so when it already is a list.
        { text: ['w'], value: ['w'] },
        { text: 'all', value: ['$__all'] },
      ]);
    },
  ],
  [
    26,
    { panels: [panel({ type: 'text2', options: { content: '# hi', mode: 'markdown', angular: true } })] },
    (d) => {
      expect(d.panels[0].type).toBe('text');
      expect(d.panels[0].options).toEqual({ content: '# hi', mode: 'markdown' });
    },
  ],
  [
    27,
    {
      panels: [panel({}), panel({ id: 2, repeatPanelId: 1 })],
      templating: {
        list: [
          { type: 'constant', name: 'shown', query: 'v', hide: 0 },
          { type: 'constant', name: 'hidden', query: 'w', hide: 2 },
        ],
      },
    },
    (d) => {
      expect(d.panels.map((p: Json) => p.id)).toEqual([1]);
      expect(d.templating.list[0]).toMatchObject({ type: 'textbox', query: 'v', current: { text: 'v', value: 'v' } });
      expect(d.templating.list[1]).toMatchObject({ type: 'constant', query: 'w', current: { text: 'w', value: 'w' } });
    },
  ],
  [
    28,
    { templating: { list: [{ type: 'query', name: 'job', query: 'label_values(job)', refresh: 1, tags: [], tagsQuery: 'x', tagValuesQuery: 'y', useTags: false }] } },
    (d) => expect(Object.keys(d.templating.list[0]).sort()).toEqual(['name', 'query', 'refresh', 'type']),
  ],
  [
    29,
    {
      templating: {
        list: [
          { type: 'query', name: 'a', query: 'q', refresh: 0, options: [{ text: 'x', value: 'x' }] },
          { type: 'query', name: 'b', query: 'q', refresh: 2 },
          { type: 'custom', name: 'c', query: 'x', refresh: 0, options: [{ text: 'x', value: 'x' }] },
        ],
      },
    },
    (d) => {
      expect(d.templating.list.map((v: Json) => v.refresh)).toEqual([1, 2, 0]);
      expect(d.templating.list[0].options).toEqual([]);
      expect(d.templating.list[2].options).toHaveLength(1);
    },
  ],
  [
    30,
    {
      panels: [
        panel({
          type: 'stat',
          fieldConfig: {
            defaults: {
              thresholds: {
                mode: 'absolute',
                steps: [
                  { color: 'green', value: null },
                  { color: 'red', value: 1 },
                ],
              },
              mappings: [
                { id: 0, type: 1, value: '1', text: 'Up' },
                { id: 1, type: 1, value: '0', text: 'Down' },
                { id: 2, type: 1, value: 'null', text: 'N/A' },
                { id: 3, type: 2, from: '10', to: '20', text: '5' },
              ],
            },
            overrides: [],
          },
        }),
        panel({ id: 2, options: { tooltipOptions: { mode: 'multi' } } }),
      ],
    },
    (d) => {
      expect(d.panels[0].fieldConfig.defaults.mappings).toEqual([
        { type: 'value', options: { 1: { text: 'Up' }, 0: { text: 'Down' } } },
        { type: 'special', options: { match: 'null', result: { text: 'N/A' } } },
        // A numeric text takes the colour of the threshold it falls in.
        { type: 'range', options: { from: 10, to: 20, result: { text: '5', color: 'red' } } },
      ]);
      expect(d.panels[1].options).toEqual({ tooltip: { mode: 'multi' } });
    },
  ],
  [
    31,
    {
      panels: [
        panel({
          transformations: [
            { id: 'labelsToFields', options: { mode: 'rows' } },
            { id: 'organize', options: {} },
            { id: 'labelsToFields', options: {} },
          ],
        }),
      ],
    },
    (d) => expect(d.panels[0].transformations.map((t: Json) => t.id)).toEqual(['labelsToFields', 'merge', 'organize', 'labelsToFields', 'merge']),
  ],
  [
    35,
    { panels: [panel({ fieldConfig: { defaults: { custom: { axisPlacement: 'hidden' } }, overrides: [] } })] },
    (d) => expect(d.panels[0].fieldConfig.overrides).toEqual([{ matcher: { id: 'byType', options: 'time' }, properties: [{ id: 'custom.axisPlacement', value: 'auto' }] }]),
  ],
  [
    37,
    {
      panels: [
        panel({ options: { legend: { displayMode: 'hidden', placement: 'bottom' } } }),
        panel({ id: 2, options: { legend: { displayMode: 'table', showLegend: false } } }),
        panel({ id: 3, options: { legend: { displayMode: 'table' } } }),
        panel({ id: 4, options: { legend: false } }),
      ],
    },
    (d) => {
      expect(d.panels.map((p: Json) => p.options.legend)).toEqual([
        { displayMode: 'list', placement: 'bottom', showLegend: false },
        { displayMode: 'list', showLegend: false },
        { displayMode: 'table', showLegend: true },
        { displayMode: 'list', showLegend: false },
      ]);
    },
  ],
  [
    38,
    {
      panels: [
        panel({
          type: 'table',
          fieldConfig: {
            defaults: { custom: { displayMode: 'gradient-gauge', align: 'auto' } },
            overrides: [{ matcher: { id: 'byName', options: 'cpu' }, properties: [{ id: 'custom.displayMode', value: 'color-background-solid' }] }],
          },
        }),
      ],
    },
    (d) => {
      expect(d.panels[0].fieldConfig.defaults.custom).toEqual({ align: 'auto', cellOptions: { type: 'gauge', mode: 'gradient' } });
      expect(d.panels[0].fieldConfig.overrides[0].properties).toEqual([{ id: 'custom.cellOptions', value: { type: 'color-background', mode: 'basic' } }]);
    },
  ],
  [
    39,
    {
      panels: [
        panel({
          type: 'table',
          transformations: [
            { id: 'timeSeriesTable', options: { refIdToStat: { A: 'mean', B: 'max' } } },
            { id: 'timeSeriesTable', options: {} },
          ],
        }),
      ],
    },
    (d) => expect(d.panels[0].transformations.map((t: Json) => t.options)).toEqual([{ A: { stat: 'mean' }, B: { stat: 'max' } }, {}]),
  ],
  [40, { refresh: false, panels: [] }, (d) => expect(d.refresh).toBe('')],
  [41, { timepicker: { refresh_intervals: ['5s'], time_options: ['5m'] } }, (d) => expect(d.timepicker).toEqual({ refresh_intervals: ['5s'] })],
  [
    42,
    { panels: [panel({ fieldConfig: { defaults: {}, overrides: [{ matcher: { id: 'byName', options: 'x' }, properties: [{ id: 'custom.hideFrom', value: { viz: true, legend: false } }] }] } })] },
    (d) => expect(d.panels[0].fieldConfig.overrides[0].properties[0].value).toEqual({ viz: true, legend: false, tooltip: true }),
  ],
];

describe('migrateDashboard applies Grafana schema steps to older dashboards only', () => {
  it.each(CASES.map(([step, input, check]) => [step, input, check] as const))('step %i', (step, input, check) => {
    const older = { title: 'd', uid: 'd', ...structuredClone(input), schemaVersion: step - 1 };
    const { json, changes } = migrateDashboard(older);
    check(json);
    expect(changes.some((c) => c.message.startsWith(`schemaVersion ${step}:`) || c.message.startsWith('rows[]'))).toBe(true);
    // The input itself is not modified.
    expect(older).toEqual({ title: 'd', uid: 'd', ...input, schemaVersion: step - 1 });
    if (!('rows' in input)) {
      const current = { title: 'd', uid: 'd', ...structuredClone(input), schemaVersion: step };
      expect(migrateDashboard(current).changes.filter((c) => c.message.startsWith('schemaVersion'))).toEqual([]);
    }
  });

  it("a dashboard's style is left out at any schemaVersion, as in Grafana's migrated dashboards", () => {
    for (const schemaVersion of [0, 19, 42]) {
      const { json, changes } = migrateDashboard({ title: 'd', style: 'dark', schemaVersion, panels: [] });
      expect(json.style).toBeUndefined();
      expect(changes.map((c) => c.at)).toContain('/style');
    }
  });

  it('a dashboard without schemaVersion gets every step (Grafana reads it as 0)', () => {
    const { json } = migrateDashboard({ title: 'd', timepicker: { time_options: ['5m'] }, refresh: 30, templating: { list: [{ type: 'query', name: 'a', useTags: false }] } });
    expect(json.timepicker).toEqual({});
    expect(json.refresh).toBe('');
    expect(json.templating).toEqual({ list: [{ type: 'query', name: 'a', refresh: 1 }] });
  });
});

/**
 * What Grafana's migrated dashboards hold beyond the schema steps, each class on a synthetic
 * dashboard: the layout of rows[] and the panels' own migrations.
 */
const PANEL_CASES: Array<[name: string, input: Json, check: (migrated: Json) => void]> = [
  [
    'a copy Grafana made of a repeated row is left out (Grafana repeats the row again)',
    {
      schemaVersion: 15,
      rows: [
        { repeat: 'host', panels: [{ id: 1, type: 'text', span: 12 }] },
        { repeatIteration: true, repeatRowId: 1, panels: [{ id: 2, type: 'text', span: 12 }] },
        { title: 'after', showTitle: true, panels: [{ id: 3, type: 'text', span: 12 }] },
      ],
    },
    (d) => {
      expect(d.panels.map((p: Json) => [p.type, p.gridPos.y])).toEqual([
        ['row', 0],
        ['text', 1],
        ['row', 8],
        ['text', 9],
      ]);
      expect(d.panels[0].repeat).toBe('host');
    },
  ],
  [
    "a singlestat without thresholds and colours keeps the stat panel's default thresholds",
    { schemaVersion: 27, panels: [panel({ type: 'singlestat', thresholds: '' }), panel({ id: 2, type: 'singlestat', thresholds: '5', colors: ['blue', 'purple'] })] },
    (d) => {
      expect(d.panels[0].fieldConfig.defaults.thresholds.steps).toEqual([
        { color: 'green', value: null },
        { color: 'red', value: 80 },
      ]);
      expect(d.panels[1].fieldConfig.defaults.thresholds.steps).toEqual([
        { color: 'blue', value: null },
        { color: 'purple', value: 5 },
      ]);
      expect(d.panels[0].options).toMatchObject({ wideLayout: true, showPercentChange: false, percentChangeColorMode: 'standard' });
    },
  ],
];

describe("migrateDashboard gives what Grafana's migrated dashboards hold", () => {
  it.each(PANEL_CASES)('%s', (_name, input, check) => check(migrateDashboard({ title: 'd', uid: 'd', ...structuredClone(input) }).json));
});
