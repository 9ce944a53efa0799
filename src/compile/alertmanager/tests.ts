import type { AlertmanagerModel, LoadedResource } from '../../model/project-model.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import type { Receiver } from '../../model/alertmanager.js';
import { isAlertRule, type AlertRule } from '../../model/rule.js';
import type { RouteTest, RouteTestModel, TestAlert } from '../../model/route-test.js';
import { whereOf } from '../../model/source-location.js';
import { contained } from '../contain.js';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/**
 * Compiles the `routeTest()`s of the definitions, checking at the line that wrote it what
 * the test could not mean: a system without an Alertmanager configuration, a receiver that
 * is not the system's, labels that are no label set, an instant that is no instant.
 */
export function compileRouteTests(resources: readonly LoadedResource[], alertmanagers: readonly AlertmanagerModel[], problems: Problems): RouteTestModel[] {
  const models: RouteTestModel[] = [];
  const names = new Map<string, Set<string>>();
  for (const resource of resources) {
    if (resource.kind !== 'route-test') continue;
    const am = alertmanagers.find((a) => a.system === resource.system);
    const model = contained(resource, problems, () => compileRouteTest(resource as LoadedResource<RouteTest>, am, problems));
    if (!model) continue;
    const seen = names.get(resource.system) ?? new Set<string>();
    if (seen.has(model.name)) {
      problems.error(INVALID, `route test "${model.name}" is defined twice in system ${resource.system}; mon-test names failures by the test's name`, whereOf(resource.value, 'name'), model.name);
      continue;
    }
    seen.add(model.name);
    names.set(resource.system, seen);
    models.push(model);
  }
  return models;
}

function compileRouteTest(resource: LoadedResource<RouteTest>, am: AlertmanagerModel | undefined, problems: Problems): RouteTestModel | undefined {
  const spec = resource.value;
  const subject = typeof spec.name === 'string' && spec.name ? spec.name : resource.exportPath;
  const errors = problems.list.length;
  const error = (message: string, owner: object, field?: string) => problems.error(INVALID, message, whereOf(owner, field) ?? whereOf(owner) ?? whereOf(spec), subject);

  if (typeof spec.name !== 'string' || spec.name.trim() === '') error('a route test needs a `name`', spec, 'name');
  else if (/[\n\r]/.test(spec.name)) error('a route test `name` must be one line (mon-test names failures by it)', spec, 'name');
  if (!am) error(`system ${resource.system} has no Alertmanager configuration to test: define alertmanager({ ... }) in definitions/${resource.system}/`, spec, undefined);
  const known = new Set(((am?.config.receivers as Array<{ name: string }> | undefined) ?? []).map((r) => r.name));
  const receivers = (owner: object, field: 'expect' | 'muted', list: unknown): string[] => {
    if (!Array.isArray(list)) {
      error(`\`${field}\` must be a list of receiver objects`, owner, field);
      return [];
    }
    return list.map((item: Receiver | string) => {
      const name = typeof item === 'string' ? item : typeof item === 'object' && item !== null && typeof item.name === 'string' ? item.name : undefined;
      if (name === undefined) error(`\`${field}\` must list receivers (the objects the routes refer to)`, owner, field);
      else if (am && !known.has(name)) error(`receiver "${name}" is not a receiver of the Alertmanager configuration of ${resource.system}`, owner, field);
      return name ?? '';
    });
  };
  const alertLabels = (alert: TestAlert | undefined, owner: object, field: string): Record<string, string> => {
    let rule: AlertRule | undefined;
    let extra: Record<string, unknown> = {};
    if (typeof alert !== 'object' || alert === null) {
      error(`\`${field}\` must be an alert's labels, an alert rule, or { rule, labels }`, owner, field);
      return {};
    }
    if (isAlertRule(alert as AlertRule) && typeof (alert as AlertRule).expr === 'string') rule = alert as AlertRule;
    else if ('rule' in alert && typeof alert.rule === 'object' && alert.rule !== null) {
      rule = alert.rule as AlertRule;
      extra = (alert.labels as Record<string, unknown> | undefined) ?? {};
    } else extra = alert as Record<string, unknown>;
    const labels: Record<string, string> = {};
    if (rule) {
      labels.alertname = rule.alert;
      for (const [key, value] of Object.entries(rule.labels ?? {})) {
        if (typeof value !== 'string') continue;
        if (value.includes('{{') && !Object.hasOwn(extra, key)) {
          error(`label ${key} of alert rule ${rule.alert} is a template ("${value}"): give the value it renders to in { rule, labels: { ${key}: '…' } }`, owner, field);
          continue;
        }
        labels[key] = value;
      }
    }
    for (const [key, value] of Object.entries(extra)) {
      if (!LABEL_NAME.test(key)) error(`"${key}" is not a label name`, extra, key);
      else if (typeof value !== 'string') error(`label ${key} must be a string`, extra, key);
      else if (value !== '') labels[key] = value;
    }
    if (Object.keys(labels).length === 0) error('the alert has no labels: Alertmanager refuses an alert without labels', owner, field);
    return labels;
  };

  const alert = alertLabels(spec.alert, spec, 'alert');
  const expect = receivers(spec, 'expect', spec.expect);
  const inhibitors = spec.inhibitedBy === undefined ? [] : Array.isArray(spec.inhibitedBy) ? spec.inhibitedBy.map((a, i) => alertLabels(a, spec, `inhibitedBy[${i}]`)) : [];
  if (spec.inhibitedBy !== undefined && !Array.isArray(spec.inhibitedBy)) error('`inhibitedBy` must be a list of alerts', spec, 'inhibitedBy');
  const others = Array.isArray(spec.firingWith) ? spec.firingWith.map((a, i) => alertLabels(a, spec, `firingWith[${i}]`)) : [];
  if (spec.firingWith !== undefined && !Array.isArray(spec.firingWith)) error('`firingWith` must be a list of alerts', spec, 'firingWith');
  if (spec.grouping !== undefined) {
    if (!Array.isArray(spec.grouping)) error('`grouping` must be a list of label names', spec, 'grouping');
    else for (const label of spec.grouping) if (label !== '...' && !LABEL_NAME.test(String(label))) error(`grouping "${String(label)}" is not a label name`, spec, 'grouping');
  }
  let at: Date | undefined;
  if (spec.at !== undefined) {
    at = typeof spec.at === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(spec.at) ? new Date(spec.at) : undefined;
    if (!at || Number.isNaN(at.getTime())) error(`\`at\` is "${String(spec.at)}", not an ISO 8601 instant with its zone such as 2026-12-05T03:00:00Z`, spec, 'at');
  }
  const muted = spec.muted === undefined ? undefined : receivers(spec, 'muted', spec.muted);
  if (muted && spec.at === undefined) error('`muted` needs `at`: the instant the time intervals are checked at', spec, 'muted');
  for (const name of muted ?? [])
    if (name && !expect.includes(name)) error(`receiver "${name}" is muted but not in \`expect\`: list the receivers the alert is routed to in \`expect\``, spec, 'muted');
  if (problems.list.length > errors) return undefined;

  return {
    name: spec.name,
    system: resource.system,
    where: whereOf(spec),
    alert,
    expect,
    expectWhere: whereOf(spec, 'expect'),
    ...(spec.grouping ? { grouping: spec.grouping, groupingWhere: whereOf(spec, 'grouping') } : {}),
    firing: [...inhibitors, ...others],
    ...(spec.inhibitedBy !== undefined ? { inhibited: inhibitors.length > 0, inhibitedWhere: whereOf(spec, 'inhibitedBy') } : {}),
    ...(at ? { at, muted: muted ?? [], mutedWhere: whereOf(spec, muted ? 'muted' : 'at') } : {}),
  };
}
