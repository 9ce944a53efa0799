import { pointer, pointerUnder } from '../model/pointer.js';

/**
 * A built dashboard against its input, panel by panel, on the fields Grafana reads: what
 * mon-import's round trip does not reproduce, each with where it is. The input is compared after
 * Grafana's own migration (migrate.ts), so a graph panel is compared as the timeseries Grafana
 * shows. What carries no meaning is not a difference:
 *
 * - a field absent on one side and empty on the other (`null`, `''`, `[]`, `{}`, `false`);
 * - fields Grafana fills with the same value when they are missing (`defaultsWritten`): moncode
 *   writes them, the input left them out;
 * - where the grid shows a panel, not where the file puts it (gaps close, overlaps are pushed down,
 *   as Grafana's grid does);
 * - panel ids (moncode numbers panels in order), the uid of a dashboard that has none (Grafana
 *   would make one up), a Grafana instance's bookkeeping (`id`,
 *   `version`, `iteration`, `__inputs`, `__requires`, `schemaVersion`), the saved `options` of query,
 *   datasource, custom, interval, textbox and constant variables (Grafana makes them again from the query when it loads
 *   the dashboard) and the `selected` flag of a variable's
 *   current value;
 * - the default datasource left unnamed in the input (`null`), a `${DS_…}` export input (Grafana
 *   asks for a datasource of that type at import) and `$var` against `${var}`.
 */

type Json = Record<string, unknown>;

export interface Difference {
  /** JSON pointer into the (migrated) input. */
  at: string;
  message: string;
}

const IGNORED_TOP = new Set(['id', 'version', 'iteration', '__inputs', '__requires', '__elements', 'schemaVersion', 'panels', 'rows']);

/** Fields moncode writes whose value is what Grafana assumes when the field is missing. */
const DEFAULTS_WRITTEN: Record<string, unknown[]> = {
  editorMode: ['code'],
  range: [true],
  repeatDirection: ['h'],
  editable: [true],
  fiscalYearStartMonth: [0],
  graphTooltip: [0],
  timezone: ['browser'],
  hide: [0],
  refresh: ['', 0],
  time: [{ from: 'now-6h', to: 'now' }],
  mode: ['absolute'],
  regex: [''],
  multi: [false],
  includeAll: [false],
  collapsed: [false],
  queryType: ['range'],
  // A link without an icon: moncode writes the one Grafana's link editor picks.
  icon: ['external link', 'dashboard'],
};

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || value === '' || value === false || (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).every((k) => isEmpty(value[k])))
  );
}

const VARIABLE = /^\$(?:\{(\w+)(?::\w+)?\}|(\w+))$|^\[\[(\w+)\]\]$/;

function datasourceKey(value: unknown): { any: true } | { variable: string } | { uid: string; type?: string } {
  if (value === null || value === undefined || value === '' || value === 'default') return { any: true };
  const uid = typeof value === 'string' ? value : isMap(value) && typeof value.uid === 'string' ? value.uid : undefined;
  const type = isMap(value) && typeof value.type === 'string' ? value.type : undefined;
  if (uid === undefined) return { any: true };
  const variable = VARIABLE.exec(uid);
  if (variable) {
    const name = variable[1] ?? variable[2] ?? variable[3] ?? '';
    return name.startsWith('DS_') ? { any: true } : { variable: name };
  }
  return { uid, type };
}

function sameDatasource(input: unknown, output: unknown): boolean {
  const a = datasourceKey(input);
  if ('any' in a) return true;
  const b = datasourceKey(output);
  if ('any' in b) return false;
  if ('variable' in a) return 'variable' in b && b.variable === a.variable;
  if ('variable' in b) return false;
  return a.uid === b.uid && (a.type === undefined || b.type === undefined || a.type === b.type);
}

function equalValues(a: unknown, b: unknown): boolean {
  if (isEmpty(a) && isEmpty(b)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((item, i) => equalValues(item, b[i]));
  if (isMap(a) && isMap(b)) return [...new Set([...Object.keys(a), ...Object.keys(b)])].every((k) => equalValues(a[k], b[k]) || defaultWritten(k, a[k], b[k]));
  return a === b;
}

/** One side leaves the field out, the other has the value Grafana assumes for it when it is missing. */
function defaultWritten(key: string, input: unknown, output: unknown): boolean {
  const absent = (v: unknown) => v === undefined || v === null;
  if (absent(input) === absent(output)) return false;
  return (DEFAULTS_WRITTEN[key] ?? []).some((d) => equalValues(d, absent(input) ? output : input));
}

function queryText(query: unknown): unknown {
  return isMap(query) ? query.query : query;
}

function show(value: unknown): string {
  const text = JSON.stringify(value) ?? 'nothing';
  return text.length > 80 ? `${text.slice(0, 77)}…` : text;
}

function compareValue(input: unknown, output: unknown, at: string, out: Difference[], skip: (key: string, at: string) => boolean = () => false): void {
  if (equalValues(input, output)) return;
  if (isMap(input) && isMap(output)) {
    for (const key of [...new Set([...Object.keys(input), ...Object.keys(output)])].sort()) {
      const here = pointerUnder(at, key);
      if (skip(key, here)) continue;
      if (key === 'datasource') {
        if (!sameDatasource(input[key], output[key])) out.push({ at: here, message: `datasource ${show(input[key])} is built as ${show(output[key])}` });
        continue;
      }
      if (defaultWritten(key, input[key], output[key])) continue;
      compareValue(input[key], output[key], here, out, skip);
    }
    return;
  }
  if (Array.isArray(input) && Array.isArray(output) && input.length === output.length) {
    input.forEach((item, i) => compareValue(item, output[i], pointerUnder(at, i), out, skip));
    return;
  }
  const why = reasonFor(at, input);
  out.push({
    at,
    message: `${input === undefined ? `not in the input, built as ${show(output)}` : output === undefined ? `${show(input)} is missing from the build` : `${show(input)} is built as ${show(output)}`}${why ? `: ${why}` : ''}`,
  });
}

/** Why a difference is there, when moncode knows. */
function reasonFor(at: string, input: unknown): string | undefined {
  const grid = /\/gridPos\/([xywh])$/.exec(at);
  if (grid) {
    const n = typeof input === 'number' ? input : NaN;
    const key = grid[1]!;
    if (!Number.isInteger(n) || n < 0 || ((key === 'w' || key === 'h') && n < 1) || ((key === 'x' || key === 'w') && n > 24))
      return `${show(input)} is no ${key === 'x' ? 'column' : key === 'y' ? 'row' : key === 'w' ? 'width' : 'height'} of Grafana's 24-column grid (moncode's gridPos takes whole numbers, widths 1–24), so the panel is where moncode's layout puts it`;
  }
  return undefined;
}

/**
 * Every panel in the order Grafana lists them: top-level ones, a collapsed row's after the row,
 * with y counted from the first of them (Grafana places them below the row when it opens).
 */
function flatPanels(json: Json, base = ''): Array<{ panel: Json; at: string }> {
  const out: Array<{ panel: Json; at: string }> = [];
  const panels = Array.isArray(json.panels) ? json.panels : [];
  const ys = panels.map((p) => (isMap(p) && isMap(p.gridPos) && typeof p.gridPos.y === 'number' ? p.gridPos.y : 0));
  const top = base && ys.length > 0 ? Math.min(...ys) : 0;
  panels.forEach((panel, i) => {
    if (!isMap(panel)) return;
    const at = base ? pointerUnder(base, 'panels', i) : pointer('panels', i);
    const shown = base && isMap(panel.gridPos) ? { ...panel, gridPos: { ...panel.gridPos, y: ys[i]! - top } } : panel;
    out.push({ panel: shown, at });
    if (Array.isArray(panel.panels)) out.push(...flatPanels(panel, at));
  });
  return out;
}

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

/**
 * Where Grafana's grid shows the top-level panels: sorted by position, each moves up while it
 * overlaps nothing above it, then down past whatever it overlaps (the grid's vertical compaction),
 * so gaps close and overlapping panels are pushed below each other.
 */
function shownLayout(json: Json): Json {
  const panels = Array.isArray(json.panels) ? (json.panels as unknown[]) : [];
  const boxes = panels.map((panel, index) => {
    const grid = isMap(panel) && isMap(panel.gridPos) ? panel.gridPos : {};
    const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
    // A row spans the grid, one line high, whatever its gridPos says.
    if (isMap(panel) && panel.type === 'row') return { index, box: { x: 0, y: n(grid.y), w: 24, h: 1 } };
    return { index, box: { x: n(grid.x), y: n(grid.y), w: n(grid.w), h: n(grid.h) } };
  });
  const order = [...boxes].sort((a, b) => a.box.y - b.box.y || a.box.x - b.box.x || a.index - b.index);
  const placed: Box[] = [];
  const overlap = (a: Box, b: Box) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
  for (const item of order) {
    const box = { ...item.box };
    while (box.y > 0 && !placed.some((p) => overlap({ ...box, y: box.y - 1 }, p))) box.y--;
    for (let hit = placed.find((p) => overlap(box, p)); hit; hit = placed.find((p) => overlap(box, p))) box.y = hit.y + hit.h;
    placed.push(box);
    item.box = box;
  }
  const shown = panels.map((panel, i) => (isMap(panel) && isMap(panel.gridPos) ? { ...panel, gridPos: { ...panel.gridPos, ...boxes[i]!.box } } : panel));
  return { ...json, panels: shown };
}

/** The differences between a migrated input dashboard and the dashboard mon-build wrote for it. */
export function compareDashboards(rawInput: Json, rawOutput: Json): Difference[] {
  const input = shownLayout(rawInput);
  const output = shownLayout(rawOutput);
  const out: Difference[] = [];
  for (const key of [...new Set([...Object.keys(input), ...Object.keys(output)])].sort()) {
    if (IGNORED_TOP.has(key)) continue;
    const at = pointer(key);
    if (key === 'annotations') {
      const list = (v: unknown) => (isMap(v) && Array.isArray(v.list) ? v.list.filter((a) => !(isMap(a) && a.builtIn === 1)) : []);
      compareValue(list(input[key]), list(output[key]), pointerUnder(at, 'list'), out);
      continue;
    }
    if (key === 'templating') {
      const list = (v: unknown) => (isMap(v) && Array.isArray(v.list) ? v.list : []);
      const inputs = list(input[key]);
      const outputs = list(output[key]);
      if (inputs.length !== outputs.length) out.push({ at, message: `${inputs.length} variables built as ${outputs.length}` });
      inputs.forEach((variable, i) => {
        const type = isMap(variable) ? variable.type : undefined;
        compareValue(variable, outputs[i], pointer('templating', 'list', i), out, (k, here) => {
          if (k === 'options' && (type === 'query' || type === 'datasource' || type === 'custom' || type === 'interval' || type === 'textbox' || type === 'constant') && here.split('/').length === 5)
            return true;
          // Grafana reads a query variable without refresh on load, and unsorted.
          if (
            here.split('/').length === 5 &&
            (type === 'query' || type === 'datasource') &&
            isMap(variable) &&
            variable[k] === undefined &&
            ((k === 'refresh' && outputs[i]?.[k as never] === 1) || (k === 'sort' && outputs[i]?.[k as never] === 0))
          )
            return true;
          // The query shown in the variable editor: moncode writes the query itself.
          if (
            k === 'definition' &&
            isMap(variable) &&
            (variable.definition === undefined || variable.definition === null || variable.definition === '') &&
            isMap(outputs[i]) &&
            queryText((outputs[i] as Json).query) === (outputs[i] as Json).definition
          )
            return true;
          return k === 'selected';
        });
      });
      continue;
    }
    if (defaultWritten(key, input[key], output[key])) continue;
    // Without a uid Grafana makes one up at import; moncode derives a stable one from the title.
    if (key === 'uid' && (input.uid === undefined || input.uid === null || input.uid === '')) continue;
    compareValue(input[key], output[key], at, out);
  }
  const inputs = flatPanels(input);
  const outputs = flatPanels(output);
  if (inputs.length !== outputs.length) out.push({ at: '/panels', message: `${inputs.length} panels built as ${outputs.length}` });
  inputs.forEach(({ panel, at }, i) => {
    const built = outputs[i]?.panel;
    if (!built) return;
    const panelDs = panel.datasource;
    compareValue(panel, built, at, out, (k, here) => {
      if (here.split('/').length === at.split('/').length + 1 && (k === 'id' || k === 'panels')) return true;
      // Grafana names queries A, B, C… in order when they have no refId, as moncode does.
      const refId = /\/targets\/(\d+)\/refId$/.exec(here);
      if (k === 'refId' && refId) {
        const target = Array.isArray(panel.targets) ? (panel.targets[Number(refId[1])] as Json | undefined) : undefined;
        if (target && target.refId === undefined) return true;
      }
      // A Loki query of before queryType: Loki's datasource reads `instant: true` as queryType 'instant', else 'range'.
      const loki = /\/targets\/(\d+)\/(instant|range|queryType)$/.exec(here);
      if (loki) {
        const target = Array.isArray(panel.targets) ? panel.targets[Number(loki[1])] : undefined;
        const output = Array.isArray(built.targets) ? built.targets[Number(loki[1])] : undefined;
        if (isMap(target) && isMap(output) && target.queryType === undefined && output.queryType === (target.instant === true ? 'instant' : 'range')) return true;
      }
      // A query without a datasource uses the panel's: Grafana fills it in the same way.
      if (k === 'datasource' && /\/targets\/\d+\/datasource$/.test(here)) {
        const index = Number(here.split('/').at(-2));
        const target = Array.isArray(panel.targets) ? (panel.targets[index] as Json | undefined) : undefined;
        return target?.datasource === undefined || target.datasource === null || sameDatasource(target.datasource, panelDs);
      }
      return false;
    });
  });
  return out;
}
