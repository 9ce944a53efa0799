import { isDeepStrictEqual } from 'node:util';
import type { DashboardModel } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { panelSubject, panelsOf } from '../walk.js';
import { pointer, pointerUnder } from '../../model/pointer.js';

export default defineRule({
  meta: { id: 'dashboard/duplicate-uid', defaultSeverity: 'error', scope: 'project', summary: 'Two dashboards share a uid, or a dashboard repeats a panel id or a variable name.' },
  check({ model, report }) {
    const first = new Map<string, DashboardModel>();
    for (const dashboard of model.dashboards) {
      const previous = dashboard.uid ? first.get(dashboard.uid) : undefined;
      // The same dashboard in two deployment forms (its file and its ConfigMap or dashboard.grafana.app resource) is one dashboard.
      if (previous && !isDeepStrictEqual(previous.json, dashboard.json)) {
        report({
          in: dashboard,
          at: '/uid',
          subject: dashboard.title,
          message: `uid "${dashboard.uid}" is also the uid of "${previous.title}": Grafana would keep only one of them`,
          related: [{ message: 'the other dashboard', in: previous, at: '/uid' }],
        });
      } else if (dashboard.uid) {
        first.set(dashboard.uid, dashboard);
      }
      const ids = new Map<number, string>();
      for (const { panel, at } of panelsOf(dashboard)) {
        if (typeof panel.id !== 'number') continue;
        const taken = ids.get(panel.id);
        if (taken !== undefined) {
          report({
            in: dashboard,
            at: pointerUnder(at, 'id'),
            subject: panelSubject(dashboard, panel),
            message: `panel id ${panel.id} is used twice in this dashboard`,
            related: [{ message: 'first use', in: dashboard, at: taken }],
          });
        } else {
          ids.set(panel.id, at);
        }
      }
      const variables = new Map<string, number>();
      (dashboard.json.templating?.list ?? []).forEach((variable, i) => {
        if (typeof variable.name !== 'string') return;
        const taken = variables.get(variable.name);
        if (taken === undefined) {
          variables.set(variable.name, i);
          return;
        }
        report({
          in: dashboard,
          at: pointer('templating', 'list', i, 'name'),
          subject: `${dashboard.title} / $${variable.name}`,
          message: `variable \`$${variable.name}\` is defined twice: Grafana shows two pickers for one name; keep one`,
          related: [{ message: 'first definition', in: dashboard, at: pointer('templating', 'list', taken, 'name') }],
        });
      });
    }
  },
});
