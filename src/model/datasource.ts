import { brand, type Resource } from './resource.js';

/** Datasource plugin ids moncode knows how to query; any other plugin id is allowed too. */
export type DatasourceType = 'prometheus' | 'loki' | 'jaeger' | 'tempo' | 'alertmanager' | 'elasticsearch' | 'postgres' | 'mysql' | 'grafana-testdata-datasource';

/**
 * The datasource names and uids a project writes as strings (`datasource: 'Prometheus'`). Empty,
 * so any string type-checks, until the project lists its datasources by augmenting it next to
 * their declarations:
 * `declare module 'moncode' { interface Datasources { Prometheus: true; Loki: true } }`.
 * From then on a string that is none of them is a type error, and the editor completes them.
 * The `datasource()` declarations stay what is provisioned: mon-build checks that the list
 * names each declared datasource (by name or uid) and nothing else.
 * @see https://github.com/moncode/moncode/blob/main/docs/authoring.md#datasources
 */
export interface Datasources {}

/**
 * A datasource written as a string: a name or uid `Datasources` lists, or a datasource variable
 * (`$datasource`, `${ds}`); any string while `Datasources` lists none.
 */
export type DatasourceName = [keyof Datasources] extends [never] ? string : (keyof Datasources & string) | `$${string}`;

const SECRET = Symbol.for('moncode.secret');

/** A credential kept out of the output: read at start-up from a file or an environment variable. */
export interface SecretRef<From extends 'file' | 'env' = 'file' | 'env'> {
  readonly [SECRET]: true;
  readonly from: From;
  readonly name: string;
}

/**
 * A secret read from a file at start-up: `$__file{path}` in Grafana, a `*_file`
 * field (`api_url_file`, `routing_key_file`) in Alertmanager.
 */
export function fromFile(path: string): SecretRef<'file'> {
  return { [SECRET]: true, from: 'file', name: path };
}

/** A secret Grafana reads from its environment (`$__env{NAME}`). Alertmanager cannot read environment variables. */
export function fromEnv(name: string): SecretRef<'env'> {
  return { [SECRET]: true, from: 'env', name };
}

export function isSecretRef(value: unknown): value is SecretRef {
  return typeof value === 'object' && value !== null && (value as Partial<SecretRef>)[SECRET] === true;
}

/**
 * What `datasource({…})` takes: a datasource as Grafana provisions it, credentials only as `fromFile()`/`fromEnv()`.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
 */
export interface DatasourceSpec<T extends string = string> {
  /** Name shown in Grafana. */
  name: string;
  /** Plugin id, e.g. `prometheus`, `loki`, `jaeger`. */
  type: T;
  /** Stable id panels refer to; derived from the name when omitted. */
  uid?: string;
  url?: string;
  access?: 'proxy' | 'direct';
  isDefault?: boolean;
  editable?: boolean;
  basicAuth?: boolean;
  basicAuthUser?: string;
  user?: string;
  database?: string;
  orgId?: number;
  /** Plugin settings, written as they are. */
  jsonData?: Record<string, unknown>;
  /** Credentials: only references, never literal strings. */
  secureJsonData?: Record<string, SecretRef>;
  /** Provisioning fields moncode does not model (`version`, `withCredentials`, …), written over what it compiles. */
  extra?: Record<string, unknown>;
}

/**
 * A datasource as `datasource()` returns it; panels, queries and variables refer to it by value.
 * @see https://grafana.com/docs/grafana/latest/administration/provisioning/#data-sources
 */
export type Datasource<T extends string = string> = DatasourceSpec<T> & Resource<'datasource'>;

/**
 * Declares a datasource once; panels and queries refer to the returned value
 * (`datasource: metrics`), so the editor completes it and a rename is a type error.
 */
export function datasource<const T extends DatasourceType | (string & {})>(spec: DatasourceSpec<T>): Datasource<T> {
  return brand(spec, 'datasource');
}

/** The uid a datasource is referred to by. */
export function datasourceUid(ds: Pick<DatasourceSpec, 'name' | 'uid'>): string {
  return ds.uid ?? slugify(ds.name);
}

/** Lower-case, dash-separated, at most `max` characters: `Agent Metrics` → `agent-metrics`. */
export function slugify(text: string, max = 40): string {
  const slug = text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug.slice(0, max).replace(/-+$/g, '');
}
