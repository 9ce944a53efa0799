import { describe, expect, expectTypeOf, it } from 'vitest';
import { compileDashboard } from '../../src/compile/grafana/dashboard.js';
import { DatasourceRegistry } from '../../src/compile/grafana/datasources.js';
import { dashboard, type Dashboard } from '../../src/model/dashboard.js';
import { datasource } from '../../src/model/datasource.js';
import { Problems } from '../../src/model/diagnostic.js';
import { pluginPanel, stat, type Panel, type PluginPanel } from '../../src/model/panel.js';
import { prom } from '../../src/model/query.js';
import type { LoadedResource } from '../../src/model/project-model.js';
import * as moncode from '../../src/index.js';
import { validateDashboard } from '../helpers/grafana-schema.js';

/** A plugin's own option types, as its `panelcfg` would declare them. */
interface ClockOptions {
  mode: 'time' | 'countdown';
  countdownSettings: { endCountdownTime: string; endText: string };
}
interface ClockFieldConfig {
  lineWidth: number;
}

// Type-level: each line below must fail to type-check (`npm run typecheck` fails on an unused @ts-expect-error).
// @ts-expect-error an option the plugin does not have
pluginPanel<ClockOptions>({ type: 'grafana-clock-panel', title: 'Clock', options: { mood: 'time' } });
// @ts-expect-error an option of the wrong type
pluginPanel<ClockOptions>({ type: 'grafana-clock-panel', title: 'Clock', options: { mode: 'stopwatch' } });
// @ts-expect-error a nested option of the wrong type
pluginPanel<ClockOptions>({ type: 'grafana-clock-panel', title: 'Clock', options: { countdownSettings: { endText: 3 } } });
// @ts-expect-error a field config of the wrong type
pluginPanel<ClockOptions, ClockFieldConfig>({ type: 'grafana-clock-panel', title: 'Clock', custom: { lineWidth: 'thick' } });
// @ts-expect-error a built-in panel type is not a plugin id (use timeseries())
pluginPanel({ type: 'timeseries', title: 'Clock' });
// @ts-expect-error a plugin id ends in -panel
pluginPanel({ type: 'grafana-clock', title: 'Clock' });
// @ts-expect-error the panel fields are still checked
pluginPanel({ type: 'grafana-clock-panel', title: 'Clock', width: 25 });

const clock = pluginPanel<ClockOptions, ClockFieldConfig>({
  type: 'grafana-clock-panel',
  title: 'Countdown',
  width: 8,
  options: { mode: 'countdown', countdownSettings: { endText: 'release' } },
  custom: { lineWidth: 2 },
  unit: 's',
  targets: [prom('time()')],
});

const prometheus = datasource({ name: 'Prometheus', type: 'prometheus', uid: 'prom' });

function compile(spec: Dashboard) {
  const problems = new Problems();
  const resource = (value: object, kind: LoadedResource['kind']) => ({ value, kind, system: 's', module: 'd.ts', exportPath: 'x' }) as LoadedResource;
  const datasources = new DatasourceRegistry([resource(prometheus, 'datasource')] as Array<LoadedResource<never>>, problems);
  const model = compileDashboard(resource(spec, 'dashboard') as LoadedResource<Dashboard>, datasources, problems);
  return { json: model.json, problems: problems.list.map((p) => p.message) };
}

describe('pluginPanel', () => {
  it('is exported from moncode, typed by its options and field config, and is a Panel', () => {
    expect(moncode.pluginPanel).toBe(pluginPanel);
    expectTypeOf(clock).toEqualTypeOf<PluginPanel<ClockOptions, ClockFieldConfig>>();
    expectTypeOf(clock).toExtend<Panel>();
    expectTypeOf(pluginPanel({ type: 'vendor-x-panel', title: 'Any', options: { anything: [1, 2] } })).toExtend<Panel>();
  });

  it("compiles like a built-in panel: options, fieldConfig.defaults.custom, queries, layout; Grafana's dashboard schema accepts it", () => {
    const { json, problems } = compile(dashboard({ title: 'Release', uid: 'release', panels: [clock, stat({ title: 'Up', targets: [prom('up')] })] }));
    expect(problems).toEqual([]);
    const [panel] = json.panels as Array<Record<string, unknown>>;
    expect(panel).toEqual({
      type: 'grafana-clock-panel',
      title: 'Countdown',
      id: 1,
      gridPos: { x: 0, y: 0, w: 8, h: 8 },
      datasource: { type: 'prometheus', uid: 'prom' },
      targets: [{ refId: 'A', expr: 'time()', editorMode: 'code', datasource: { type: 'prometheus', uid: 'prom' }, range: true }],
      fieldConfig: { defaults: { unit: 's', custom: { lineWidth: 2 } }, overrides: [] },
      options: { mode: 'countdown', countdownSettings: { endText: 'release' } },
    });
    expect(validateDashboard(json)).toEqual([]);
  });

  it.each([
    ['a built-in type given past the types', 'grpah', 'panel type "grpah" is neither a Grafana panel nor a plugin id (<org>-<name>-panel)'],
    ['an id that is not a panel plugin', 'grafana-clock-datasource', 'panel type "grafana-clock-datasource" is neither'],
  ])('reports %s', (_name, type, message) => {
    const { problems } = compile(dashboard({ title: 'D', uid: 'd', panels: [pluginPanel({ type: type as PluginPanel['type'], title: 'P' })] }));
    expect(problems).toEqual([expect.stringContaining(message)]);
  });
});
