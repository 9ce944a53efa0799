import type { Diagnostic } from '../model/diagnostic.js';
import { UNEXPORTED } from '../model/diagnostic.js';
import type { Made } from '../model/source-location.js';

/**
 * The authoring API's factories whose result is something out/ is built from,
 * with what a message calls it. Top-level resources are built when exported;
 * the parts (rules, panels, receivers, …) when an exported resource holds them.
 */
const TOP_LEVEL: Record<string, string> = {
  alertmanager: 'Alertmanager config',
  dashboard: 'dashboard',
  datasource: 'datasource',
  metricCatalog: 'metric catalog',
  ruleGroup: 'rule group',
  ruleTest: 'rule test',
  routeTest: 'route test',
  slo: 'SLO',
};
const PARTS: Record<string, string> = {
  alertRule: 'alert rule',
  recordingRule: 'recording rule',
  receiver: 'receiver',
  timeInterval: 'time interval',
  row: 'row',
  ...Object.fromEntries(
    ['alertlist', 'barchart', 'bargauge', 'gauge', 'heatmap', 'histogram', 'logs', 'nodeGraph', 'piechart', 'stat', 'stateTimeline', 'statusHistory', 'table', 'text', 'timeseries', 'traces'].map(
      (name) => [name, `${name} panel`],
    ),
  ),
  ...Object.fromEntries(
    ['adhocVariable', 'constantVariable', 'customVariable', 'datasourceVariable', 'intervalVariable', 'queryVariable', 'textboxVariable'].map((name) => [name, 'dashboard variable']),
  ),
};

/** Whether the transform records the calls of this moncode export (see `__mcMade`). */
export function isResourceFactory(name: string): boolean {
  return Object.hasOwn(TOP_LEVEL, name) || Object.hasOwn(PARTS, name);
}

/**
 * `definition/unexported` warnings: every factory call whose result no built
 * resource and no library export reaches (it would vanish from out/ without a
 * word), once per call site (a loop makes many). `roots` are the resources
 * collected from the systems' exports and the exports of every library module
 * that ran; objects spread into another (`{ ...panel, gridPos }`) count as used.
 */
export function unexportedResources(made: readonly Made[], roots: readonly unknown[]): Diagnostic[] {
  const reached = reachableFrom(roots);
  const unreached = made.filter((entry) => !entry.spread && !reached.has(entry.value));
  // A rule inside a lost rule group is lost with it: only the outermost is reported (the later made holds the earlier).
  const inside = new Set<object>();
  for (const entry of [...unreached].sort((a, b) => (b.origin.seq ?? 0) - (a.origin.seq ?? 0))) {
    if (!inside.has(entry.value)) reachableFrom(childrenOf(entry.value), inside);
  }
  const bySite = new Map<string, { made: Made; count: number }>();
  for (const entry of unreached) {
    if (inside.has(entry.value)) continue;
    const site = `${entry.origin.file}\0${entry.origin.start}`;
    const known = bySite.get(site);
    if (known) known.count++;
    else bySite.set(site, { made: entry, count: 1 });
  }
  return [...bySite.values()].map(({ made: { factory, origin }, count }) => {
    const times = count > 1 ? ` ${count} times` : '';
    const message = Object.hasOwn(TOP_LEVEL, factory)
      ? `this ${TOP_LEVEL[factory]} is built${times} but no definitions module exports it: it never reaches out/; export it, or remove it`
      : `this ${PARTS[factory]} is built${times} but no exported resource holds it: it never reaches out/; put it in an exported resource, or remove it`;
    const { file, start, end, via } = origin;
    return { rule: UNEXPORTED, severity: 'warning', message, where: { file, start, end, ...(via ? { via: via.map(({ file, start, end, callee }) => ({ file, start, end, callee })) } : {}) } };
  });
}

/** Every object reachable from `roots` through own enumerable properties, without calling getters (a getter that throws is reported elsewhere). */
function reachableFrom(roots: readonly unknown[], reached = new Set<object>()): Set<object> {
  const stack = [...roots];
  while (stack.length > 0) {
    const value = stack.pop();
    if (typeof value !== 'object' || value === null || reached.has(value)) continue;
    reached.add(value);
    stack.push(...childrenOf(value));
  }
  return reached;
}

function childrenOf(value: object): unknown[] {
  const children: unknown[] = [];
  let keys: string[];
  try {
    keys = Object.keys(value);
  } catch {
    return children;
  }
  for (const key of keys) {
    try {
      const descriptor = Object.getOwnPropertyDescriptor(value, key);
      if (descriptor && !descriptor.get) children.push(descriptor.value);
    } catch {
      continue;
    }
  }
  return children;
}
