import type { DashboardModel, GrafanaPanelJson } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { panelSubject, panelsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

/** Panels Grafana migrates away (Angular panels are gone from Grafana 12), and what they become. */
const REPLACEMENTS: Record<string, string> = {
  graph: 'timeseries',
  singlestat: 'stat',
  'grafana-singlestat-panel': 'stat',
  'table-old': 'table',
  'grafana-piechart-panel': 'piechart',
  'grafana-worldmap-panel': 'geomap',
  'natel-discrete-panel': 'state-timeline',
  'heatmap-new': 'heatmap',
  text2: 'text',
};

/**
 * An Angular `table` of a dashboard older than schema 24 (Grafana 7): Grafana's migration turns a
 * `table` with `styles` into `table-old`, so it is the deprecated panel under its old name.
 */
function isAngularTable(dashboard: DashboardModel, panel: GrafanaPanelJson): boolean {
  const version = (dashboard.json as { schemaVersion?: unknown }).schemaVersion;
  return panel.type === 'table' && (typeof version !== 'number' || version < 24) && Array.isArray((panel as { styles?: unknown }).styles);
}

export default defineRule({
  meta: { id: 'dashboard/deprecated-panel', defaultSeverity: 'warning', scope: 'container', summary: '`graph`, `singlestat`, `table-old` and other panels Grafana migrates away.' },
  check({ model, report }) {
    for (const dashboard of model.dashboards) {
      for (const { panel, at } of panelsOf(dashboard)) {
        const angularTable = isAngularTable(dashboard, panel);
        const replacement = angularTable ? 'table' : REPLACEMENTS[panel.type];
        if (!replacement) continue;
        report({
          in: dashboard,
          at: pointerUnder(at, 'type'),
          subject: panelSubject(dashboard, panel),
          message: angularTable
            ? `this \`table\` has Angular \`styles\` in a schema ${String((dashboard.json as { schemaVersion?: unknown }).schemaVersion ?? '(none)')} dashboard: Grafana migrates it to the deprecated \`table-old\` (removed in Grafana 12); port it to the React \`table\` (fieldConfig overrides)`
            : `\`${panel.type}\` panels are deprecated (Angular, removed in Grafana 12): use \`${replacement}\``,
        });
      }
    }
  },
});
