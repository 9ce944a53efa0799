import { describe, expectTypeOf, it } from 'vitest';
import type { compileDashboard } from '../../src/compile/grafana/dashboard.js';
import type { compilePanel } from '../../src/compile/grafana/panel.js';
import type { DashboardJson, PanelJson, VariableJson } from '../../src/compile/grafana/schema.js';

// Type-level: the compiler's output types are @grafana/schema's, so a field Grafana's schema lacks
// is a type error (`npm run typecheck` fails on an unused @ts-expect-error).
const panel: PanelJson = { type: 'timeseries', title: 'p' };
// @ts-expect-error `style` was removed from Grafana's dashboard schema
const dashboard: DashboardJson = { schemaVersion: 42, panels: [panel], annotations: { list: [] }, templating: { list: [] }, style: 'dark' };
// @ts-expect-error panels have no `width` in Grafana's JSON (it is gridPos.w)
const wide: PanelJson = { type: 'timeseries', title: 'p', width: 12 };
// @ts-expect-error a panel's fieldConfig.defaults has no `thresholdStyle` (it lives in custom)
const styled: PanelJson = { type: 'timeseries', fieldConfig: { defaults: { thresholdStyle: 'line' }, overrides: [] } };
// @ts-expect-error variables are named by `name`, not `id`
const variable: VariableJson = { type: 'query', name: 'v', id: 'v' };

describe('compiled Grafana types', () => {
  it('compilePanel returns the schema-typed panel', () => {
    expectTypeOf<ReturnType<typeof compilePanel>>().toEqualTypeOf<PanelJson>();
    expectTypeOf<ReturnType<typeof compileDashboard>['json']>().not.toBeAny();
    void [dashboard, wide, styled, variable];
  });
});
