import { existsSync, readFileSync, readdirSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { Ajv } from 'ajv';
import { CONFIG_SCHEMA } from '../model/config.schema.gen.js';
import {
  DEFAULT_ALERTMANAGER_VERSION,
  DEFAULT_GRAFANA_VERSION,
  DEFAULT_PROMETHEUS_VERSION,
  PROMETHEUS_VERSIONS,
  type AlertmanagerTarget,
  type Deployment,
  type GrafanaTarget,
  type LintConfig,
  type MoncodeConfig,
  type PrometheusTarget,
  type SystemConfig,
  type TestsConfig,
} from '../model/config.js';
import { UnusableInputError } from '../model/diagnostic.js';
import { parseDuration } from '../model/duration.js';
import { typescript } from '../source/typescript.js';
import { whereOf, type Where } from '../model/source-location.js';
import type { Evaluation } from './evaluate.js';
import { isWithin, type ProjectPaths } from './project.js';
import { pointerSegments } from '../model/pointer.js';
import { ALERTMANAGER_FIELDS } from '../model/alertmanager-fields.gen.js';
import { BUILT_IN_SEVERITIES } from '../model/severity.js';

export interface ResolvedTarget {
  prometheus: Required<PrometheusTarget>;
  alertmanager: Required<AlertmanagerTarget>;
  grafana: Required<GrafanaTarget>;
  deployment: Deployment;
}

export interface ResolvedConfig extends ResolvedTarget {
  definitionsDir: string;
  outDir: string;
  lint: LintConfig;
  tests: TestsConfig;
  systems: Record<string, SystemConfig>;
  /** Every severity alerts may carry: moncode's own and those the project declares by augmenting `Severities` (load/severities.ts). */
  severities: readonly string[];
  /** The config object as written, to point diagnostics at it. */
  source?: MoncodeConfig;
}

const DEFAULT_PROMETHEUS: Required<PrometheusTarget> = {
  flavor: 'prometheus',
  version: DEFAULT_PROMETHEUS_VERSION,
  scrapeInterval: '1m',
  evaluationInterval: '1m',
  features: [],
  tenant: 'fake',
};

const DEFAULT_GRAFANA: Required<GrafanaTarget> = { dashboardsPath: '/var/lib/grafana/dashboards', version: DEFAULT_GRAFANA_VERSION, dashboardSchema: 'v1', alerting: 'prometheus' };

const DEFAULT_ALERTMANAGER: Required<AlertmanagerTarget> = { version: DEFAULT_ALERTMANAGER_VERSION };

/** Loads mon.config.ts when there is one; every setting has a default. */
export async function loadConfig(paths: ProjectPaths, evaluation: Evaluation, options: { requireDefinitions?: boolean } = {}): Promise<ResolvedConfig> {
  let source: MoncodeConfig | undefined;
  let definitionsDir: string;
  try {
    ({ source, definitionsDir } = await readConfig(paths, evaluation, options));
  } catch (error) {
    // A config TypeScript could not parse still runs (the transpiler recovers), as something the
    // author did not write: the syntax error is the reason, not what the recovered object lacks.
    if (error instanceof UnusableInputError && paths.configFile) throw syntaxErrorOf(paths.configFile) ?? error;
    throw error;
  }
  const config = source ?? {};
  const outDir = path.resolve(paths.root, config.out ?? 'out');
  checkOutDir(outDir, definitionsDir, paths, source);
  return {
    definitionsDir,
    outDir,
    prometheus: { ...DEFAULT_PROMETHEUS, ...config.prometheus },
    alertmanager: { ...DEFAULT_ALERTMANAGER, ...config.alertmanager },
    grafana: { ...DEFAULT_GRAFANA, ...config.grafana },
    deployment: config.deployment ?? 'files',
    lint: config.lint ?? {},
    tests: config.tests ?? {},
    systems: config.systems ?? {},
    severities: BUILT_IN_SEVERITIES,
    source,
  };
}

/** Evaluates and validates mon.config.ts and finds the definitions folder; throws `UnusableInputError`. */
async function readConfig(paths: ProjectPaths, evaluation: Evaluation, options: { requireDefinitions?: boolean }): Promise<{ source: MoncodeConfig | undefined; definitionsDir: string }> {
  let source: MoncodeConfig | undefined;
  if (paths.configFile) {
    const evaluated = await evaluation.config();
    const problem = evaluated.diagnostics.find((d) => d.severity === 'error');
    if (problem) throw new UnusableInputError(`bad config: ${problem.message}`, problem.where);
    source = evaluated.config as MoncodeConfig | undefined;
    if (typeof source !== 'object' || source === null) {
      throw new UnusableInputError('bad config: mon.config.ts must `export default defineConfig({ … })`', { file: paths.configFile, start: 0, end: 0 });
    }
    validateConfig(source, paths.configFile);
    validateTargets(source, paths.configFile);
  }
  const definitionsDir = path.resolve(paths.root, source?.definitions ?? 'definitions');
  if (source?.systems) validateSystemNames(source.systems, definitionsDir, paths.configFile!);
  if (options.requireDefinitions !== false && (!existsSync(definitionsDir) || !statSync(definitionsDir).isDirectory())) {
    throw new UnusableInputError(
      `no definitions folder at ${path.relative(process.cwd(), definitionsDir) || '.'}: create it, or set \`definitions\` in ${paths.configFile ? 'mon.config.ts' : 'a mon.config.ts'}`,
    );
  }
  return { source, definitionsDir };
}

/** The first syntax error of the config file, as bad config at its position. */
function syntaxErrorOf(file: string): UnusableInputError | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const ts = typescript();
  const result = ts.transpileModule(text, { fileName: file, reportDiagnostics: true, compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 } });
  const first = result.diagnostics?.find((d) => d.category === ts.DiagnosticCategory.Error && d.start !== undefined);
  if (!first) return undefined;
  const message = ts.flattenDiagnosticMessageText(first.messageText, ' ');
  return new UnusableInputError(`bad config: TS${first.code}: ${message}`, { file, start: first.start!, end: first.start! + (first.length ?? 0) });
}

/**
 * mon-build replaces the whole out folder on every build: it may not be (or
 * hold) the project, its sources, its config, `.git` or `node_modules`.
 */
function checkOutDir(outDir: string, definitionsDir: string, paths: ProjectPaths, source: MoncodeConfig | undefined): void {
  const real = realPath(outDir);
  const guarded: Array<[string, string]> = [
    [paths.root, 'the project folder'],
    [definitionsDir, 'the definitions folder'],
    ...(paths.configFile ? ([[path.dirname(paths.configFile), 'the folder of mon.config.ts']] as Array<[string, string]>) : []),
  ];
  let problem: string | undefined;
  for (const [dir, name] of guarded) {
    if (isWithin(real, realPath(dir))) {
      problem = real === realPath(dir) ? `is ${name}` : `contains ${name}`;
      break;
    }
  }
  if (!problem && isWithin(realPath(definitionsDir), real)) problem = 'is inside the definitions folder';
  if (!problem) {
    const special = path
      .relative(realPath(paths.root), real)
      .split(path.sep)
      .find((part) => part === '.git' || part === 'node_modules');
    if (special) problem = `is inside ${special}`;
  }
  if (!problem) return;
  const shown = path.relative(process.cwd(), outDir) || '.';
  const where = (source && whereOf(source, 'out')) ?? (paths.configFile ? { file: paths.configFile, start: 0, end: 0 } : undefined);
  throw new UnusableInputError(
    `bad config: \`out\` (${shown}) ${problem}, and mon-build replaces that folder whole on every build: set \`out\` in mon.config.ts to a folder of its own, such as 'out'`,
    where,
  );
}

/** The path with symlinks resolved, as far as it exists. */
function realPath(file: string): string {
  let existing = path.resolve(file);
  const rest: string[] = [];
  while (!existsSync(existing) && path.dirname(existing) !== existing) {
    rest.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  try {
    return path.join(realpathSync(existing), ...rest);
  } catch {
    return path.resolve(file);
  }
}

/** Settings for one system: its overrides over the project's. */
export function targetFor(config: ResolvedConfig, system: string): ResolvedTarget {
  const own = config.systems[system];
  return {
    prometheus: { ...config.prometheus, ...own?.prometheus },
    alertmanager: { ...config.alertmanager, ...own?.alertmanager },
    grafana: { ...config.grafana, ...own?.grafana },
    deployment: own?.deployment ?? config.deployment,
  };
}

let validate: ReturnType<Ajv['compile']> | undefined;
const require = createRequire(import.meta.url);

function validateConfig(config: MoncodeConfig, file: string): void {
  // ajv is loaded on first use: mon-lint of rule files reads no mon.config.ts and needs none.
  validate ??= new (require('ajv') as typeof import('ajv')).Ajv({ allErrors: false, strict: false, verbose: true }).compile(CONFIG_SCHEMA);
  if (!validate(config)) {
    const error = validate.errors![0]!;
    const segments = pointerSegments(error.instancePath);
    const property = error.keyword === 'additionalProperties' ? String(error.params.additionalProperty) : segments.pop();
    const where = locate(config, segments, property) ?? { file, start: 0, end: 0 };
    const name = [...segments, property].filter(Boolean).join('.');
    const allowed = error.keyword === 'enum' ? (error.params.allowedValues as unknown[]) : undefined;
    const detail =
      error.keyword === 'additionalProperties'
        ? 'is not a known setting'
        : property === 'deployment'
          ? "must be 'files' or { kubernetes: { namespace } }"
          : allowed
            ? `is ${JSON.stringify(error.data)}, not one of ${allowed.map((v) => JSON.stringify(v)).join(', ')}`
            : (error.message ?? 'is invalid');
    throw new UnusableInputError(`bad config: \`${name}\` ${detail}`, where);
  }
  const durations: Array<[string[], string | undefined]> = [
    [['prometheus', 'scrapeInterval'], config.prometheus?.scrapeInterval],
    [['prometheus', 'evaluationInterval'], config.prometheus?.evaluationInterval],
    ...Object.entries(config.systems ?? {}).flatMap(([system, own]): Array<[string[], string | undefined]> => [
      [['systems', system, 'prometheus', 'scrapeInterval'], own.prometheus?.scrapeInterval],
      [['systems', system, 'prometheus', 'evaluationInterval'], own.prometheus?.evaluationInterval],
    ]),
  ];
  for (const [segments, value] of durations) {
    if (value !== undefined && parseDuration(value) === undefined) {
      const property = segments[segments.length - 1];
      throw new UnusableInputError(
        `bad config: \`${segments.join('.')}\` is "${value}", not a duration such as 30s, 1m or 1h30m`,
        locate(config, segments.slice(0, -1), property) ?? { file, start: 0, end: 0 },
      );
    }
  }
}

/** Loki's tenant IDs (X-Scope-OrgID), which also name the tenant's folder of the ruler's rule storage. */
const LOKI_TENANT = /^[A-Za-z0-9!\-_.*'()]{1,150}$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
const LABEL_VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;
/** The grafana-operator's pattern for `resyncPeriod` (Go's time.ParseDuration units). */
const GO_DURATION = /^([0-9]+(\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$/;
const LABEL_KEY = /^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*\/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;

/** What the schema cannot say of the targets: Kubernetes names, Loki tenants, the Grafana a v2 dashboard needs. */
function validateTargets(config: MoncodeConfig, file: string): void {
  const scopes: Array<[string[], SystemConfig]> = [[[], config], ...Object.entries(config.systems ?? {}).map(([system, own]): [string[], SystemConfig] => [['systems', system], own])];
  const fail = (segments: string[], property: string, message: string, owner?: object): never => {
    throw new UnusableInputError(`bad config: \`${[...segments, property].join('.')}\` ${message}`, whereOf(owner, property) ?? locate(config, segments, property) ?? { file, start: 0, end: 0 });
  };
  for (const [at, scope] of scopes) {
    const promVersion = scope.prometheus?.version;
    if (promVersion !== undefined && !knownPrometheus(promVersion))
      fail(
        [...at, 'prometheus'],
        'version',
        `is "${promVersion}", not a Prometheus version moncode compiles for (${PROMETHEUS_VERSIONS.oldest}–${PROMETHEUS_VERSIONS.newest}, as major.minor or major.minor.patch)`,
        scope.prometheus,
      );
    const amVersion = scope.alertmanager?.version;
    if (amVersion !== undefined) {
      const [major, minor] = amVersion.split('.');
      const releases = Object.keys(ALERTMANAGER_FIELDS);
      if (!ALERTMANAGER_FIELDS[`${Number(major)}.${Number(minor)}`])
        fail([...at, 'alertmanager'], 'version', `is "${amVersion}", not a version moncode compiles for (${releases[0]}–${releases[releases.length - 1]})`, scope.alertmanager);
    }
    const tenant = scope.prometheus?.tenant;
    if (tenant !== undefined) {
      const flavor = scope.prometheus?.flavor ?? (at.length > 0 ? config.prometheus?.flavor : undefined) ?? 'prometheus';
      const lokiBelow = at.length === 0 && Object.values(config.systems ?? {}).some((own) => own.prometheus?.flavor === 'loki');
      if (flavor !== 'loki' && !lokiBelow)
        fail([...at, 'prometheus'], 'tenant', `is set, but the flavor is ${flavor}: only the loki flavor writes rules per tenant (out/loki/rules/<tenant>/)`, scope.prometheus);
      if (!LOKI_TENANT.test(tenant) || tenant === '.' || tenant === '..')
        fail([...at, 'prometheus'], 'tenant', `is "${tenant}", not a Loki tenant ID (at most 150 letters, digits and !-_.*'(), not . or ..)`, scope.prometheus);
    }
    const schema = scope.grafana?.dashboardSchema ?? config.grafana?.dashboardSchema;
    const version = scope.grafana?.version ?? config.grafana?.version ?? DEFAULT_GRAFANA_VERSION;
    if (schema === 'v2' && Number(version.split('.')[0]) < 13) {
      const owner = scope.grafana?.dashboardSchema ? scope : config;
      fail(
        owner === scope ? [...at, 'grafana'] : ['grafana'],
        'dashboardSchema',
        `is 'v2', which Grafana ${version} does not load (dashboard.grafana.app/v2 is served from Grafana 13): set grafana.version to '13.0' or later, or declare 'v1'`,
        owner.grafana,
      );
    }
    const alerting = scope.grafana?.alerting ?? config.grafana?.alerting;
    if (alerting === 'grafana') {
      const owner = scope.grafana?.alerting ? scope : config;
      const segments = owner === scope ? [...at, 'grafana'] : ['grafana'];
      if (Number(version.split('.')[0]) < 12)
        fail(
          segments,
          'alerting',
          `is 'grafana', which moncode compiles for Grafana 12 or later (recording rules, rule titles shared within a folder): set grafana.version to '12.0' or later`,
          owner.grafana,
        );
      const flavor = scope.prometheus?.flavor ?? config.prometheus?.flavor ?? 'prometheus';
      if (flavor !== 'prometheus' && flavor !== 'thanos')
        fail(
          segments,
          'alerting',
          `is 'grafana', but the rules' flavor is ${flavor}: Grafana-managed alerting is compiled from rules a Prometheus datasource answers (flavor prometheus or thanos)`,
          owner.grafana,
        );
    }
    const deployment = scope.deployment;
    if (typeof deployment !== 'object') continue;
    const k8s = deployment.kubernetes;
    const where = [...at, 'deployment', 'kubernetes'];
    if (!DNS_LABEL.test(k8s.namespace)) fail(where, 'namespace', `is "${k8s.namespace}", not a Kubernetes namespace name (lower-case letters, digits and -, at most 63)`, k8s);
    const operator = k8s.grafanaOperator;
    const labelMaps: Array<[string[], Record<string, string> | undefined, boolean]> = [
      [[...where, 'labels'], k8s.labels, true],
      [[...where, 'annotations'], k8s.annotations, false],
      [[...where, 'dashboardLabels'], k8s.dashboardLabels, true],
      [[...where, 'grafanaOperator', 'instanceSelector'], operator?.instanceSelector, true],
    ];
    for (const [path, map, isLabel] of labelMaps) {
      for (const [key, value] of Object.entries(map ?? {})) {
        if (!LABEL_KEY.test(key) || key.length > 316) fail(path, key, 'is not a Kubernetes label or annotation key ([prefix/]name, name of letters, digits, -, _ and ., at most 63)', map);
        if (isLabel && !LABEL_VALUE.test(value))
          fail(path, key, `is "${value}", not a Kubernetes label value (letters, digits, -, _ and ., at most 63, starting and ending with a letter or digit)`, map);
      }
    }
    if (operator?.resyncPeriod !== undefined && !GO_DURATION.test(operator.resyncPeriod))
      fail([...where, 'grafanaOperator'], 'resyncPeriod', `is "${operator.resyncPeriod}", not a duration the grafana-operator reads (Go's: 90s, 5m, 1h30m; no d or w)`, operator);
    if (k8s.dashboards === 'grafana-operator' && schema === 'v2')
      fail(
        where,
        'dashboards',
        "is 'grafana-operator', which imports dashboards through Grafana's /api/dashboards/db (v1 JSON only), but this system's dashboards are schema v2: use dashboards: 'grafana' (dashboard.grafana.app/v2) or 'configmap', or grafana.dashboardSchema 'v1'",
        k8s,
      );
  }
}

function knownPrometheus(version: string): boolean {
  const parts = /^(\d+)\.(\d+)(?:\.\d+)?$/.exec(version);
  if (!parts) return false;
  const [major, minor] = [Number(parts[1]), Number(parts[2])];
  const [oldest, newest] = [PROMETHEUS_VERSIONS.oldest, PROMETHEUS_VERSIONS.newest].map((v) => v.split('.').map(Number) as [number, number]);
  const order = (a: [number, number], b: [number, number]) => a[0] - b[0] || a[1] - b[1];
  return order([major, minor], oldest!) >= 0 && order([major, minor], newest!) <= 0;
}

/**
 * A key of `systems` is a system's name, and a system is a folder (or file) of definitions/: a
 * key naming none (a typo, a renamed folder) would configure nothing, silently.
 */
function validateSystemNames(systems: Record<string, SystemConfig>, definitionsDir: string, file: string): void {
  let names: string[];
  try {
    names = readdirSync(definitionsDir, { withFileTypes: true })
      .filter((entry) => !entry.name.startsWith('.') && !entry.name.startsWith('_') && entry.name !== 'node_modules' && entry.name !== 'shared')
      .flatMap((entry) => (entry.isDirectory() ? [entry.name] : /\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [entry.name.replace(/\.m?ts$/, '')] : []))
      .sort();
  } catch {
    // No definitions folder (mon-lint of rule files): nothing to hold the keys to.
    return;
  }
  for (const key of Object.keys(systems)) {
    if (names.includes(key)) continue;
    const near = names.find((name) => editDistance(name, key) <= 2);
    const known = names.length ? `definitions/ has ${names.join(', ')}` : 'definitions/ has none';
    throw new UnusableInputError(
      `bad config: \`systems.${key}\` names no system (a system is a folder or file of definitions/; ${known})${near ? `: did you mean \`${near}\`?` : ''}`,
      whereOf(systems, key) ?? { file, start: 0, end: 0 },
    );
  }
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}

function locate(root: unknown, segments: string[], property: string | undefined): Where | undefined {
  let value: unknown = root;
  for (const segment of segments) value = (value as Record<string, unknown> | undefined)?.[segment];
  return whereOf(value, property) ?? whereOf(root);
}
