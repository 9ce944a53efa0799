import { defineRule } from '../types.js';
import { definedVariables, queryTexts, undefinedUses } from '../dashboard-variables.js';
import { panelSubject, panelsOf } from '../walk.js';
import { pointerUnder } from '../../model/pointer.js';

export default defineRule({
  meta: { id: 'dashboard/undefined-variable', defaultSeverity: 'error', scope: 'container', summary: 'A query uses `$x`, `${x}` or `[[x]]` that is neither defined nor built in.' },
  check({ model, report }) {
    for (const dashboard of model.dashboards) {
      const defined = definedVariables(dashboard);
      const panels = panelsOf(dashboard);
      for (const query of queryTexts(dashboard, (p) => panelSubject(dashboard, p as never), panels)) {
        for (const use of undefinedUses(query.text, defined)) {
          report({
            in: dashboard,
            at: query.at,
            within: { value: query.text, from: use.from, to: use.to },
            subject: query.subject,
            message: `\`${query.text.slice(use.from, use.to)}\` is not a variable of this dashboard${defined.size ? ` (it has ${[...defined].map((d) => `$${d}`).join(', ')})` : ''}: Grafana sends it literally and the query matches nothing`,
          });
        }
      }
      for (const { panel, at } of panels) {
        if (typeof panel.repeat === 'string' && panel.repeat && !defined.has(panel.repeat)) {
          report({ in: dashboard, at: pointerUnder(at, 'repeat'), subject: panelSubject(dashboard, panel), message: `repeats over \`$${panel.repeat}\`, which is not a variable of this dashboard` });
        }
      }
    }
  },
});
