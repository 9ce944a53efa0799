import type { Diagnostic } from '../model/diagnostic.js';
import type { DashboardModel, RuleGroupModel } from '../model/project-model.js';
import type { ReadInputs } from '../read/index.js';
import { importAlertmanager } from './alertmanager.js';
import { importDashboards } from './dashboards.js';
import { DatasourceTable } from './datasources.js';
import path from 'node:path';
import { isMap, isScalar, parseAllDocuments } from 'yaml';
import { printStatements } from './print.js';
import { importRuleGroups } from './rules.js';

/** An input mon-import reads but does not print yet: never dropped without a word. */
export const IMPORT_NOT_YET = 'import/not-imported';
/** An OpenSLO or Sloth spec, copied into the system's folder as it is (info). */
export const IMPORT_SPEC_KEPT = 'import/spec-kept';

/** A module the importer writes, relative to the output folder (`<system>/alerts.ts`). */
export interface ImportedFile {
  path: string;
  content: string;
}

export interface ImportResult {
  files: ImportedFile[];
  /** What a round trip would not reproduce, and where a value went through an escape hatch (info). */
  diagnostics: Diagnostic[];
}

export interface ImportOptions {
  /** Put everything into this system instead of each file's own. */
  system?: string;
  /** The system of a file the model does not record one for (datasource provisioning); default its folder's name. */
  systemOfFile?: (file: string) => string;
  /** The text of a file read (for its comments). */
  textOf: (file: string) => string | undefined;
  /**
   * Formats a module (the project's prettier); identity when absent. `statements`: the module's
   * top-level statements, printed alone (`code` is them one blank line apart), which a formatter may
   * format one at a time.
   */
  format?: (code: string, file: string, statements?: readonly string[]) => Promise<string>;
}

/**
 * The files read, printed as idiomatic definitions: a folder per system, a module per kind.
 * Deterministic: systems, files and groups in the order of their files' paths and positions.
 */
export async function importInputs(inputs: ReadInputs, options: ImportOptions): Promise<ImportResult> {
  const diagnostics: Diagnostic[] = [];
  const files: ImportedFile[] = [];
  const systemOf = (system: string) => options.system ?? system;
  // Each module's top-level statements, by the module's text: what the formatter may format one at a time.
  const statementsOf = new Map<string, string[]>();
  const printModule = (...args: Parameters<typeof printStatements>): string => {
    const statements = printStatements(...args);
    const content = statements.join('\n\n') + '\n';
    statementsOf.set(content, statements);
    return content;
  };

  const groupsBySystem = new Map<string, RuleGroupModel[]>();
  for (const group of inputs.ruleGroups) {
    const system = systemOf(group.system);
    groupsBySystem.set(system, [...(groupsBySystem.get(system) ?? []), group]);
  }
  for (const [system, groups] of sorted(groupsBySystem)) {
    diagnostics.push(...targetHints(system, groups), ...kubernetesHints(system, groups, options.textOf));
    const used = new Set<string>();
    for (const module of importRuleGroups(groups, options.textOf, used)) {
      const imports = [{ from: 'moncode', names: [...module.helpers] }];
      if (module.types.size > 0) imports.push({ from: 'moncode', names: [...module.types], typeOnly: true } as (typeof imports)[number]);
      files.push({ path: `${system}/${module.kind}.ts`, content: printModule(imports, module.statements) });
    }
  }

  const alertmanagers = new Map<string, number>();
  for (const model of inputs.alertmanagers) {
    const system = systemOf(model.system);
    const count = (alertmanagers.get(system) ?? 0) + 1;
    alertmanagers.set(system, count);
    if (count > 1) {
      diagnostics.push({
        rule: 'import/exists',
        severity: 'error',
        message: `a second Alertmanager configuration for system "${system}": one system has one; import it with another --system`,
        where: model.locator.get(''),
        subject: `alertmanager of ${system}`,
      });
      continue;
    }
    const module = importAlertmanager(model, options.textOf(model.file), new Set());
    diagnostics.push(...module.diagnostics);
    const imports = [{ from: 'moncode', names: [...module.helpers] }];
    if (module.types.size > 0) imports.push({ from: 'moncode', names: [...module.types], typeOnly: true } as (typeof imports)[number]);
    files.push({ path: `${system}/alertmanager.ts`, content: printModule(imports, module.statements) });
  }
  const dashboardsBySystem = new Map<string, DashboardModel[]>();
  for (const dashboard of inputs.dashboards) {
    const system = systemOf(dashboard.system);
    dashboardsBySystem.set(system, [...(dashboardsBySystem.get(system) ?? []), dashboard]);
  }
  const provisioningBySystem = new Map<string, ReadInputs['provisioning']>();
  for (const provisioning of inputs.provisioning) {
    const system = systemOf(options.systemOfFile?.(provisioning.file) ?? path.basename(path.dirname(provisioning.file)));
    provisioningBySystem.set(system, [...(provisioningBySystem.get(system) ?? []), provisioning]);
  }
  for (const system of [...new Set([...dashboardsBySystem.keys(), ...provisioningBySystem.keys()])].sort()) {
    const table = new DatasourceTable();
    for (const provisioning of provisioningBySystem.get(system) ?? []) table.provision(provisioning.config as Record<string, unknown>, provisioning.locator, provisioning.file, diagnostics);
    const dashboards = dashboardsBySystem.get(system) ?? [];
    if (dashboards.length > 0) {
      const module = importDashboards(dashboards, new Set(), table);
      diagnostics.push(...module.diagnostics);
      const imports: Array<{ from: string; names: string[] }> = [{ from: 'moncode', names: [...module.helpers] }];
      if (module.datasourceNames.size > 0) imports.push({ from: './datasources.js', names: [...module.datasourceNames] });
      files.push({ path: `${system}/dashboards.ts`, content: printModule(imports, module.dashboards) });
    }
    const declarations = table.statements();
    if (declarations.length > 0) files.push({ path: `${system}/datasources.ts`, content: printModule([{ from: 'moncode', names: [...table.helpers] }], declarations) });
  }
  // SLO specs stay spec files: mon-build compiles OpenSLO and Sloth YAML in definitions/<system>/
  // through the same code as slo(), and the file stays readable by the tools that share the format.
  const specs = new Map<string, string>();
  for (const o of inputs.openslo) specs.set(o.file, o.system);
  for (const s of inputs.sloth) specs.set(s.file, s.system);
  const specNames = new Set<string>();
  for (const [file, specSystem] of [...specs].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const text = options.textOf(file);
    if (text === undefined) continue;
    const system = systemOf(specSystem);
    const base = path.basename(file).replace(/\.(ya?ml)$/i, '') || 'slos';
    let name = `${system}/${base}.yaml`;
    for (let n = 2; specNames.has(name); n++) name = `${system}/${base}-${n}.yaml`;
    specNames.add(name);
    files.push({ path: name, content: text });
    diagnostics.push({
      rule: IMPORT_SPEC_KEPT,
      severity: 'info',
      message: `SLO spec kept as it is, in ${name}: mon-build compiles OpenSLO and Sloth files in a system's folder as slo() definitions`,
      where: { file, start: 0, end: 0 },
    });
  }

  const format = options.format;
  if (format) for (const file of files) if (file.path.endsWith('.ts')) file.content = await format(file.content, file.path, statementsOf.get(file.content));
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { files, diagnostics };
}

/** An input needs this target: mon.config.ts must say so, or mon-build refuses the imported groups (`definition/unsupported`). */
export const IMPORT_TARGET = 'import/target';

/** What the imported groups need of the system's target, said once per need at the first group that has it. */
function targetHints(system: string, groups: RuleGroupModel[]): Diagnostic[] {
  const mimirOnly = ['source_tenants', 'evaluation_delay', 'align_evaluation_time_on_interval'] as const;
  // The mimir flavor takes group labels and query_offset whatever prometheus.version says.
  const mimir = groups.some((g) => mimirOnly.some((field) => g[field] !== undefined));
  const needs: Array<{ has: (g: RuleGroupModel) => boolean; field: string; setting: string }> = [
    { has: (g) => g.partial_response_strategy !== undefined, field: 'partial_response_strategy', setting: `prometheus: { flavor: 'thanos' }` },
    { has: (g) => !mimir && g.labels !== undefined && Object.keys(g.labels).length > 0, field: 'labels (on a group)', setting: `prometheus: { version: '3.0' }` },
    { has: (g) => !mimir && g.query_offset !== undefined, field: 'query_offset', setting: `prometheus: { version: '2.53' }` },
    ...mimirOnly.map((field) => ({
      has: (g: RuleGroupModel) => g[field] !== undefined,
      field,
      setting: `prometheus: { flavor: 'mimir' }`,
    })),
  ];
  return needs.flatMap((need) => {
    const group = groups.find(need.has);
    if (!group) return [];
    return [
      {
        rule: IMPORT_TARGET,
        severity: 'info' as const,
        message: `group "${group.name}" uses ${need.field}: set systems['${system}'] = { ${need.setting} }${need.setting.includes('version') ? ' (or a later version)' : ''} in mon.config.ts, or mon-build refuses it for the default target`,
        where: group.locator.get(''),
        subject: group.name,
      },
    ];
  });
}

/**
 * A PrometheusRule's metadata is no part of a rule group: what deploys it (namespace, the labels
 * the Prometheus' ruleSelector matches) is the system's `deployment` in mon.config.ts, which
 * writes the resources again. Said once per resource, at its metadata, so it is not lost.
 */
function kubernetesHints(system: string, groups: RuleGroupModel[], textOf: (file: string) => string | undefined): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const file of [...new Set(groups.map((g) => g.file))].sort()) {
    const text = textOf(file);
    if (text === undefined || !text.includes('PrometheusRule')) continue;
    for (const document of parseAllDocuments(text)) {
      if (!('contents' in document) || !isMap(document.contents)) continue;
      const resource = document.toJS() as { kind?: unknown; metadata?: { name?: unknown; namespace?: unknown; labels?: unknown; annotations?: unknown } };
      if (resource.kind !== 'PrometheusRule') continue;
      const metadata = document.contents.items.find((pair) => isScalar(pair.key) && pair.key.value === 'metadata')?.key;
      const value = resource.metadata && typeof resource.metadata === 'object' ? resource.metadata : {};
      const kubernetes: string[] = [`namespace: ${quoted(typeof value.namespace === 'string' ? value.namespace : 'monitoring')}`];
      for (const field of ['labels', 'annotations'] as const) {
        const entries = value[field];
        if (entries && typeof entries === 'object' && Object.keys(entries).length > 0) {
          kubernetes.push(
            `${field}: { ${Object.entries(entries as Record<string, unknown>)
              .map(([k, v]) => `${/^[A-Za-z_$][\w$]*$/.test(k) ? k : quoted(k)}: ${quoted(String(v))}`)
              .join(', ')} }`,
          );
        }
      }
      const range = isScalar(metadata) && metadata.range ? metadata.range : document.contents.range;
      diagnostics.push({
        rule: IMPORT_NOT_YET,
        severity: 'warning',
        message: `PrometheusRule${typeof value.name === 'string' ? ` "${value.name}"` : ''}: its metadata is not in the definitions; set systems['${system}'] = { deployment: { kubernetes: { ${kubernetes.join(', ')} } } } in mon.config.ts to write PrometheusRule resources again (out/kubernetes/${system}/)`,
        where: range ? { file, start: range[0], end: range[1] } : { file, start: 0, end: 0 },
        subject: typeof value.name === 'string' ? value.name : system,
      });
    }
  }
  return diagnostics;
}

/** A TS string literal, as the imported modules write them. */
function quoted(text: string): string {
  return `'${text.replace(/[\\']/g, (c) => `\\${c}`)}'`;
}

function sorted<T>(map: Map<string, T>): Array<[string, T]> {
  return [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
