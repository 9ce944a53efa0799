import type { Datasource, DatasourceName, DatasourceType } from './datasource.js';
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

/**
 * A query variable, as `queryVariable()` makes it: its values come from a datasource query.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-query-variable
 */
export interface QueryVariable extends VariableBase, MultiValue {
  type: 'query';
  /** e.g. `label_values(up, job)`. */
  query: string;
  datasource?: Datasource | DatasourceName;
  /** When values are re-read: on dashboard load (default) or on every time range change. */
  refresh?: 'load' | 'time-range';
  sort?: VariableSortOrder;
  /** Regex to filter or capture values. */
  regex?: string;
  /** Pre-selected value(s). */
  current?: string | string[];
}

/**
 * A custom variable, as `customVariable()` makes it: values listed by hand.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-custom-variable
 */
export interface CustomVariable extends VariableBase, MultiValue {
  type: 'custom';
  values: string[];
  current?: string | string[];
}

/**
 * A datasource variable, as `datasourceVariable()` makes it: the user picks a datasource of a type.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-data-source-variable
 */
export interface DatasourceVariable extends VariableBase, MultiValue {
  type: 'datasource';
  /** Plugin id of the datasources offered, e.g. `prometheus`. */
  plugin: DatasourceType | (string & {});
  regex?: string;
  current?: string;
}

/**
 * An interval variable, as `intervalVariable()` makes it: a time span for ranges and steps (`$interval`).
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-an-interval-variable
 */
export interface IntervalVariable extends VariableBase {
  type: 'interval';
  values: Duration[];
  /** Add an `auto` option dividing the time range into `steps` intervals of at least `minimum`. */
  auto?: { steps?: number; minimum?: Duration };
  current?: Duration;
}

/**
 * A constant variable, as `constantVariable()` makes it: a hidden fixed value.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-constant-variable
 */
export interface ConstantVariable extends VariableBase {
  type: 'constant';
  value: string;
}

/**
 * A text box variable, as `textboxVariable()` makes it: free text the user types.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-a-text-box-variable
 */
export interface TextboxVariable extends VariableBase {
  type: 'textbox';
  /** Initial text. */
  value?: string;
}

/**
 * An ad hoc filters variable, as `adhocVariable()` makes it: label filters added to every query of its datasource.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/#add-ad-hoc-filters
 */
export interface AdhocVariable extends VariableBase {
  type: 'adhoc';
  datasource?: Datasource | DatasourceName;
}

/**
 * A dashboard variable: query, custom, datasource, interval, constant, text box or ad hoc filters.
 * @see https://grafana.com/docs/grafana/latest/dashboards/variables/add-template-variables/
 */
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
