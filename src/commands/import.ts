import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UnusableInputError, type Diagnostic } from '../model/diagnostic.js';
import { emptyCatalog } from '../model/catalog.js';
import { importInputs, type ImportedFile } from '../import/index.js';
import { emptyInputs, INPUT_UNREADABLE, readInputFile, STANDARD_INPUT, standardInputText } from '../read/index.js';
import { resolveDiagnostics, summarize, type ReportedDiagnostic, type Summary } from '../report/resolve.js';
import { SourceIndex } from '../source/source-index.js';
import { expandPaths } from './lint.js';
import { build } from './build.js';
import { SCHEMA_UNPROVEN } from '../compile/grafana/dashboard-schema.js';
import { compareDashboards } from '../import/compare.js';
import { migrateDashboard } from '../import/migrate.js';
import { slugify } from '../model/datasource.js';
import { LINT_RULE_IDS } from '../model/suppression.js';
import type { RuleGroupModel } from '../model/project-model.js';
import { parse as parseYaml } from 'yaml';
import { compareAlertmanager } from '../import/compare-alertmanager.js';
import { compareRuleGroups, IMPORT_ROUND_TRIP, ruleGroupsOf } from '../import/compare-rules.js';
import type { Locator } from '../model/locator.js';
import { parentPointer } from '../model/pointer.js';
import type { Where } from '../model/source-location.js';
import type { ReadInputs } from '../read/index.js';

export interface ImportCommandOptions {
  cwd: string;
  paths: string[];
  /** Folder the systems are written into (default `definitions`). */
  out?: string;
  system?: string;
  /** Print the modules instead of writing them. */
  dryRun?: boolean;
  /**
   * Build the imported modules (in a temporary project) and compare them with their inputs (rule
   * groups and Alertmanager configs as values, dashboards with their migrated inputs): every
   * difference becomes an `import/round-trip` info at the input's field.
   */
  roundTrip?: boolean;
}

export interface ImportCommandResult {
  files: ImportedFile[];
  /** Absolute path of the output folder. */
  outDir: string;
  /** Files written (or, with dryRun, that would be); identical existing files are not rewritten. */
  written: string[];
  diagnostics: ReportedDiagnostic[];
  summary: Summary;
  sources: SourceIndex;
  /** Some input could not be used (exit code 2). */
  unusable: boolean;
}

/**
 * `mon-import`: reads rule files, dashboards and Alertmanager configs (kind detected from content,
 * as mon-lint does) and writes them as definitions. An existing file is never overwritten unless it
 * already holds exactly what would be written; then nothing is written at all.
 */
export async function runImport(options: ImportCommandOptions): Promise<ImportCommandResult> {
  if (options.paths.length === 0) throw new UnusableInputError('nothing to import: name the files or folders (rule files, dashboards, Alertmanager configs)');
  if (options.system !== undefined && !/^[A-Za-z0-9][\w.-]*$/.test(options.system)) throw new UnusableInputError(`--system "${options.system}": a system is a folder name ([A-Za-z0-9._-])`);
  const { files: inputFiles, tsFiles, unreadable, found } = expandPaths(options.paths, options.cwd);
  const inputs = emptyInputs(emptyCatalog());
  for (const { file, message } of unreadable) inputs.diagnostics.push({ rule: INPUT_UNREADABLE, severity: 'error', message, where: { file, start: 0, end: 0 } });
  for (const file of tsFiles)
    if (!found.has(file))
      inputs.diagnostics.push({ rule: INPUT_UNREADABLE, severity: 'error', message: 'a TypeScript file is a definition already; mon-import reads YAML and JSON', where: { file, start: 0, end: 0 } });
  const systemOfFile = (file: string): string => options.system ?? defaultSystem(file, found.get(file));
  for (const file of inputFiles) readInputFile(file, inputs, { foundInFolder: found.has(file), system: systemOfFile(file) });

  const sources = new SourceIndex();
  const stdin = standardInputText();
  if (stdin !== undefined) sources.addText(STANDARD_INPUT, stdin);
  const diagnostics: Diagnostic[] = [...inputs.diagnostics];
  const outDir = path.resolve(options.cwd, options.out ?? 'definitions');
  // A file that cannot be read at all gives nothing to import: it is reported (exit 2) and the others are imported.
  const unreadableFiles = new Set(inputs.diagnostics.filter((d) => d.rule === INPUT_UNREADABLE));
  const failed = () => diagnostics.some((d) => d.severity === 'error' && !unreadableFiles.has(d));
  let files: ImportedFile[] = [];
  const written: string[] = [];
  if (!failed()) {
    const textOf = (file: string): string | undefined => {
      if (file === STANDARD_INPUT) return stdin;
      try {
        return readFileSync(file, 'utf8');
      } catch {
        return undefined;
      }
    };
    const result = await importInputs(inputs, { system: options.system, systemOfFile, textOf, format: formatter(outDir) });
    files = result.files;
    diagnostics.push(...result.diagnostics);
    if (options.roundTrip && !failed()) diagnostics.push(...(await roundTrip(files, inputs, options.system, textOf)));
    for (const file of files) {
      const target = path.join(outDir, file.path);
      if (existsSync(target)) {
        const current = statSync(target).isFile() ? readFileSync(target, 'utf8') : undefined;
        if (current === file.content) continue;
        diagnostics.push({
          rule: 'import/exists',
          severity: 'error',
          message:
            current === undefined
              ? 'a folder stands where this module would be written; nothing was written (move it, or import into another --out)'
              : `this module exists and differs from what mon-import would write; not overwritten (move it, or import into another --out)`,
          where: { file: target, start: 0, end: 0 },
        });
        continue;
      }
      written.push(target);
    }
    if (!failed() && !options.dryRun) {
      for (const target of written) {
        const content = files.find((f) => path.join(outDir, f.path) === target)!.content;
        // Written whole or not at all: a half-written module would not type-check.
        const temporary = `${target}.${process.pid}.tmp`;
        try {
          mkdirSync(path.dirname(target), { recursive: true });
          writeFileSync(temporary, content);
          renameSync(temporary, target);
        } catch (error) {
          try {
            rmSync(temporary, { force: true });
          } catch {
            // Its folder could not be made: there is nothing to remove.
          }
          const code = (error as NodeJS.ErrnoException).code;
          const why = code === 'ENOTDIR' || code === 'EEXIST' ? 'a file stands where a folder is needed' : code === 'EISDIR' ? 'a folder stands there' : (code ?? (error as Error).message);
          throw new UnusableInputError(`cannot write ${path.relative(options.cwd, target) || target} (${why}): choose another --out`);
        }
      }
    }
  }
  const reported = resolveDiagnostics(diagnostics, sources, options.cwd);
  const unusable = reported.some((d) => d.severity === 'error');
  return { files, outDir, written: failed() ? [] : written, diagnostics: reported, summary: summarize(reported, inputs.files.length), sources, unusable };
}

/**
 * The system a file goes into without --system: the folder named on the command line when the
 * file was found in it (one folder, one system, whatever its subfolders), else the file's own
 * name without its extension (`/tmp/am.yml` is `am`, not `tmp`), made a folder name.
 */
function defaultSystem(file: string, folder: string | undefined): string {
  if (folder === undefined && file === STANDARD_INPUT) return 'stdin';
  const name =
    folder !== undefined
      ? path.basename(folder)
      : path
          .basename(file)
          .replace(/\.(ya?ml|json)$/i, '')
          .replace(/[.-](rules|alerts)$/i, '');
  const slug = name
    .replace(/[^\w.-]+/g, '-')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/[.-]+$/, '');
  return slug === '' ? 'imported' : slug;
}

/** The project's prettier settings where the modules go, or moncode's own style. */
function formatter(outDir: string): (code: string, file: string, statements?: readonly string[]) => Promise<string> {
  let options: Promise<Record<string, unknown>> | undefined;
  return async (code, file, statements) => {
    const prettier = await import('prettier');
    options ??= prettier
      .resolveConfig(path.join(outDir, file), { editorconfig: false })
      .then((found) => found ?? { singleQuote: true, trailingComma: 'all', printWidth: 140 })
      .catch(() => ({ singleQuote: true, trailingComma: 'all', printWidth: 140 }));
    // babel-ts prints these modules as the typescript parser does (every seed and corpus import is byte-identical) in less time.
    const settings = { ...(await options), parser: 'babel-ts' };
    if (!statements || !formatsAlone(settings)) return prettier.format(code, settings);
    // Prettier formats each top-level statement on its own and keeps one blank line between them, so statement by
    // statement gives the same text; a module of the whole corpus (5 MB) formatted at once held 800 MiB.
    const formatted: string[] = [];
    for (const statement of statements) formatted.push(await prettier.format(statement, settings));
    return formatted.join('\n');
  };
}

/**
 * Settings under which a module formats as its statements formatted one by one: line feeds, no pragma
 * (it goes on the module's first line only), no range, and no plugin (one may sort or drop imports by what the module uses).
 */
function formatsAlone(settings: Record<string, unknown>): boolean {
  const plugins = settings.plugins;
  return (
    (settings.endOfLine === undefined || settings.endOfLine === 'lf' || settings.endOfLine === 'auto') &&
    !settings.insertPragma &&
    !settings.requirePragma &&
    settings.rangeStart === undefined &&
    settings.rangeEnd === undefined &&
    (plugins === undefined || (Array.isArray(plugins) && plugins.length === 0))
  );
}

export { IMPORT_ROUND_TRIP };

/**
 * The throwaway project's settings: lint off, and a target that takes every rule-group field the
 * reader keeps: Prometheus 3.5, or per system the flavor its groups' fields need (Thanos'
 * partial_response_strategy, Mimir's source_tenants, evaluation_delay, align_evaluation_time_on_interval).
 */
function roundTripConfig(groups: readonly RuleGroupModel[]): string {
  const flavors = new Map<string, string>();
  for (const g of groups) {
    if (g.partial_response_strategy !== undefined) flavors.set(g.system, 'thanos');
    else if (g.source_tenants !== undefined || g.evaluation_delay !== undefined || g.align_evaluation_time_on_interval !== undefined) flavors.set(g.system, 'mimir');
  }
  const systems = [...flavors].map(([system, flavor]) => `${JSON.stringify(system)}: { prometheus: { flavor: '${flavor}' } }`).join(', ');
  return `import { defineConfig } from 'moncode';
export default defineConfig({
  prometheus: { version: '3.5', features: ['promql-experimental-functions'] },${systems ? `\n  systems: { ${systems} },` : ''}
  lint: { rules: { ${LINT_RULE_IDS.map((id) => `'${id}': 'off'`).join(', ')} } },
});
`;
}

/** Where a difference stands in the input: its pointer, or the nearest field above it the file has. */
function nearest(locator: Locator, at: string, file: string): Where {
  for (let p = at; ; p = parentPointer(p)) {
    const found = locator.get(p);
    if (found) return found;
    if (p === '') return { file, start: 0, end: 0 };
  }
}

/**
 * The imported modules built in a throwaway project and compared with their inputs: rule groups
 * and Alertmanager configurations as values after normalising order and defaults
 * (compare-rules.ts, compare-alertmanager.ts), each dashboard with its migrated input panel by
 * panel (compare.ts). Each difference is an `import/round-trip` info at the input's field.
 */
async function roundTrip(files: readonly ImportedFile[], inputs: ReadInputs, system: string | undefined, textOf: (file: string) => string | undefined): Promise<Diagnostic[]> {
  const { dashboards, ruleGroups, alertmanagers } = inputs;
  if (dashboards.length === 0 && ruleGroups.length === 0 && alertmanagers.length === 0) return [];
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mon-import-report-'));
  try {
    writeFileSync(path.join(dir, 'mon.config.ts'), roundTripConfig(ruleGroups));
    for (const file of files) {
      const target = path.join(dir, 'definitions', file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      writeFileSync(target, file.content);
    }
    const built = await build({ cwd: dir, check: true });
    const errors = built.diagnostics.filter((d) => d.severity === 'error');
    if (errors.length > 0) {
      const first = dashboards[0] ?? ruleGroups[0] ?? alertmanagers[0]!;
      return errors.slice(0, 20).map((d) => ({
        rule: IMPORT_ROUND_TRIP,
        severity: 'warning' as const,
        message: `the imported definitions do not build: ${d.file ? `${path.relative(path.join(dir, 'definitions'), path.resolve(dir, d.file))}:${d.line}:${d.column}` : '(the project)'}: ${d.message}`,
        where: first.locator.get('') ?? { file: first.file, start: 0, end: 0 },
      }));
    }
    const outputs = new Map<string, Record<string, unknown>>();
    const groups: Array<Record<string, unknown>> = [];
    const configs = new Map<string, Record<string, unknown>>();
    for (const file of built.outputs) {
      const dashboard = /^grafana\/dashboards\/(.+)\/([^/]+)\.json$/.exec(file.path);
      if (dashboard) outputs.set(`${dashboard[1]}/${dashboard[2]}`, JSON.parse(file.content) as Record<string, unknown>);
      // Rule files are named by system or by `file:`, so groups are matched by name (and value) across them all.
      if (/^prometheus\/rules\/.+\.rules\.yml$|^mimir\/[^/]+\/[^/]+\.yaml$/.test(file.path)) groups.push(...ruleGroupsOf(file.content));
      const am = /^alertmanager\/(.+)\/alertmanager\.yml$/.exec(file.path);
      if (am) configs.set(am[1]!, parseYaml(file.content) as Record<string, unknown>);
    }
    const found: Diagnostic[] = [];
    found.push(...compareRuleGroups(ruleGroups, textOf, groups));
    for (const model of alertmanagers) {
      const owner = system ?? model.system;
      const output = configs.get(owner);
      const subject = `alertmanager of ${owner}`;
      if (!output) {
        found.push({ rule: IMPORT_ROUND_TRIP, severity: 'info', message: `no alertmanager.yml for system ${owner} in the build`, where: nearest(model.locator, '', model.file), subject });
        continue;
      }
      for (const difference of compareAlertmanager(model.config, output)) {
        found.push({ rule: IMPORT_ROUND_TRIP, severity: 'info', message: `${difference.at}: ${difference.message}`, where: nearest(model.locator, difference.at, model.file), subject });
      }
    }
    for (const dashboard of dashboards) {
      const json = dashboard.json as Record<string, unknown>;
      const uid = typeof json.uid === 'string' && json.uid !== '' ? json.uid : slugify(dashboard.title);
      const output = outputs.get(`${system ?? dashboard.system}/${uid}`);
      const where = (at: string) => dashboard.locator.get(at) ?? dashboard.locator.get('') ?? { file: dashboard.file, start: 0, end: 0 };
      if (!output) {
        found.push({ rule: IMPORT_ROUND_TRIP, severity: 'info', message: `no dashboard with uid ${uid} in the build`, where: where(''), subject: dashboard.title });
        continue;
      }
      for (const difference of compareDashboards(migrateDashboard(json).json, output)) {
        // Pointers into a migrated legacy dashboard do not exist in the file: such a difference stands at the dashboard.
        found.push({ rule: IMPORT_ROUND_TRIP, severity: 'info', message: `${difference.at}: ${difference.message}`, where: where(difference.at), subject: dashboard.title });
      }
      // Equal is not enough: a field kept as written that Grafana's schema refuses is listed with why.
      for (const warning of built.diagnostics) {
        if (warning.rule !== SCHEMA_UNPROVEN || warning.subject !== dashboard.title) continue;
        const unproven = /^`([^`]*)` (.*?); it is written through `extra`/.exec(warning.message);
        if (!unproven) continue;
        found.push({
          rule: IMPORT_ROUND_TRIP,
          severity: 'info',
          message: `${unproven[1]}: kept as the input has it (no typed field), but ${unproven[2]}, so moncode cannot prove Grafana reads it (mon-build warns: ${SCHEMA_UNPROVEN})`,
          where: where(unproven[1]!),
          subject: dashboard.title,
        });
      }
    }
    return found;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
