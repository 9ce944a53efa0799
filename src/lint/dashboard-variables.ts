import type { DashboardModel } from '../model/project-model.js';
import { isBuiltInVariable, variableUses } from '../promql/grafana-vars.js';
import { pointer, pointerUnder } from '../model/pointer.js';

/** Variables a dashboard defines: its templating list and, for "export for sharing" files, its `__inputs`. */
export function definedVariables(dashboard: DashboardModel): Set<string> {
  const names = new Set<string>();
  for (const variable of dashboard.json.templating?.list ?? []) if (typeof variable.name === 'string') names.add(variable.name);
  const inputs = (dashboard.json as { __inputs?: Array<{ name?: unknown }> }).__inputs;
  if (Array.isArray(inputs)) for (const input of inputs) if (typeof input.name === 'string') names.add(input.name);
  return names;
}

interface QueryText {
  /** Pointer of the text in the dashboard. */
  at: string;
  text: string;
  subject: string;
}

/** Every query a dashboard runs: panel targets (any datasource), variable queries, annotation queries. */
export function queryTexts(dashboard: DashboardModel, panelSubject: (panel: Record<string, unknown>) => string, panels: Array<{ panel: Record<string, unknown>; at: string }>): QueryText[] {
  const texts: QueryText[] = [];
  for (const { panel, at } of panels) {
    const targets = panel.targets;
    if (!Array.isArray(targets)) continue;
    targets.forEach((target: Record<string, unknown>, i: number) => {
      for (const field of ['expr', 'query', 'rawSql', 'target']) {
        if (typeof target?.[field] === 'string') texts.push({ at: pointerUnder(at, 'targets', i, field), text: target[field] as string, subject: panelSubject(panel) });
      }
    });
  }
  (dashboard.json.templating?.list ?? []).forEach((variable, i) => {
    if (variable.type === 'custom' || variable.type === 'constant' || variable.type === 'textbox' || variable.type === 'interval' || variable.type === 'datasource') return;
    const query = variable.query;
    if (typeof query === 'string') texts.push({ at: pointer('templating', 'list', i, 'query'), text: query, subject: `${dashboard.title} / $${String(variable.name)}` });
    else if (typeof (query as { query?: unknown })?.query === 'string')
      texts.push({ at: pointer('templating', 'list', i, 'query', 'query'), text: (query as { query: string }).query, subject: `${dashboard.title} / $${String(variable.name)}` });
  });
  const annotations = (dashboard.json as { annotations?: { list?: Array<Record<string, unknown>> } }).annotations?.list;
  if (Array.isArray(annotations)) {
    annotations.forEach((annotation, i) => {
      if (typeof annotation?.expr === 'string')
        texts.push({ at: pointer('annotations', 'list', i, 'expr'), text: annotation.expr, subject: `${dashboard.title} / annotation ${String(annotation.name ?? i)}` });
    });
  }
  return texts;
}

export function undefinedUses(text: string, defined: ReadonlySet<string>): ReturnType<typeof variableUses> {
  return variableUses(text).filter((use) => !defined.has(use.name) && !isBuiltInVariable(use.name));
}
