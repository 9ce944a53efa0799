import type { Locator } from '../../model/locator.js';
import { whereOf } from '../../model/source-location.js';
import type { Variable, VariableSortOrder } from '../../model/variable.js';
import { parseDuration } from '../../model/duration.js';
import { INVALID, type Problems } from '../../model/diagnostic.js';
import type * as schema from '@grafana/schema';
import type { DatasourceRefJson, DatasourceRegistry } from './datasources.js';
import { pointer, pointerUnder } from '../../model/pointer.js';
import type { VariableJson } from './schema.js';
import { mergeExtra } from './extra.js';

const SORT: Record<VariableSortOrder, number> = {
  disabled: 0,
  alphabetical: 1,
  'alphabetical-desc': 2,
  numerical: 3,
  'numerical-desc': 4,
  'alphabetical-case-insensitive': 5,
  'alphabetical-case-insensitive-desc': 6,
  natural: 7,
  'natural-desc': 8,
};

const HIDE = { nothing: 0, label: 1, variable: 2 } as const;

const NAME = /^\w+$/;

interface VariableContext {
  system: string;
  problems: Problems;
  locator: Locator;
  datasources: DatasourceRegistry;
  variables: ReadonlySet<string>;
  subject: string;
}

/** Dashboard variables in Grafana's `templating.list` shape. */
export function compileVariables(variables: readonly Variable[], ctx: VariableContext): VariableJson[] {
  return variables.map((variable, index) => {
    const at = pointer('templating', 'list', index);
    ctx.locator.set(at, whereOf(variable));
    ctx.locator.set(pointerUnder(at, 'name'), whereOf(variable, 'name'));
    ctx.locator.set(pointerUnder(at, 'query'), whereOf(variable, 'query'));
    if (!NAME.test(variable.name)) {
      ctx.problems.error(INVALID, `variable name "${variable.name}" must be letters, digits and _`, whereOf(variable, 'name'), ctx.subject);
    }
    let json: VariableJson = {
      type: variable.type,
      name: variable.name,
      hide: HIDE[variable.hide ?? (variable.type === 'constant' ? 'variable' : 'nothing')],
    };
    if (variable.label !== undefined) json.label = variable.label;
    if (variable.description !== undefined) json.description = variable.description;
    if (variable.skipUrlSync !== undefined) json.skipUrlSync = variable.skipUrlSync;

    const datasourceOf = (named: Parameters<DatasourceRegistry['resolve']>[1], plugin: string): DatasourceRefJson | undefined => {
      const { ref, error } = ctx.datasources.resolve(ctx.system, named, plugin, ctx.variables);
      if (error) ctx.problems.error('dashboard/datasource', error, whereOf(variable, 'datasource'), ctx.subject);
      return ref;
    };

    switch (variable.type) {
      case 'query': {
        const datasource = datasourceOf(variable.datasource, 'prometheus');
        if (datasource) json.datasource = datasource;
        json = {
          ...json,
          ...multiValue(variable),
          query: variable.query,
          definition: variable.query,
          refresh: variable.refresh === 'load' ? 1 : 2,
          regex: variable.regex ?? '',
          sort: SORT[variable.sort ?? 'alphabetical'],
          options: [],
        };
        if (variable.current !== undefined) json.current = current(variable.current);
        break;
      }
      case 'custom': {
        json = {
          ...json,
          ...multiValue(variable),
          query: variable.values.map((v) => v.replace(/,/g, '\\,')).join(','),
          options: variable.values.map((value) => ({ selected: isSelected(variable.current ?? variable.values[0], value), text: value, value })),
          current: current(variable.current ?? variable.values[0] ?? ''),
        };
        break;
      }
      case 'datasource':
        json = { ...json, ...multiValue(variable), query: variable.plugin, regex: variable.regex ?? '', refresh: 1, options: [] };
        if (variable.current !== undefined) json.current = current(variable.current);
        break;
      case 'interval': {
        for (const value of variable.values) {
          if (parseDuration(value) === undefined) ctx.problems.error(INVALID, `"${value}" is not a duration such as 1m or 1h`, whereOf(variable, 'values'), ctx.subject);
        }
        json = {
          ...json,
          query: variable.values.join(','),
          options: variable.values.map((value) => ({ selected: value === (variable.current ?? variable.values[0]), text: value, value })),
          current: current(variable.current ?? variable.values[0] ?? ''),
          refresh: 2,
          auto: variable.auto !== undefined,
        };
        if (variable.auto) json = { ...json, auto_count: variable.auto.steps ?? 30, auto_min: variable.auto.minimum ?? '10s' };
        break;
      }
      case 'constant':
        json.query = variable.value;
        break;
      case 'textbox':
        json.query = variable.value ?? '';
        json.current = current(variable.value ?? '');
        break;
      case 'adhoc': {
        const datasource = datasourceOf(variable.datasource, 'prometheus');
        if (datasource) json.datasource = datasource;
        json.filters = [];
        break;
      }
    }
    if (variable.extra !== undefined) mergeExtra(json as unknown as Record<string, unknown>, variable.extra, { locator: ctx.locator, pointer: at });
    return json;
  });
}

function multiValue(variable: { multi?: boolean; includeAll?: boolean; allValue?: string }): Pick<VariableJson, 'multi' | 'includeAll' | 'allValue'> {
  const json: Pick<VariableJson, 'multi' | 'includeAll' | 'allValue'> = { multi: variable.multi ?? false, includeAll: variable.includeAll ?? false };
  if (variable.allValue !== undefined) json.allValue = variable.allValue;
  return json;
}

function current(value: string | string[]): schema.VariableOption {
  const text = Array.isArray(value) ? value.map(allText) : allText(value);
  return { text, value };
}

function allText(value: string): string {
  return value === '$__all' ? 'All' : value;
}

function isSelected(current: string | string[] | undefined, value: string): boolean {
  return Array.isArray(current) ? current.includes(value) : current === value;
}
