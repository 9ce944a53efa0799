import { defineRule } from '../types.js';
import { panelSubject, panelsOf } from '../walk.js';

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

export default defineRule({
  meta: { id: 'dashboard/deprecated-panel', defaultSeverity: 'warning', summary: '`graph`, `singlestat`, `table-old` and other panels Grafana migrates away.' },
  check({ model, report }) {
    for (const dashboard of model.dashboards) {
      for (const { panel, at } of panelsOf(dashboard)) {
        const replacement = REPLACEMENTS[panel.type];
        if (!replacement) continue;
        report({
          in: dashboard,
          at: `${at}/type`,
          subject: panelSubject(dashboard, panel),
          message: `\`${panel.type}\` panels are deprecated (Angular, removed in Grafana 12): use \`${replacement}\``,
        });
      }
    }
  },
});
