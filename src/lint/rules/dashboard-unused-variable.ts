import { defineRule } from '../types.js';
import { pointer } from '../../model/pointer.js';

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export default defineRule({
  meta: { id: 'dashboard/unused-variable', defaultSeverity: 'warning', scope: 'container', summary: 'A dashboard variable that nothing uses.' },
  check({ model, report }) {
    for (const dashboard of model.dashboards) {
      const list = dashboard.json.templating?.list ?? [];
      list.forEach((variable, i) => {
        const name = variable.name;
        // Ad hoc filters apply to every query by themselves.
        if (typeof name !== 'string' || variable.type === 'adhoc' || variable.type === 'groupby') return;
        const others = { ...dashboard.json, templating: { ...dashboard.json.templating, list: list.filter((_, j) => j !== i) } };
        const text = JSON.stringify(others);
        const used = new RegExp(`\\$\\{${escapeRegExp(name)}[}:]|\\$${escapeRegExp(name)}(?![\\w])|\\[\\[${escapeRegExp(name)}[\\]:]`).test(text);
        if (!used) {
          report({
            in: dashboard,
            at: pointer('templating', 'list', i),
            subject: `${dashboard.title} / $${name}`,
            message: `variable \`$${name}\` is not used by any panel, query, title or link: remove it, or use it`,
          });
        }
      });
    }
  },
});
