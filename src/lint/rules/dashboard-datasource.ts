import type { DashboardModel } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { definedVariables } from '../dashboard-variables.js';
import { panelSubject, panelsOf } from '../walk.js';
import { pointer, pointerUnder } from '../../model/pointer.js';

const GRAFANA_SPECIAL = new Set(['-- Grafana --', '-- Mixed --', '-- Dashboard --', 'grafana', 'default', 'datasource', 'mixed']);

interface Reference {
  at: string;
  value: string;
  subject: string;
}

function references(dashboard: DashboardModel): Reference[] {
  const refs: Reference[] = [];
  const add = (datasource: unknown, at: string, subject: string): void => {
    if (typeof datasource === 'string') refs.push({ at, value: datasource, subject });
    else if (typeof datasource === 'object' && datasource !== null && typeof (datasource as { uid?: unknown }).uid === 'string') {
      refs.push({ at: pointerUnder(at, 'uid'), value: (datasource as { uid: string }).uid, subject });
    }
  };
  for (const { panel, at } of panelsOf(dashboard)) {
    const subject = panelSubject(dashboard, panel);
    add(panel.datasource, pointerUnder(at, 'datasource'), subject);
    if (Array.isArray(panel.targets)) panel.targets.forEach((t, i) => add((t as { datasource?: unknown })?.datasource, pointerUnder(at, 'targets', i, 'datasource'), subject));
  }
  (dashboard.json.templating?.list ?? []).forEach((v, i) => add(v.datasource, pointer('templating', 'list', i, 'datasource'), `${dashboard.title} / $${String(v.name)}`));
  return refs;
}

export default defineRule({
  meta: { id: 'dashboard/datasource', defaultSeverity: 'error', summary: 'A panel or query names a datasource that is neither declared nor a variable.' },
  check({ model, report }) {
    const declared = new Set(model.datasources.flatMap((d) => [d.uid, d.name]));
    for (const dashboard of model.dashboards) {
      if (dashboard.from === 'ts') continue; // TS datasources are resolved (and checked) when compiling
      const variables = definedVariables(dashboard);
      for (const ref of references(dashboard)) {
        const variable = /^\$\{?(\w+)(?::\w+)?\}?$/.exec(ref.value)?.[1];
        if (variable) {
          if (!variables.has(variable)) report({ in: dashboard, at: ref.at, subject: ref.subject, message: `datasource \`${ref.value}\` refers to no variable of this dashboard` });
          continue;
        }
        if (GRAFANA_SPECIAL.has(ref.value) || declared.size === 0) continue;
        if (!declared.has(ref.value)) {
          report({
            in: dashboard,
            at: ref.at,
            subject: ref.subject,
            message: `datasource "${ref.value}" is not declared (declared: ${[...new Set(model.datasources.map((d) => d.name))].join(', ')})`,
          });
        }
      }
    }
  },
});
