/**
 * The steps of Grafana's dashboard schema migration (its DashboardMigrator and the backend's
 * schemaversion package) that change what a dashboard shows or holds, each applied only to a
 * dashboard older than the version that brought it, as Grafana does. Facts from Grafana's
 * migrations, written for moncode: the layout of `rows[]` (16) and the panel plugins' own
 * migrations (graph, singlestat, table-old) are in migrate.ts.
 */

type Json = Record<string, unknown>;

export interface Step {
  /** The schemaVersion the step migrates to: it applies to dashboards older than that. */
  version: number;
  /** Changes `json` in place; says what it changed (nothing when the dashboard had nothing to change). */
  run(json: Json): string[];
}

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function variables(json: Json): Json[] {
  return isMap(json.templating) ? list(json.templating.list).filter(isMap) : [];
}

function topPanels(json: Json): Json[] {
  return list(json.panels).filter(isMap);
}

/** Top-level panels and the panels of (collapsed) rows. */
function allPanels(json: Json): Json[] {
  return topPanels(json).flatMap((p) => [p, ...list(p.panels).filter(isMap)]);
}

function factorsOf(n: number): number[] {
  const out: number[] = [];
  for (let i = 1; i <= n; i++) if (n % i === 0) out.push(i);
  return out;
}

/** Grafana's legacy value mapping types: 1 value to text, 2 range to text. */
function upgradeMappings(mappings: unknown[], thresholds: Json | undefined): unknown[] {
  if (mappings.length === 0) return mappings;
  const values: Json = {};
  let hasValues = false;
  const rest: unknown[] = [];
  const colorFor = (text: unknown): unknown => {
    if (!thresholds || typeof text !== 'string' || text.trim() === '' || !Number.isFinite(Number(text))) return undefined;
    const steps = list(thresholds.steps);
    if (steps.length === 0) return '#808080';
    let active = isMap(steps[0]) ? steps[0] : undefined;
    for (const step of steps) {
      if (!isMap(step) || !('value' in step)) break;
      const v = step.value === null ? 0 : Number(step.value);
      if (!Number.isFinite(v) || Number(text) < v) break;
      active = step;
    }
    return active?.color;
  };
  const result = (m: Json): Json => {
    const color = colorFor(m.text);
    return color === undefined ? { text: m.text } : { text: m.text, color };
  };
  for (const m of mappings) {
    if (!isMap(m)) continue;
    if (typeof m.type === 'string' && m.type !== '') {
      if (m.type === 'value' && isMap(m.options)) {
        Object.assign(values, m.options);
        hasValues = true;
      } else rest.push(m);
      continue;
    }
    const type = Number(m.type);
    if (type === 1) {
      if (m.value === null || m.value === undefined) continue;
      if (m.value === 'null') rest.push({ type: 'special', options: { match: 'null', result: result(m) } });
      else {
        values[String(m.value)] = result(m);
        hasValues = true;
      }
    } else if (type === 2) {
      const number = (v: unknown) => (typeof v === 'number' ? v : Number.isFinite(parseFloat(String(v))) ? parseFloat(String(v)) : 0);
      rest.push({ type: 'range', options: { from: number(m.from), to: number(m.to), result: result(m) } });
    }
  }
  return hasValues ? [{ type: 'value', options: values }, ...rest] : rest;
}

function tableCellOptions(mode: string): Json {
  if (mode === 'basic' || mode === 'gradient-gauge' || mode === 'lcd-gauge') return { type: 'gauge', mode: mode === 'gradient-gauge' ? 'gradient' : mode === 'lcd-gauge' ? 'lcd' : 'basic' };
  if (mode === 'color-background' || mode === 'color-background-solid') return { type: 'color-background', mode: mode === 'color-background' ? 'gradient' : 'basic' };
  return { type: mode };
}

/** Grafana's slug for a dashboard name in a legacy panel link (lower case, word characters and spaces, spaces to dashes). */
function linkSlug(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9_ ]+/g, '')
    .replace(/ +/g, '-');
}

/** A legacy panel link (dashboard by name or uri, keepTime, includeVars, params) as the URL Grafana makes of it. */
function panelLinkUrl(link: Json): string {
  const text = (key: string) => (typeof link[key] === 'string' ? (link[key] as string) : '');
  let url = text('url') !== '' ? text('url') : text('dashboard') !== '' ? `dashboard/db/${linkSlug(text('dashboard'))}` : text('dashUri') !== '' ? `dashboard/${text('dashUri')}` : '/';
  const params = [link.keepTime === true ? '$__url_time_range' : '', link.includeVars === true ? '$__all_variables' : '', text('params')].filter((p) => p !== '');
  params.forEach((param, i) => (url += `${i === 0 ? '?' : '&'}${param}`));
  return url;
}

const LEGACY_VARIABLES: Record<string, string> = {
  __series_name: '__series.name',
  $__series_name: '${__series.name}',
  __value_time: '__value.time',
  __field_name: '__field.name',
  $__field_name: '${__field.name}',
};

function legacyVariableSyntax(text: string): string {
  return text.replace(/\$?__series_name|__value_time|\$?__field_name/g, (m) => LEGACY_VARIABLES[m] ?? m);
}

/** Rewrites the URLs of a React panel's `options.dataLinks` and `options.fieldOptions.defaults.links` (and its title, when asked); says whether anything changed. */
function rewriteOptionLinks(options: Json, rewrite: (text: string) => string, title: boolean): boolean {
  let changed = false;
  const fix = (holder: Json, key: string) => {
    const before = holder[key];
    if (typeof before !== 'string') return;
    holder[key] = rewrite(before);
    if (holder[key] !== before) changed = true;
  };
  for (const link of list(options.dataLinks)) if (isMap(link)) fix(link, 'url');
  const defaults = isMap(options.fieldOptions) && isMap(options.fieldOptions.defaults) ? options.fieldOptions.defaults : undefined;
  if (defaults) {
    if (title) fix(defaults, 'title');
    for (const link of list(defaults.links)) if (isMap(link)) fix(link, 'url');
  }
  return changed;
}

export const STEPS: Step[] = [
  {
    version: 14,
    run(json) {
      const shared = json.sharedCrosshair === true;
      const before = json.graphTooltip;
      json.graphTooltip = shared ? 1 : 0;
      delete json.sharedCrosshair;
      return before === json.graphTooltip ? [] : [`sharedCrosshair became graphTooltip ${String(json.graphTooltip)}`];
    },
  },
  {
    version: 17,
    run(json) {
      const out: string[] = [];
      const factors = factorsOf(24);
      for (const panel of topPanels(json)) {
        if (!('minSpan' in panel)) continue;
        const minSpan = Number(panel.minSpan);
        if (typeof panel.minSpan === 'number' && minSpan > 0) {
          const max = 24 / minSpan;
          const index = factors.findIndex((f) => f > max);
          panel.maxPerRow = index > 0 ? factors[index - 1] : index === 0 ? 1 : factors[factors.length - 1];
          out.push(`minSpan ${minSpan} became maxPerRow ${String(panel.maxPerRow)}`);
        }
        delete panel.minSpan;
      }
      return out;
    },
  },
  {
    version: 19,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (!Array.isArray(panel.links) || panel.links.length === 0) continue;
        panel.links = panel.links.filter(isMap).map((link) => {
          const url = panelLinkUrl(link);
          if (url !== link.url || Object.keys(link).some((k) => k !== 'url' && k !== 'title' && k !== 'targetBlank'))
            out.push('panel links written as URLs (dashboard, dashUri, keepTime, includeVars, params)');
          const upgraded: Json = { url, title: typeof link.title === 'string' ? link.title : '' };
          if (link.targetBlank === true) upgraded.targetBlank = true;
          return upgraded;
        });
      }
      return out;
    },
  },
  {
    version: 20,
    run(json) {
      const out: string[] = [];
      for (const panel of topPanels(json)) {
        if (!isMap(panel.options)) continue;
        const changed = rewriteOptionLinks(panel.options, legacyVariableSyntax, true);
        if (changed) out.push('data links use the dotted variables (${__series.name}, __value.time, ${__field.name})');
      }
      return out;
    },
  },
  {
    version: 21,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (!isMap(panel.options)) continue;
        if (rewriteOptionLinks(panel.options, (text) => text.replaceAll('__series.labels', '__field.labels'), false)) out.push('data links use __field.labels for __series.labels');
      }
      return out;
    },
  },
  {
    version: 22,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (panel.type !== 'table' || !Array.isArray(panel.styles)) continue;
        for (const style of panel.styles.filter(isMap)) {
          if (style.align !== 'auto') out.push("table styles align 'auto'");
          style.align = 'auto';
        }
      }
      return out;
    },
  },
  {
    version: 23,
    run(json) {
      const out: string[] = [];
      for (const variable of variables(json)) {
        if (typeof variable.multi !== 'boolean' || !isMap(variable.current) || Object.keys(variable.current).length === 0) continue;
        const current: Json = { ...variable.current };
        if (variable.multi) {
          if (!('value' in current) || Array.isArray(current.value)) continue;
          current.value = [current.value];
          if ('text' in current && !Array.isArray(current.text)) current.text = [current.text];
        } else {
          for (const key of ['value', 'text']) if (Array.isArray(current[key])) current[key] = (current[key] as unknown[]).length > 0 ? (current[key] as unknown[])[0] : '';
        }
        if (JSON.stringify(current) !== JSON.stringify(variable.current))
          out.push(`variable ${String(variable.name)}: current value as ${variable.multi ? 'a list (multi)' : 'one value (not multi)'}`);
        variable.current = current;
      }
      return out;
    },
  },
  {
    version: 26,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (panel.type !== 'text2') continue;
        panel.type = 'text';
        if (isMap(panel.options)) delete panel.options.angular;
        out.push('a text2 panel became text');
      }
      return out;
    },
  },
  {
    version: 27,
    run(json) {
      const out: string[] = [];
      const repeated = (p: unknown) => isMap(p) && ('repeatPanelId' in p || 'repeatByRow' in p);
      if (Array.isArray(json.panels)) {
        const kept = json.panels.filter((p) => isMap(p) && !repeated(p));
        if (kept.length !== json.panels.length) out.push('copies of repeated panels left out (Grafana makes them again)');
        json.panels = kept;
        for (const row of kept as Json[]) {
          if (row.type === 'row' && Array.isArray(row.panels)) row.panels = row.panels.filter((p) => !(isMap(p) && 'repeatPanelId' in p));
        }
      }
      for (const variable of variables(json)) {
        if (variable.type !== 'constant') continue;
        const query = typeof variable.query === 'string' ? variable.query : '';
        variable.query = query;
        const current = { selected: true, text: query, value: query };
        variable.current = current;
        variable.options = [current];
        if (variable.hide === 0 || variable.hide === 1) {
          variable.type = 'textbox';
          out.push(`constant variable ${String(variable.name)} became a textbox (it was shown)`);
        }
      }
      return out;
    },
  },
  {
    version: 28,
    run(json) {
      const out: string[] = [];
      for (const variable of variables(json)) {
        const removed = ['tags', 'tagsQuery', 'tagValuesQuery', 'useTags'].filter((k) => k in variable);
        for (const key of removed) delete variable[key];
        if (removed.length > 0) out.push(`variable ${String(variable.name)}: ${removed.join(', ')} left out (Grafana removed variable tags)`);
      }
      return out;
    },
  },
  {
    version: 29,
    run(json) {
      const out: string[] = [];
      for (const variable of variables(json)) {
        if (variable.type !== 'query') continue;
        const refresh = typeof variable.refresh === 'number' ? variable.refresh : 0;
        if (refresh !== 1 && refresh !== 2) {
          variable.refresh = 1;
          out.push(`query variable ${String(variable.name)} refreshes on dashboard load`);
        }
        if (Array.isArray(variable.options) && variable.options.length > 0) variable.options = [];
      }
      return out;
    },
  },
  {
    version: 30,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        const fieldConfig = isMap(panel.fieldConfig) ? panel.fieldConfig : undefined;
        const defaults = fieldConfig && isMap(fieldConfig.defaults) ? fieldConfig.defaults : undefined;
        if (defaults && Array.isArray(defaults.mappings)) {
          const upgraded = upgradeMappings(defaults.mappings, isMap(defaults.thresholds) ? defaults.thresholds : undefined);
          if (JSON.stringify(upgraded) !== JSON.stringify(defaults.mappings)) out.push('value mappings in the current format');
          defaults.mappings = upgraded;
        }
        for (const override of fieldConfig ? list(fieldConfig.overrides) : []) {
          for (const property of isMap(override) ? list(override.properties) : []) {
            if (isMap(property) && property.id === 'mappings' && Array.isArray(property.value)) property.value = upgradeMappings(property.value, undefined);
          }
        }
        if ((panel.type === 'timeseries' || panel.type === 'xychart' || panel.type === 'xychart2') && isMap(panel.options) && 'tooltipOptions' in panel.options) {
          panel.options.tooltip = panel.options.tooltipOptions;
          delete panel.options.tooltipOptions;
          out.push('tooltipOptions became tooltip');
        }
      }
      return out;
    },
  },
  {
    version: 31,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (panel.type === 'row' || !Array.isArray(panel.transformations)) continue;
        if (!panel.transformations.some((t) => isMap(t) && t.id === 'labelsToFields')) continue;
        panel.transformations = panel.transformations.flatMap((t) => (isMap(t) && t.id === 'labelsToFields' ? [t, { id: 'merge', options: {} }] : [t]));
        out.push('a merge transformation after each labelsToFields');
      }
      return out;
    },
  },
  {
    version: 35,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (panel.type !== 'timeseries' || !isMap(panel.fieldConfig)) continue;
        const defaults = isMap(panel.fieldConfig.defaults) ? panel.fieldConfig.defaults : {};
        if (!isMap(defaults.custom) || defaults.custom.axisPlacement !== 'hidden') continue;
        panel.fieldConfig.overrides = [...list(panel.fieldConfig.overrides), { matcher: { id: 'byType', options: 'time' }, properties: [{ id: 'custom.axisPlacement', value: 'auto' }] }];
        out.push('hidden axes keep the time axis shown');
      }
      return out;
    },
  },
  {
    version: 37,
    run(json) {
      const out: string[] = [];
      for (const panel of topPanels(json)) {
        if (!isMap(panel.options)) continue;
        const legend = panel.options.legend;
        if (legend === null || legend === undefined) continue;
        if (typeof legend === 'boolean') {
          panel.options.legend = { displayMode: 'list', showLegend: legend };
          out.push('a boolean legend became a legend object');
        } else if (isMap(legend)) {
          if (legend.displayMode === 'hidden' || legend.showLegend === false) {
            if (legend.displayMode !== 'list' || legend.showLegend !== false) out.push('a hidden legend is showLegend false');
            legend.displayMode = 'list';
            legend.showLegend = false;
          } else legend.showLegend = true;
        }
      }
      return out;
    },
  },
  {
    version: 38,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (panel.type !== 'table' || !isMap(panel.fieldConfig) || !isMap(panel.fieldConfig.defaults) || !isMap(panel.fieldConfig.defaults.custom)) continue;
        const custom = panel.fieldConfig.defaults.custom;
        if ('displayMode' in custom) {
          if (typeof custom.displayMode === 'string') custom.cellOptions = tableCellOptions(custom.displayMode);
          delete custom.displayMode;
          out.push('table displayMode became cellOptions');
        }
        for (const override of list(panel.fieldConfig.overrides)) {
          for (const property of isMap(override) ? list(override.properties) : []) {
            if (!isMap(property) || property.id !== 'custom.displayMode') continue;
            property.id = 'custom.cellOptions';
            if (typeof property.value === 'string') property.value = tableCellOptions(property.value);
          }
        }
      }
      return out;
    },
  },
  {
    version: 39,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        if (panel.type === 'row') continue;
        for (const t of list(panel.transformations)) {
          if (!isMap(t) || t.id !== 'timeSeriesTable' || !isMap(t.options) || !isMap(t.options.refIdToStat)) continue;
          t.options = Object.fromEntries(Object.entries(t.options.refIdToStat).map(([refId, stat]) => [refId, { stat }]));
          out.push('timeSeriesTable options per query ({ A: { stat } } for refIdToStat)');
        }
      }
      return out;
    },
  },
  {
    version: 40,
    run(json) {
      if (typeof json.refresh === 'string') return [];
      const had = json.refresh !== undefined;
      json.refresh = '';
      return had ? ['refresh that is not a string became no auto-refresh'] : [];
    },
  },
  {
    version: 41,
    run(json) {
      if (!isMap(json.timepicker) || !('time_options' in json.timepicker)) return [];
      delete json.timepicker.time_options;
      return ['timepicker.time_options left out (unused since Grafana 5)'];
    },
  },
  {
    version: 42,
    run(json) {
      const out: string[] = [];
      for (const panel of allPanels(json)) {
        for (const override of isMap(panel.fieldConfig) ? list(panel.fieldConfig.overrides) : []) {
          for (const property of isMap(override) ? list(override.properties) : []) {
            if (isMap(property) && property.id === 'custom.hideFrom' && isMap(property.value) && property.value.viz === true && property.value.tooltip !== true) {
              property.value.tooltip = true;
              out.push('a series hidden from the graph is hidden from the tooltip too');
            }
          }
        }
      }
      return out;
    },
  },
];

/** The dashboard's schemaVersion as Grafana reads it (a number or a numeric string; anything else is 0). */
export function schemaVersionOf(json: Json): number {
  const v = json.schemaVersion;
  if (typeof v === 'number') return Math.trunc(v);
  if (typeof v === 'string' && /^-?\d+$/.test(v.trim())) return Number(v.trim());
  return 0;
}
