import type { DashboardModel } from '../../model/project-model.js';
import { defineRule } from '../types.js';
import { definedVariables } from '../dashboard-variables.js';
import { panelSubject, panelsOf } from '../walk.js';
import { pointer, pointerUnder } from '../../model/pointer.js';

const GRAFANA_SPECIAL = new Set(['-- Grafana --', '-- Mixed --', '-- Dashboard --', 'grafana', 'default', 'datasource', 'mixed']);

interface Reference {
  at: string;
  value: string;
  /** The datasource type written beside the uid, if any. */
  type?: string;
  subject: string;
  /** A panel's or target's (not a variable's, whose query may pick the datasource on purpose). */
  query: boolean;
}

function references(dashboard: DashboardModel): Reference[] {
  const refs: Reference[] = [];
  const add = (datasource: unknown, at: string, subject: string, query: boolean): void => {
    if (typeof datasource === 'string') refs.push({ at, value: datasource, subject, query });
    else if (typeof datasource === 'object' && datasource !== null && typeof (datasource as { uid?: unknown }).uid === 'string') {
      const { uid, type } = datasource as { uid: string; type?: unknown };
      refs.push({ at: pointerUnder(at, 'uid'), value: uid, type: typeof type === 'string' ? type : undefined, subject, query });
    }
  };
  for (const { panel, at } of panelsOf(dashboard)) {
    const subject = panelSubject(dashboard, panel);
    // A row runs no query, nor does a target without one: the datasource Grafana leaves on them is never used.
    if (panel.type === 'row') continue;
    add(panel.datasource, pointerUnder(at, 'datasource'), subject, true);
    if (Array.isArray(panel.targets)) {
      panel.targets.forEach((t, i) => {
        if (runsQuery(t)) add((t as { datasource?: unknown }).datasource, pointerUnder(at, 'targets', i, 'datasource'), subject, true);
      });
    }
  }
  (dashboard.json.templating?.list ?? []).forEach((v, i) => add(v.datasource, pointer('templating', 'list', i, 'datasource'), `${dashboard.title} / $${String(v.name)}`, false));
  return refs;
}

function runsQuery(target: unknown): boolean {
  if (typeof target !== 'object' || target === null) return false;
  return ['expr', 'query', 'rawSql', 'target', 'rawQuery'].some((field) => {
    const text = (target as Record<string, unknown>)[field];
    return typeof text === 'string' ? text.trim() !== '' : text !== undefined && typeof text !== 'boolean';
  });
}

/** The dashboard's datasource variables by the plugin type they offer (`query: prometheus`). */
function datasourceVariables(dashboard: DashboardModel): Map<string, string> {
  const byType = new Map<string, string>();
  for (const variable of dashboard.json.templating?.list ?? []) {
    if (variable.type !== 'datasource' || typeof variable.name !== 'string' || typeof variable.query !== 'string') continue;
    if (!byType.has(variable.query)) byType.set(variable.query, variable.name);
  }
  return byType;
}

export default defineRule({
  meta: {
    id: 'dashboard/datasource',
    defaultSeverity: 'error',
    scope: 'facts',
    summary: 'A panel or query names a datasource that is neither declared nor a variable, or hard-codes one where the dashboard has a datasource variable.',
  },
  check({ model, report }) {
    const declared = new Set(model.datasources.flatMap((d) => [d.uid, d.name]));
    for (const dashboard of model.dashboards) {
      if (dashboard.from === 'ts') continue; // TS datasources are resolved (and checked) when compiling
      const variables = definedVariables(dashboard);
      const selectable = datasourceVariables(dashboard);
      for (const ref of references(dashboard)) {
        const variable = /^\$\{?(\w+)(?::\w+)?\}?$/.exec(ref.value)?.[1];
        if (variable) {
          if (!variables.has(variable)) report({ in: dashboard, at: ref.at, subject: ref.subject, message: `datasource \`${ref.value}\` refers to no variable of this dashboard` });
          continue;
        }
        if (GRAFANA_SPECIAL.has(ref.value) || GRAFANA_SPECIAL.has(ref.type ?? '')) continue;
        // A fixed uid of the type a datasource variable offers ignores the variable: picking another datasource leaves this query where it was.
        const offeredBy = ref.query && ref.type !== undefined ? selectable.get(ref.type) : undefined;
        if (offeredBy !== undefined) {
          report({
            in: dashboard,
            at: ref.at,
            subject: ref.subject,
            message: `datasource uid "${ref.value}" is hard-coded, but the dashboard has the ${ref.type} datasource variable $${offeredBy}: use "\${${offeredBy}}" so the query follows the selection`,
          });
          continue;
        }
        if (declared.size === 0) continue;
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
