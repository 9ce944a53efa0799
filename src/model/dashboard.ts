import type { Datasource, DatasourceName } from './datasource.js';
import type { GrafanaTime, RefreshInterval } from './duration.js';
import type { AutoGrid, Color, Panel, Row, Tabs } from './panel.js';
import { brand, type Resource } from './resource.js';
import type { Suppressible } from './suppression.js';
import type { Variable } from './variable.js';

/**
 * A link in a dashboard's header: a URL, or a dropdown of the dashboards with some tags.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/manage-dashboard-links/
 */
export interface DashboardLink {
  title: string;
  /** `link`: a URL; `dashboards`: a dropdown of dashboards with the given tags. */
  type?: 'link' | 'dashboards';
  url?: string;
  tags?: string[];
  asDropdown?: boolean;
  icon?: 'external link' | 'dashboard' | 'question' | 'info' | 'bolt' | 'doc' | 'cloud';
  tooltip?: string;
  targetBlank?: boolean;
  /** Carry the time range / variables over to the linked page. */
  keepTime?: boolean;
  includeVars?: boolean;
}

/** An annotation query drawn on the dashboard's graphs (besides Grafana's built-in one). */
export interface Annotation {
  name: string;
  datasource?: Datasource | DatasourceName;
  /** For Prometheus: a query whose non-zero samples become annotations. */
  expr?: string;
  color?: Color;
  enable?: boolean;
  hide?: boolean;
  titleFormat?: string;
  textFormat?: string;
  tagKeys?: string;
  step?: string;
  /** For Grafana's own annotations: match by tags. */
  tags?: string[];
  /** Annotation JSON fields moncode does not model, written over what it compiles. */
  extra?: Record<string, unknown>;
}

/**
 * What `dashboard({…})` takes: title, panels or rows, variables, time settings; uid, panel ids and layout are filled in.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */
export interface DashboardSpec extends Suppressible {
  title: string;
  /** Stable id in URLs; derived from the title when omitted (at most 40 of `[A-Za-z0-9_-]`). */
  uid?: string;
  /** Folder the dashboard is provisioned into; defaults to the system (the folder under definitions/). */
  folder?: string;
  tags?: string[];
  description?: string;
  /** Auto-refresh interval, e.g. `30s`; off when omitted. */
  refresh?: RefreshInterval;
  /** The default time range: `now-6h` to `now` when omitted. */
  time?: { from: GrafanaTime; to: GrafanaTime };
  timezone?: 'browser' | 'utc' | (string & {});
  weekStart?: 'monday' | 'saturday' | 'sunday';
  /** Shared crosshair or tooltip across panels. */
  graphTooltip?: 'default' | 'crosshair' | 'tooltip';
  editable?: boolean;
  liveNow?: boolean;
  links?: DashboardLink[];
  annotations?: Annotation[];
  variables?: Variable[];
  /** Default datasource for panels and variables that name none. */
  datasource?: Datasource;
  /** Panels and rows, laid out top to bottom; or one `tabs(…)` (schema v2 only). */
  panels?: Array<Panel | Row | Tabs>;
  /** Lay the panels outside rows out in an auto grid (schema v2 only). */
  autoGrid?: AutoGrid;
  /** Rows, laid out after `panels`. */
  rows?: Row[];
  /** Time picker settings. */
  timepicker?: { hidden?: boolean; refreshIntervals?: RefreshInterval[]; nowDelay?: string };
  /**
   * Dashboard JSON fields moncode does not model, written over what it compiles (objects merged,
   * anything else replaced): the escape hatch mon-import uses so no field is dropped.
   */
  extra?: Record<string, unknown>;
}

/**
 * A dashboard as `dashboard()` returns it.
 * @see https://grafana.com/docs/grafana/latest/dashboards/build-dashboards/view-dashboard-json-model/
 */
export type Dashboard = DashboardSpec & Resource<'dashboard'>;

/** A Grafana dashboard, compiled to `out/grafana/dashboards/<folder>/<uid>.json`. */
export function dashboard(spec: DashboardSpec): Dashboard {
  return brand(spec, 'dashboard');
}
