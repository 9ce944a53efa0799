import type { Datasource, DatasourceType } from './datasource.js';
import type { Duration } from './duration.js';
import { derive } from './resource.js';

interface VariableBase {
  /** Referred to as `$name` in queries. */
  name: string;
  label?: string;
  description?: string;
  /** Hide the label, the whole variable, or nothing (default). */
  hide?: 'nothing' | 'label' | 'variable';
  skipUrlSync?: boolean;
  /** Variable JSON fields moncode does not model, written over what it compiles. */
  extra?: Record<string, unknown>;
}

interface MultiValue {
  multi?: boolean;
  includeAll?: boolean;
  /** Value used for "All" (e.g. `.*`); Grafana joins every value when omitted. */
  allValue?: string;
}

export type VariableSortOrder =
  'disabled' | 'alphabetical' | 'alphabetical-desc' | 'numerical' | 'numerical-desc' | 'alphabetical-case-insensitive' | 'alphabetical-case-insensitive-desc' | 'natural' | 'natural-desc';

export interface QueryVariable extends VariableBase, MultiValue {
  type: 'query';
  /** e.g. `label_values(up, job)`. */
  query: string;
  datasource?: Datasource | string;
  /** When values are re-read: on dashboard load (default) or on every time range change. */
  refresh?: 'load' | 'time-range';
  sort?: VariableSortOrder;
  /** Regex to filter or capture values. */
  regex?: string;
  /** Pre-selected value(s). */
  current?: string | string[];
}

export interface CustomVariable extends VariableBase, MultiValue {
  type: 'custom';
  values: string[];
  current?: string | string[];
}

export interface DatasourceVariable extends VariableBase, MultiValue {
  type: 'datasource';
  /** Plugin id of the datasources offered, e.g. `prometheus`. */
  plugin: DatasourceType | (string & {});
  regex?: string;
  current?: string;
}

export interface IntervalVariable extends VariableBase {
  type: 'interval';
  values: Duration[];
  /** Add an `auto` option dividing the time range into `steps` intervals of at least `minimum`. */
  auto?: { steps?: number; minimum?: Duration };
  current?: Duration;
}

export interface ConstantVariable extends VariableBase {
  type: 'constant';
  value: string;
}

export interface TextboxVariable extends VariableBase {
  type: 'textbox';
  /** Initial text. */
  value?: string;
}

export interface AdhocVariable extends VariableBase {
  type: 'adhoc';
  datasource?: Datasource | string;
}

export type Variable = QueryVariable | CustomVariable | DatasourceVariable | IntervalVariable | ConstantVariable | TextboxVariable | AdhocVariable;

type Spec<V> = V extends { type: infer _ } ? Omit<V, 'type'> : never;

function variableKind<V extends Variable>(type: V['type']) {
  return (spec: Spec<V>): V => derive(spec, { type }) as unknown as V;
}

/**
 * A query variable: its values come from a datasource query (`label_values(up, job)`).
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-query-variable
 */
export const queryVariable = variableKind<QueryVariable>('query');
/**
 * A custom variable: a fixed, comma-separated list of values.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-custom-variable
 */
export const customVariable = variableKind<CustomVariable>('custom');
/**
 * A datasource variable: the user picks one datasource of a type.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-data-source-variable
 */
export const datasourceVariable = variableKind<DatasourceVariable>('datasource');
/**
 * An interval variable: a time span (`1m,5m,1h`) for ranges and steps.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-an-interval-variable
 */
export const intervalVariable = variableKind<IntervalVariable>('interval');
/**
 * A constant variable: a hidden, fixed value queries can use.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-constant-variable
 */
export const constantVariable = variableKind<ConstantVariable>('constant');
/**
 * A text box variable: free text the user types.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-text-box-variable
 */
export const textboxVariable = variableKind<TextboxVariable>('textbox');
/**
 * An ad hoc filters variable: label filters added to every query of its datasource.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-ad-hoc-filters
 */
export const adhocVariable = variableKind<AdhocVariable>('adhoc');
