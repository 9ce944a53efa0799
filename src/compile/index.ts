import path from 'node:path';
import { targetFor, type LoadedProject } from '../load/index.js';
import type { Alertmanager } from '../model/alertmanager.js';
import type { Dashboard } from '../model/dashboard.js';
import { type Diagnostic, INVALID, Problems } from '../model/diagnostic.js';
import { addToCatalog, emptyCatalog, type MetricCatalog } from '../model/catalog.js';
import type { AlertmanagerModel, DashboardModel, LoadedResource, MetricCatalogModel, OutputFile, ProvisioningModel, RuleGroupModel, SloModel } from '../model/project-model.js';
import type { Slo } from '../model/slo.js';
import { parseDuration } from '../model/duration.js';
import type { RuleGroup } from '../model/rule.js';
import { compileAlertmanager } from './alertmanager/config.js';
import { compileDashboard } from './grafana/dashboard.js';
import { DatasourceRegistry } from './grafana/datasources.js';
import { dashboardResourceFiles } from './grafana/kubernetes.js';
import { dashboardsProvisioning, datasourcesProvisioning } from './grafana/provisioning.js';
import { checkOneGrafana, dashboardProviders } from './grafana/one-grafana.js';
import { grafanaAlertingFiles } from './grafana/alerting.js';
import { compileRuleGroup, GROUP_FIELDS } from './prometheus/rules.js';
import { checkInputSeries, compileRuleTests, ruleTestFiles } from './prometheus/tests.js';
import type { RuleTestModel } from '../model/rule-test.js';
import type { RouteTestModel } from '../model/route-test.js';
import { compileRouteTests } from './alertmanager/tests.js';
import { lokiRuleFile, prometheusRuleFile, rulerNamespaceFile } from './prometheus/deploy.js';
import { absoluteRunbooks, repositoryRoot } from './prometheus/runbooks.js';
import { sloDashboard } from './slo/dashboard.js';
import { sloFromDefinition } from '../slo/normalize.js';
import { sloRuleFile, sloRuleGroupModels } from './slo/rules.js';
import { sloTests } from './slo/tests.js';
import { resolveOpenSlo } from '../read/openslo.js';
import { readSlothSpec } from '../read/sloth.js';
import type { ReadInputs } from '../read/index.js';
import { stableJson, yamlDocument } from './serialize.js';
import { Locator } from '../model/locator.js';
import { whereOf, type Where } from '../model/source-location.js';
import { pointer } from '../model/pointer.js';
import { contained, withoutHoles } from './contain.js';
import { compileKey, memoRender, recordCompile, replayCompile, type CompileMemo, type RecordedResource, type SystemCompile } from './memo.js';

export interface CompiledProject {
  dashboards: DashboardModel[];
  ruleGroups: RuleGroupModel[];
  /** One per system that defines one. */
  alertmanagers: AlertmanagerModel[];
  slos: SloModel[];
  /** The `ruleTest()`s, compiled to `prometheus/tests/<system>.test.yml`. */
  ruleTests: RuleTestModel[];
  /** The `routeTest()`s, run by mon-test against each system's alertmanager.yml (nothing in out/). */
  routeTests: RouteTestModel[];
  datasources: DatasourceRegistry;
  /** The datasource provisioning file of each system, as written to out/. */
  provisioning: ProvisioningModel[];
  /** Metric catalogs declared in TS, merged. */
  catalog: MetricCatalogModel;
  /** The files of out/, sorted by path. */
  outputs: OutputFile[];
  diagnostics: Diagnostic[];
}

/** OpenSLO and Sloth files read from the definitions folder: SLOs of their folder's system. */
export type DefinitionSloFiles = Pick<ReadInputs, 'openslo' | 'sloth'>;

/**
 * Compiles every loaded resource (and the SLO files of definitions/) to its output shape and renders the files of out/.
 * `testFiles: false` leaves out the promtool test files (the SLOs' and the `ruleTest()`s'): they report no problem, and
 * an editor, which lints and writes nothing, need not spend the time rendering them. `outputs: false` (mon-lint, the
 * editor) renders only what a problem can be found in (Kubernetes resources: their names and sizes) and returns no files.
 */
export function compileProject(
  project: LoadedProject,
  sloFiles: DefinitionSloFiles = { openslo: [], sloth: [] },
  options: { testFiles?: boolean; outputs?: boolean; memo?: CompileMemo } = {},
): CompiledProject {
  const problems = new Problems();
  const resources = withoutHoles(project.resources, problems);
  const datasources = new DatasourceRegistry(
    resources.filter((r) => r.kind !== 'datasource' || contained(r, problems, () => new DatasourceRegistry([r], new Problems()))),
    problems,
  );
  const { dashboards, ruleGroups } = compileSystems(project, resources, datasources, problems, options.memo);
  const catalog = emptyCatalog();
  for (const resource of resources) {
    if (resource.kind !== 'metric-catalog') continue;
    const spec = resource.value as MetricCatalog;
    contained(resource, problems, () => {
      const trial = emptyCatalog();
      for (const metric of spec.metrics) addToCatalog(trial, metric);
      if (spec.targetLabels) catalog.targetLabels = spec.targetLabels;
      for (const metric of spec.metrics) addToCatalog(catalog, metric);
    });
  }
  const scrapeMs = (system: string) => parseDuration(targetFor(project.config, system).prometheus.scrapeInterval) ?? 60_000;
  const slos = resources
    .filter((r): r is LoadedResource<Slo> => r.kind === 'slo')
    .map((resource) => contained(resource, problems, () => sloFromDefinition(resource, { scrapeMs: scrapeMs(resource.system), catalog }, problems)))
    .filter((slo): slo is SloModel => slo !== undefined);
  const fileCtx = { scrapeMs, catalog };
  slos.push(...resolveOpenSlo(sloFiles.openslo, fileCtx, problems.list), ...sloFiles.sloth.flatMap((doc) => readSlothSpec(doc.value, doc, fileCtx, problems.list)));
  checkSloNames(slos, problems);
  for (const slo of slos) {
    const flavor = targetFor(project.config, slo.system).prometheus.flavor;
    if (flavor === 'loki') {
      problems.error(
        INVALID,
        `SLO "${slo.name}" compiles to PromQL recording rules and burn-rate alerts, but system ${slo.system} is a Loki ruler system, which evaluates LogQL only: declare the SLO in a system whose rules load in Prometheus`,
        slo.locator.get('/name') ?? slo.locator.get(''),
        `SLO ${slo.name}`,
      );
      continue;
    }
    ruleGroups.push(...sloRuleGroupModels(slo, targetFor(project.config, slo.system).prometheus, 'ts'));
  }
  for (const [system, service, list] of bySystemAndService(slos)) {
    dashboards.push(
      compileDashboard(
        { value: sloDashboard(service, list), kind: 'dashboard', system, module: list[0]!.file, exportPath: `slo dashboard of ${service}` },
        datasources,
        problems,
        targetFor(project.config, system).grafana.dashboardSchema,
      ),
    );
    const generated = dashboards[dashboards.length - 1]!;
    generated.generated = true;
    generated.locator.set('', list[0]!.locator.get(''));
  }
  const alertmanagers: AlertmanagerModel[] = [];
  for (const resource of resources) {
    if (resource.kind !== 'alertmanager') continue;
    const compiled = contained(resource, problems, () => compileAlertmanager(resource as LoadedResource<Alertmanager>, problems, targetFor(project.config, resource.system).alertmanager.version));
    if (!compiled) continue;
    const earlier = alertmanagers.find((am) => am.system === compiled.system);
    if (earlier) {
      problems.error(
        INVALID,
        `system "${compiled.system}" already has an Alertmanager configuration (${path.basename(earlier.file)}); one system compiles to one alertmanager.yml`,
        compiled.locator.get(''),
        `alertmanager of ${compiled.system}`,
      );
      continue;
    }
    alertmanagers.push(compiled);
  }
  absoluteRunbooks(
    ruleGroups,
    { annotations: project.config.lint.runbookAnnotations ?? ['runbook_url', 'runbook'], base: project.config.lint.runbookBaseUrls?.[0], root: repositoryRoot(project.paths.root) },
    problems,
  );
  checkNames(dashboards, ruleGroups, problems);
  const configuredDefault = project.config.source?.grafana?.defaultDatasource;
  const provisioning = datasourceProvisioning(
    datasources,
    configuredDefault === undefined ? undefined : { value: configuredDefault, where: whereOf(project.config.source!.grafana, 'defaultDatasource') },
    problems,
  );
  const outputs = renderOutputs(project, dashboards, ruleGroups, alertmanagers, provisioning, problems, options.outputs !== false, options.memo);
  // Its problems are found while its files are made: made either way, kept for a build.
  const alerting = grafanaAlerting(project, ruleGroups, alertmanagers, datasources, problems);
  if (options.outputs !== false) outputs.push(...alerting);
  // promtool test rules reads Prometheus rule files; a Mimir or Cortex system's rules are ruler namespaces instead.
  const promtoolSlos = slos.filter((slo) => !['mimir', 'cortex', 'loki'].includes(targetFor(project.config, slo.system).prometheus.flavor));
  const testFiles = options.testFiles !== false && options.outputs !== false;
  if (testFiles) outputs.push(...sloTestFiles(promtoolSlos, ruleGroups, (system) => targetFor(project.config, system).prometheus.version));
  const intervalOf = (system: string) => targetFor(project.config, system).prometheus.evaluationInterval;
  const ruleTests = compileRuleTests(resources, intervalOf, problems).filter((test) => {
    const flavor = targetFor(project.config, test.system).prometheus.flavor;
    if (flavor === 'prometheus' || flavor === 'thanos') return true;
    const written = flavor === 'loki' ? 'LogQL rule files for the Loki ruler' : `${flavor} ruler namespaces`;
    problems.error(
      INVALID,
      `rule test "${test.name}" cannot run: promtool test rules evaluates Prometheus rule files, and system ${test.system}'s rules are ${written} (flavor ${flavor})`,
      test.where,
      test.name,
    );
    return false;
  });
  checkInputSeries(ruleTests, ruleGroups, problems);
  if (testFiles) outputs.push(...ruleTestFiles(ruleTests, ruleGroups, intervalOf));
  const routeTests = compileRouteTests(resources, alertmanagers, problems);
  outputs.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { dashboards, ruleGroups, alertmanagers, slos, ruleTests, routeTests, datasources, provisioning, catalog, outputs, diagnostics: problems.list };
}

/**
 * The dashboards and rule groups of the TS resources, in resource order, each with the problems it
 * gave in the place it gave them. With a memo, a system whose key is unchanged takes them from its
 * record (see CompileMemo); the others are compiled and recorded.
 */
function compileSystems(
  project: LoadedProject,
  resources: readonly LoadedResource[],
  datasources: DatasourceRegistry,
  problems: Problems,
  memo: CompileMemo | undefined,
): { dashboards: DashboardModel[]; ruleGroups: RuleGroupModel[] } {
  const compileDashboardOf = (resource: LoadedResource<Dashboard>, into: Problems) =>
    contained(resource, into, () => compileDashboard(resource, datasources, into, targetFor(project.config, resource.system).grafana.dashboardSchema));
  const compileGroupOf = (resource: LoadedResource<RuleGroup>, into: Problems) => contained(resource, into, () => compileRuleGroup(resource, targetFor(project.config, resource.system), into));
  const dashboards: DashboardModel[] = [];
  const ruleGroups: RuleGroupModel[] = [];
  if (!memo || !project.digests) {
    for (const resource of resources) if (resource.kind === 'dashboard') push(dashboards, compileDashboardOf(resource as LoadedResource<Dashboard>, problems));
    for (const resource of resources) if (resource.kind === 'rule-group') push(ruleGroups, compileGroupOf(resource as LoadedResource<RuleGroup>, problems));
    return { dashboards, ruleGroups };
  }
  // Compiling a dashboard reads the project's datasources (all of them: uids and names are the project's); both read the system's target and resources.
  const digests = project.digests;
  const datasourceSystems = [...new Set(resources.filter((r) => r.kind === 'datasource').map((r) => r.system))].sort();
  const shared = datasourceSystems.every((system) => digests.has(system)) ? datasourceSystems.map((system) => [system, digests.get(system)!.datasources]) : undefined;
  type Entry = SystemCompile & { next: { dashboards: number; ruleGroups: number }; key?: string; fresh: boolean };
  const bySystem = new Map<string, Entry>();
  const counts = new Map<string, { dashboards: number; ruleGroups: number }>();
  for (const resource of resources) {
    const kind = resource.kind === 'dashboard' ? 'dashboards' : resource.kind === 'rule-group' ? 'ruleGroups' : undefined;
    if (!kind) continue;
    const count = counts.get(resource.system) ?? { dashboards: 0, ruleGroups: 0 };
    count[kind]++;
    counts.set(resource.system, count);
  }
  const systemOf = (system: string): Entry => {
    let entry = bySystem.get(system);
    if (entry) return entry;
    const digest = digests.get(system)?.resources;
    const key = digest && shared ? compileKey([digest, targetFor(project.config, system), shared]) : undefined;
    const record = key ? memo.systems.get(system) : undefined;
    const count = counts.get(system);
    let replayed = record && record.key === key ? replayCompile(record) : undefined;
    if (replayed && (replayed.dashboards.length !== count?.dashboards || replayed.ruleGroups.length !== count.ruleGroups)) replayed = undefined;
    if (replayed) memo.reused.add(system);
    entry = { ...(replayed ?? { dashboards: [], ruleGroups: [] }), next: { dashboards: 0, ruleGroups: 0 }, key, fresh: !replayed };
    bySystem.set(system, entry);
    return entry;
  };
  const take = <M>(kind: 'dashboards' | 'ruleGroups', resource: LoadedResource, compile: (into: Problems) => M | undefined, into: M[]): void => {
    const entry = systemOf(resource.system);
    if (entry.fresh) {
      const local = new Problems();
      const model = compile(local);
      (entry[kind] as Array<RecordedResource<M>>).push({ model, diagnostics: local.list });
      problems.list.push(...local.list);
      push(into, model);
      return;
    }
    const recorded = (entry[kind] as Array<RecordedResource<M>>)[entry.next[kind]++];
    problems.list.push(...(recorded?.diagnostics ?? []));
    push(into, recorded?.model);
  };
  for (const resource of resources) if (resource.kind === 'dashboard') take('dashboards', resource, (into) => compileDashboardOf(resource as LoadedResource<Dashboard>, into), dashboards);
  for (const resource of resources) if (resource.kind === 'rule-group') take('ruleGroups', resource, (into) => compileGroupOf(resource as LoadedResource<RuleGroup>, into), ruleGroups);
  for (const [system, entry] of bySystem) {
    // Which system provisions a datasource no system exports is found while dashboards are compiled: not recorded.
    if (!entry.fresh || !entry.key || datasources.usesUnexported(system)) continue;
    const record = recordCompile(entry.key, entry);
    if (record) memo.written.set(system, record);
  }
  return { dashboards, ruleGroups };
}

function push<M>(list: M[], model: M | undefined): void {
  if (model !== undefined) list.push(model);
}

type SystemProvisioning = ProvisioningModel & { system: string };

function isGrafanaManaged(project: LoadedProject, system: string): boolean {
  return targetFor(project.config, system).grafana.alerting === 'grafana';
}

/** The provisioning of the systems whose alerting is Grafana-managed (`grafana.alerting: 'grafana'`). */
function grafanaAlerting(project: LoadedProject, ruleGroups: RuleGroupModel[], alertmanagers: AlertmanagerModel[], datasources: DatasourceRegistry, problems: Problems): OutputFile[] {
  const systems = [...new Set([...ruleGroups.map((g) => g.system), ...alertmanagers.map((am) => am.system)])].filter((system) => isGrafanaManaged(project, system));
  return grafanaAlertingFiles(
    systems.map((system) => ({
      system,
      ruleGroups: ruleGroups.filter((g) => g.system === system),
      alertmanager: alertmanagers.find((am) => am.system === system),
      evaluationInterval: targetFor(project.config, system).prometheus.evaluationInterval,
    })),
    datasources,
    problems,
  );
}

/** The header of a rule file or alertmanager.yml a Grafana-managed system keeps for mon-test only. */
function testOnly(system: string): string {
  return ` System ${system}'s alerting is Grafana-managed (grafana/provisioning/alerting/${system}.yaml): this file is for mon-test (promtool, amtool) only; do not deploy it.`;
}

/** Each system's datasource provisioning file, with where each field of it was written. */
function datasourceProvisioning(datasources: DatasourceRegistry, configuredDefault: { value: string; where: Where | undefined } | undefined, problems: Problems): SystemProvisioning[] {
  const models: SystemProvisioning[] = [];
  const systems = datasources.systems();
  const orgDefaults = checkOneGrafana(
    systems.flatMap((system) => datasources.forSystem(system).map((ds) => ({ system, ds }))),
    configuredDefault,
    problems,
  );
  for (const system of systems) {
    const list = datasources.forSystem(system);
    if (list.length === 0) continue;
    const locator = new Locator();
    list.forEach((ds, i) => {
      locator.set(pointer('datasources', i), whereOf(ds));
      for (const key of Object.keys(ds)) locator.set(pointer('datasources', i, key), whereOf(ds, key));
      for (const part of ['jsonData', 'secureJsonData'] as const) {
        const owner = ds[part];
        if (owner && typeof owner === 'object') for (const key of Object.keys(owner)) locator.set(pointer('datasources', i, part, key), whereOf(owner, key));
      }
    });
    models.push({ file: `grafana/provisioning/datasources/${system}.yaml`, system, config: datasourcesProvisioning(list, orgDefaults, problems), locator });
  }
  return models;
}

const SAFE_SEGMENT = /^[^/\\\0]+$/;

/** The most data a ConfigMap holds (Kubernetes refuses larger objects). */
const CONFIGMAP_LIMIT = 1024 * 1024;
/** etcd's default --max-request-bytes (1.5 MiB), the most a Kubernetes object can be in a default cluster. */
const OBJECT_LIMIT = 1.5 * 1024 * 1024;

function checkSloNames(slos: SloModel[], problems: Problems): void {
  const seen = new Map<string, SloModel>();
  for (const slo of slos) {
    const key = `${slo.system}/${slo.id}`;
    if (seen.has(key)) problems.error(INVALID, `SLO "${slo.name}" of service "${slo.service}" is defined twice in system ${slo.system}`, slo.locator.get('/name'), `SLO ${slo.name}`);
    seen.set(key, slo);
  }
}

function bySystemAndService(slos: readonly SloModel[]): Array<[string, string, SloModel[]]> {
  const groups = new Map<string, [string, string, SloModel[]]>();
  for (const slo of slos) {
    const key = `${slo.system}\0${slo.service}`;
    if (!groups.has(key)) groups.set(key, [slo.system, slo.service, []]);
    groups.get(key)![2].push(slo);
  }
  return [...groups.values()];
}

function sloTestFiles(slos: readonly SloModel[], ruleGroups: readonly RuleGroupModel[], versionOf: (system: string) => string): OutputFile[] {
  const bySystem = new Map<string, SloModel[]>();
  for (const slo of slos) bySystem.set(slo.system, [...(bySystem.get(slo.system) ?? []), slo]);
  const files: OutputFile[] = [];
  for (const [system, list] of [...bySystem].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const alertsOf = (slo: SloModel) => ruleGroups.filter((g) => g.generatedFrom === slo).flatMap((g) => g.rules.filter((r) => r.alert));
    const tests = list.flatMap((slo) => sloTests(slo, alertsOf(slo), versionOf(system)) ?? []);
    if (tests.length === 0) continue;
    files.push({
      path: `prometheus/tests/${sloRuleFile(system)}.test.yml`,
      content: yamlDocument(
        { rule_files: [`../rules/${sloRuleFile(system)}.rules.yml`], evaluation_interval: '1m', tests },
        'Generated by moncode from the SLOs. Run: promtool test rules <this file>. Do not edit.',
      ),
    });
  }
  return files;
}

function checkNames(dashboards: DashboardModel[], ruleGroups: RuleGroupModel[], problems: Problems): void {
  for (const dashboard of dashboards) {
    if (!SAFE_SEGMENT.test(dashboard.folder) || dashboard.folder.startsWith('.')) {
      problems.error(INVALID, `folder "${dashboard.folder}" must be a plain folder name`, dashboard.locator.get('/folder'), dashboard.title);
    }
  }
  const groupsByFile = new Map<string, Set<string>>();
  for (const group of ruleGroups) {
    if (!SAFE_SEGMENT.test(group.outputName) || group.outputName.startsWith('.')) {
      problems.error(INVALID, `rule file name "${group.outputName}" must be a plain file name`, group.locator.get(''), group.name);
    }
    const names = groupsByFile.get(group.outputName) ?? new Set<string>();
    if (names.has(group.name)) {
      problems.error(INVALID, `rule group "${group.name}" appears twice in ${group.outputName}.rules.yml; Prometheus rejects repeated group names in a file`, group.locator.get('/name'), group.name);
    }
    names.add(group.name);
    groupsByFile.set(group.outputName, names);
  }
}

/**
 * The files of out/: dashboards, provisioning, rule files. Deterministic for equal input. Without `all`, only the
 * Kubernetes resources are rendered (their names can clash and a ConfigMap can be too large; no other file's text
 * holds a problem) and nothing is returned.
 */
function renderOutputs(
  project: LoadedProject,
  dashboards: readonly DashboardModel[],
  ruleGroups: readonly RuleGroupModel[],
  alertmanagers: readonly AlertmanagerModel[],
  provisioning: readonly SystemProvisioning[],
  problems: Problems,
  all: boolean,
  memo?: CompileMemo,
): OutputFile[] {
  const files: OutputFile[] = [];
  /** A file only a full render holds (its path cannot clash with a Kubernetes resource's `kubernetes/…`). */
  const render = (file: () => OutputFile): void => {
    if (all) files.push(file());
  };
  const { root } = project.paths;
  const sourceList = (modules: Iterable<string>): string =>
    [...new Set(modules)]
      .map((m) => path.relative(root, m).split(path.sep).join('/'))
      .sort()
      .join(', ');

  for (const dashboard of dashboards) {
    render(() => {
      const value = dashboard.resource ?? dashboard.json;
      return { path: `grafana/dashboards/${dashboard.folder}/${dashboard.uid}.json`, content: memoRender(memo, 'json', value, undefined, () => stableJson(value)) };
    });
    const { deployment } = targetFor(project.config, dashboard.system);
    if (typeof deployment !== 'object') continue;
    const { files: resources, invalid } = dashboardResourceFiles(dashboard, deployment.kubernetes, sourceList([dashboard.file]));
    if (invalid.length > 0) {
      problems.error(INVALID, `dashboard "${dashboard.uid}" as a GrafanaDashboard does not conform to the grafana-operator's CRD: ${invalid.join('; ')}`, dashboard.locator.get(''), dashboard.title);
      continue;
    }
    for (const resource of resources) {
      if (files.some((f) => f.path === resource.path)) {
        problems.error(
          INVALID,
          `dashboards "${dashboard.uid}" and another of system ${dashboard.system} get the same Kubernetes name (${resource.path}): change one uid`,
          dashboard.locator.get('/uid'),
          dashboard.title,
        );
        break;
      }
      const limit = resource.path.includes('/configmap-') ? CONFIGMAP_LIMIT : resource.path.includes('/grafanadashboard-') ? OBJECT_LIMIT : Infinity;
      if (Buffer.byteLength(resource.content) > limit) {
        problems.error(
          INVALID,
          resource.path.includes('/configmap-')
            ? `dashboard "${dashboard.uid}" is ${Math.ceil(Buffer.byteLength(resource.content) / 1024)} KiB as a ConfigMap, over Kubernetes' 1 MiB: split it, or deploy dashboards as deployment.kubernetes.dashboards: 'grafana'`
            : `dashboard "${dashboard.uid}" is ${Math.ceil(Buffer.byteLength(resource.content) / 1024)} KiB as a Kubernetes resource, over the 1.5 MiB etcd stores by default: split it`,
          dashboard.locator.get(''),
          dashboard.title,
        );
        break;
      }
      files.push(resource);
    }
  }
  const providers = dashboardProviders(dashboards, problems);
  for (const system of [...new Set(providers.map((p) => p.system))].sort()) {
    const target = targetFor(project.config, system);
    const own = providers.filter((p) => p.system === system).sort((a, b) => (a.folder < b.folder ? -1 : a.folder > b.folder ? 1 : 0));
    render(() => ({
      path: `grafana/provisioning/dashboards/${system}.yaml`,
      content: yamlDocument(dashboardsProvisioning(own, target.grafana.dashboardsPath), 'Generated by moncode. Do not edit.'),
    }));
  }
  for (const { system, config } of provisioning) {
    render(() => ({ path: `grafana/provisioning/datasources/${system}.yaml`, content: yamlDocument(config, 'Generated by moncode. Do not edit.') }));
  }

  const byFile = new Map<string, RuleGroupModel[]>();
  for (const group of ruleGroups) byFile.set(group.outputName, [...(byFile.get(group.outputName) ?? []), group]);
  for (const [name, groups] of [...byFile].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const system = groups[0]!.system;
    const target = targetFor(project.config, system);
    const sources = sourceList(groups.map((g) => g.file));
    const json = groups.map(ruleGroupJson);
    if (target.prometheus.flavor === 'mimir' || target.prometheus.flavor === 'cortex') {
      render(() => rulerNamespaceFile(system, name, json, sources));
      continue;
    }
    if (target.prometheus.flavor === 'loki') {
      render(() => lokiRuleFile(target.prometheus.tenant, name, json, sources));
      continue;
    }
    const grafanaManaged = target.grafana.alerting === 'grafana';
    render(() => {
      const header = `Generated by moncode from ${sources}.${grafanaManaged ? testOnly(system) : ''} Do not edit.`;
      return { path: `prometheus/rules/${name}.rules.yml`, content: memoRender(memo, 'yaml', { groups: json }, header, () => yamlDocument({ groups: json }, header)) };
    });
    if (typeof target.deployment === 'object' && !grafanaManaged) {
      const resource = prometheusRuleFile(system, name, json, target.deployment.kubernetes, sources);
      const clash = files.find((f) => f.path === resource.path);
      if (clash)
        problems.error(INVALID, `rule files "${name}" and another of system ${system} get the same PrometheusRule name (${resource.path}): rename one (\`file\`)`, groups[0]!.locator.get(''), name);
      else files.push(resource);
    }
  }
  for (const am of alertmanagers) {
    render(() => ({
      path: `alertmanager/${am.system}/alertmanager.yml`,
      content: yamlDocument(am.config, `Generated by moncode from ${sourceList([am.file])}.${isGrafanaManaged(project, am.system) ? testOnly(am.system) : ''} Do not edit.`),
    }));
  }
  if (!all) return [];
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function ruleGroupJson(group: RuleGroupModel): Record<string, unknown> {
  const json: Record<string, unknown> = { name: group.name };
  for (const key of GROUP_FIELDS) {
    if (group[key] !== undefined) json[key] = group[key];
  }
  json.rules = group.rules.map(({ mechanical: _, ...rule }) => rule);
  return json;
}
