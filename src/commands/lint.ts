import { existsSync, readdirSync, realpathSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CompiledProject } from '../compile/index.js';
import type { LoadedProject, ResolvedConfig } from '../load/index.js';
import type { LintConfig, LintSeverity } from '../model/config.js';
import { type Diagnostic, TYPE_ERROR, UnusableInputError } from '../model/diagnostic.js';
import { emptyCatalog } from '../model/catalog.js';
import { emptyInputs, INPUT_UNREADABLE, readInputFile, STANDARD_INPUT, standardInputText, type ReadInputs } from '../read/index.js';
import { lint, LintMemo } from '../lint/engine.js';
import { sloRuleGroupModels } from '../compile/slo/rules.js';
import { targetFor } from '../load/config.js';
import { parseDuration } from '../model/duration.js';
import type { ProjectModel, RuleGroupModel, SloModel } from '../model/project-model.js';
import { resolveOpenSlo } from '../read/openslo.js';
import { readSlothSpec } from '../read/sloth.js';
import { DEFAULT_PROMETHEUS_RUNTIME, lintSettings, type LintSettings } from '../lint/settings.js';
import { displayPath, findProject, isWithin } from '../load/project.js';
import { changedFilter } from '../report/changed.js';
import { resolveDiagnostics, summarize, type ReportedDiagnostic, type Summary } from '../report/resolve.js';
import { SourceIndex } from '../source/source-index.js';
import { materializeStaged } from './staged.js';
import { isBuildOutput } from '../emit/out-dir.js';

const INPUT_EXTENSIONS = new Set(['.yml', '.yaml', '.json', '.prom', '.metrics']);
const TS_EXTENSIONS = new Set(['.ts', '.mts']);

interface LintRunOptions {
  cwd: string;
  /** Files or folders; none lints the project's definitions. */
  paths: string[];
  config?: string;
  /** `--rule id=severity` overrides. */
  severities?: Record<string, LintSeverity | 'off'>;
  /** An editor's unsaved texts, linted instead of the files on disk (see `LoadOptions.editor`). */
  editor?: { overlay: Record<string, string> };
  /**
   * What earlier lints found, reused where it still holds (see `lint`): by default the process's own,
   * so a process kept alive between edits (the editor's) re-lints only what an edit changed; `false`: none.
   */
  memo?: LintMemo | false;
  /** `--time-limit`: how long mon.config.ts, then the definitions, may run. */
  timeLimitMs?: number;
}

/** The findings of this process' last lint, for the next to reuse. */
const processMemo = new LintMemo();

export interface LintRun {
  diagnostics: Diagnostic[];
  /** Files linted (inputs and definition modules). */
  files: string[];
  /** Some input could not be read at all (exit code 2). */
  unusable: boolean;
  /** Milliseconds spent loading definitions (with mon.config.ts) and reading files, compiling, and linting. */
  timings: { load: number; compile: number; lint: number };
}

/** `mon-lint`: lints definitions and/or rule files, dashboards, Alertmanager configs, catalogs — together. */
export async function runLint(options: LintRunOptions): Promise<LintRun> {
  const started = performance.now();
  let compileTime = 0;
  const { files: walkedAndNamed, tsFiles, unreadable, found } = expandPaths(options.paths, options.cwd);
  const wantsProject = options.paths.length === 0 || tsFiles.length > 0;
  const inputs = emptyInputs(emptyCatalog());
  for (const { file, message } of unreadable) inputs.diagnostics.push({ rule: INPUT_UNREADABLE, severity: 'error', message, where: { file, start: 0, end: 0 } });

  let config: ResolvedConfig | undefined;
  let project: LoadedProject | undefined;
  let compiled: CompiledProject | undefined;
  const diagnostics: Diagnostic[] = [];
  let sloFilesOfProject: string[] = [];
  if (wantsProject) {
    const { loadAndCompile } = await import('./project.js');
    // Type errors fail mon-lint as they fail mon-build, and what still loads is linted too.
    const definitions = await loadAndCompile({
      cwd: tsFiles[0] ? path.dirname(tsFiles[0]) : options.cwd,
      config: options.config,
      runDespiteTypeErrors: true,
      editor: options.editor,
      outputs: false,
      timeLimitMs: options.timeLimitMs,
    });
    ({ project, compiled } = definitions);
    sloFilesOfProject = definitions.sloFiles;
    compileTime = definitions.compileTime;
    config = project.config;
    diagnostics.push(...definitions.diagnostics);
  } else if (existsSync(path.join(options.cwd, 'mon.config.ts')) || options.config || hasConfigAbove(options.cwd)) {
    const { loadConfigOnly } = await import('../load/index.js');
    config = (await loadConfigOnly({ cwd: options.cwd, config: options.config, timeLimitMs: options.timeLimitMs })).config;
  }

  // The configured out/ is the build of the definitions: met while walking another folder, it would lint them twice.
  const outDir = config?.outDir;
  const inBuildOutput = (file: string): boolean => {
    const root = found.get(file);
    return root !== undefined && outDir !== undefined && isWithin(outDir, file) && !isWithin(outDir, root);
  };
  const inputFiles = walkedAndNamed.filter((file) => !inBuildOutput(file));
  // SLO files of definitions/ were compiled with the project: reading them again would define their SLOs twice.
  const compiledSloFiles = new Set(sloFilesOfProject);
  for (const file of inputFiles) if (!compiledSloFiles.has(file)) readInputFile(file, inputs, { foundInFolder: found.has(file) });
  const server = config ? {} : serverIntervals(inputs);
  const fileSlos = readSlos(inputs, config, server);
  diagnostics.push(...inputs.diagnostics);
  const lintConfig: LintConfig = { ...config?.lint, rules: { ...config?.lint.rules, ...options.severities } as LintConfig['rules'] };
  const model = mergeModel(inputs, compiled, fileSlos, config, server);
  const linting = performance.now();
  diagnostics.push(...lint(model, lintConfig, settingsFor(config, project, options.cwd, server), undefined, options.memo === false ? undefined : (options.memo ?? processMemo)));
  const timings = { load: linting - started - compileTime, compile: compileTime, lint: performance.now() - linting };

  let result = diagnostics;
  if (tsFiles.length > 0 && options.paths.length > 0) {
    // Definitions named on the command line: report what is in them (and in the other inputs), analyse everything.
    const named = new Set([...tsFiles, ...inputFiles]);
    // Type errors, and definitions that do not parse, stay wherever they are: the project does not build with them.
    result = diagnostics.filter((d) => !d.where || d.rule === TYPE_ERROR || d.rule === INPUT_UNREADABLE || named.has('origin' in d.where ? d.where.origin.file : d.where.file));
  }
  return {
    diagnostics: result,
    files: [...inputs.files, ...(project?.files ?? [])],
    unusable: diagnostics.some((d) => d.rule === INPUT_UNREADABLE),
    timings,
  };
}

interface LintCommandOptions extends LintRunOptions {
  /** `--changed-since REF`: only problems in what changed since the ref. */
  changedSince?: string;
  /** `--staged`: lint the index (what a commit records), not the working tree. */
  staged?: boolean;
}

interface LintReport {
  /** Resolved for printing: paths relative to the working directory, secrets redacted. */
  diagnostics: ReportedDiagnostic[];
  summary: Summary;
  /** The texts code frames are drawn from (the staged ones under `staged`). */
  sources: SourceIndex;
  /** Some input could not be read at all (exit code 2). */
  unusable: boolean;
}

/** `mon-lint` from arguments to what it prints: lints, keeps what changed, resolves locations. */
export async function lintReport(options: LintCommandOptions): Promise<LintReport> {
  if (options.staged) return lintStaged(options);
  const run = await runLint(options);
  const sources = new SourceIndex();
  const stdin = standardInputText();
  if (stdin !== undefined) sources.addText(STANDARD_INPUT, stdin);
  const kept = options.changedSince ? run.diagnostics.filter(changedFilter(options.changedSince, options.cwd, sources)) : run.diagnostics;
  const diagnostics = resolveDiagnostics(kept, sources, options.cwd);
  return { diagnostics, summary: summarize(diagnostics, run.files.length), sources, unusable: run.unusable };
}

/**
 * Lints the index written out as a tree, the rest of the repository around it as committed:
 * problems are reported at the repository's paths, and code frames show the staged lines.
 */
async function lintStaged(options: LintCommandOptions): Promise<LintReport> {
  const tree = materializeStaged(options.cwd);
  const cwd = tree.toStaged(options.cwd);
  const staged = (file: string | undefined) => (file === undefined ? undefined : path.isAbsolute(file) ? tree.toStaged(file) : file);
  try {
    // A repository of YAML and JSON only (no mon.config.ts, no definitions/): the hook lints its files.
    const noProject = options.paths.length === 0 && !options.config && !hasConfigAbove(cwd) && !existsSync(path.join(cwd, 'definitions'));
    const paths = noProject ? [cwd] : options.paths.map((p) => staged(p)!);
    const run = await runLint({ ...options, cwd, paths, config: staged(options.config) });
    const sources = new SourceIndex();
    const kept = options.changedSince ? run.diagnostics.filter(changedFilter(options.changedSince, options.cwd, sources, { staged: true, tree: tree.root })) : run.diagnostics;
    const inRepository = (text: string) => text.split(tree.root).join(tree.top);
    const display = (file: string) => (path.isAbsolute(file) ? displayPath(options.cwd, tree.toRepository(file)) : file);
    const diagnostics = resolveDiagnostics(kept, sources, cwd).map((d) => ({
      ...d,
      message: inRepository(d.message),
      file: d.file === undefined ? undefined : display(d.file),
      related: d.related?.map((r) => ({ ...r, message: inRepository(r.message), file: display(r.file) })),
    }));
    // The tree is removed before the report is printed: read the texts of its code frames now.
    for (const d of diagnostics) if (d.absoluteFile) sources.text(d.absoluteFile);
    return { diagnostics, summary: summarize(diagnostics, run.files.length), sources, unusable: run.unusable };
  } finally {
    removeStagedCache(cwd, staged(options.config), tree.root);
    tree.remove();
  }
}

/** The build cache of the staged project, when it was kept outside the tree (no node_modules to keep it in). */
function removeStagedCache(cwd: string, config: string | undefined, root: string): void {
  let cacheDir: string;
  try {
    cacheDir = findProject(cwd, config).cacheDir;
  } catch {
    return;
  }
  if (!isWithin(root, cacheDir) && path.basename(cacheDir).startsWith('moncode-') && path.dirname(cacheDir) === path.resolve(os.tmpdir())) rmSync(cacheDir, { recursive: true, force: true });
}

/**
 * The lint model of a built project (mon-build lints what it compiles); `consulted` collects the files the rules read or
 * looked for; `memo` is what earlier lints found (see `lint`).
 */
export function lintCompiled(project: LoadedProject, compiled: CompiledProject, cwd: string, consulted?: (file: string) => void, memo?: LintMemo): Diagnostic[] {
  const inputs = emptyInputs(compiled.catalog);
  return lint(mergeModel(inputs, compiled), project.config.lint, settingsFor(project.config, project, cwd, {}, consulted), undefined, memo);
}

/** Intervals of a Prometheus config linted with the files (when they all agree), for a project without mon.config.ts. */
interface ServerIntervals {
  scrape?: string;
  evaluation?: string;
}

function serverIntervals(inputs: ReadInputs): ServerIntervals {
  const agreed = (pick: (i: { scrape?: string; evaluation?: string }) => string | undefined) => {
    const values = new Set(inputs.prometheusIntervals.map(pick).filter((v): v is string => v !== undefined && parseDuration(v) !== undefined));
    return values.size === 1 ? [...values][0] : undefined;
  };
  return { scrape: agreed((i) => i.scrape), evaluation: agreed((i) => i.evaluation) };
}

/** The SLOs of OpenSLO and Sloth files, resolved with the project's scrape intervals. */
function readSlos(inputs: ReadInputs, config: ResolvedConfig | undefined, server: ServerIntervals): SloModel[] {
  if (inputs.openslo.length === 0 && inputs.sloth.length === 0) return [];
  const scrape = (system: string) => parseDuration(config ? targetFor(config, system).prometheus.scrapeInterval : (server.scrape ?? '1m')) ?? 60_000;
  const ctx = { scrapeMs: scrape, catalog: inputs.catalog };
  return [...resolveOpenSlo(inputs.openslo, ctx, inputs.diagnostics), ...inputs.sloth.flatMap((doc) => readSlothSpec(doc.value, doc, ctx, inputs.diagnostics))];
}

/** The rules an SLO read from a file would generate: the slo/* rules judge them with the hand-written ones. */
function generatedGroups(slos: readonly SloModel[], config: ResolvedConfig | undefined, server: ServerIntervals): RuleGroupModel[] {
  return slos.flatMap((slo) =>
    sloRuleGroupModels(slo, config ? targetFor(config, slo.system).prometheus : { evaluationInterval: server.evaluation, version: DEFAULT_PROMETHEUS_RUNTIME.version }, 'yaml'),
  );
}

function mergeModel(inputs: ReadInputs, compiled: CompiledProject | undefined, fileSlos: SloModel[] = [], config?: ResolvedConfig, server: ServerIntervals = {}): ProjectModel {
  const catalog = inputs.catalog;
  if (compiled) {
    for (const [name, metric] of compiled.catalog.metrics) catalog.metrics.set(name, metric);
    if (compiled.catalog.targetLabels !== catalog.targetLabels && compiled.catalog.metrics.size > 0) catalog.targetLabels = compiled.catalog.targetLabels;
  }
  return {
    dashboards: [...(compiled?.dashboards ?? []), ...inputs.dashboards],
    ruleGroups: [...(compiled?.ruleGroups ?? []), ...inputs.ruleGroups],
    sloRuleGroups: generatedGroups(fileSlos, config, server),
    alertmanagers: [...(compiled?.alertmanagers ?? []), ...inputs.alertmanagers],
    provisioning: [...(compiled?.provisioning ?? []), ...inputs.provisioning],
    datasources: [...(compiled?.datasources.declarations() ?? []), ...inputs.datasources],
    catalog,
    slos: [...(compiled?.slos ?? []), ...fileSlos],
  };
}

function settingsFor(config: ResolvedConfig | undefined, project: LoadedProject | undefined, cwd: string, server: ServerIntervals = {}, consulted?: (file: string) => void): LintSettings {
  const system = (name: string) => config?.systems[name]?.prometheus;
  const roots = new Map<string, string | undefined>();
  return lintSettings(
    config?.lint ?? {},
    {
      scrape: (name) => system(name)?.scrapeInterval ?? config?.prometheus.scrapeInterval ?? server.scrape ?? '1m',
      evaluation: (name) => system(name)?.evaluationInterval ?? config?.prometheus.evaluationInterval ?? server.evaluation ?? '1m',
    },
    (file) => {
      const dir = path.dirname(file);
      if (!roots.has(dir)) roots.set(dir, findRepositoryRoot(dir) ?? project?.paths.root ?? cwd);
      return roots.get(dir);
    },
    (name) => (config ? targetFor(config, name).prometheus : DEFAULT_PROMETHEUS_RUNTIME),
    consulted,
    config?.severities,
  );
}

/** The nearest folder upwards holding `.git`. */
function findRepositoryRoot(dir: string): string | undefined {
  for (let current = path.resolve(dir); ; current = path.dirname(current)) {
    if (existsSync(path.join(current, '.git'))) return current;
    if (path.dirname(current) === current) return undefined;
  }
}

function hasConfigAbove(cwd: string): boolean {
  for (let dir = path.resolve(cwd); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'mon.config.ts'))) return true;
    if (path.dirname(dir) === dir) return false;
  }
}

/** Tooling files a folder walk meets that are never monitoring configuration (tsconfig.json may hold comments, so it is not even JSON). */
const TOOLING_FILE = /^(?:[tj]sconfig(?:\.[\w-]+)*\.json|package\.json|package-lock\.json|npm-shrinkwrap\.json|pnpm-lock\.yaml|pnpm-workspace\.yaml)$/;

/**
 * Files to lint: named files as they are, folders searched for rule files, dashboards and definitions.
 * `found` are the files met while walking a folder: tooling files and mon-build's out/ (marked by
 * the build) are left out, and content of no monitoring kind is skipped when read.
 */
export function expandPaths(paths: readonly string[], cwd: string): { files: string[]; tsFiles: string[]; unreadable: Array<{ file: string; message: string }>; found: Map<string, string> } {
  const files: string[] = [];
  const tsFiles: string[] = [];
  /** Paths named that do not exist, and folders that cannot be listed: each is reported, the others are read. */
  const unreadable: Array<{ file: string; message: string }> = [];
  /** Each file met while walking, with the folder named on the command line. */
  const found = new Map<string, string>();
  // A file named twice (`a.yml ./a.yml`, a folder and a file in it, a link to it) is read once, under its first name.
  const seen = new Set<string>();
  const first = (file: string): boolean => {
    let real = file;
    try {
      real = realpathSync(file);
    } catch {
      // A dangling link is reported when it is read.
    }
    if (seen.has(real)) return false;
    seen.add(real);
    return true;
  };
  const walk = (dir: string, root: string): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      unreadable.push({ file: dir, message: code === 'EACCES' || code === 'EPERM' ? 'folder cannot be listed: permission denied' : `folder cannot be listed: ${code ?? (error as Error).message}` });
      return;
    }
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isBuildOutput(full)) walk(full, root);
      } else if (INPUT_EXTENSIONS.has(path.extname(entry.name).toLowerCase())) {
        if (TOOLING_FILE.test(entry.name) || !first(full)) continue;
        files.push(full);
        found.set(full, root);
      } else if (TS_EXTENSIONS.has(path.extname(entry.name)) && !entry.name.endsWith('.d.ts') && first(full)) tsFiles.push(full);
    }
  };
  for (const given of paths) {
    const full = path.resolve(cwd, given);
    if (!existsSync(full)) {
      unreadable.push({ file: full, message: 'no such file or folder' });
      continue;
    }
    if (statSync(full).isDirectory()) walk(full, full);
    else if (!first(full)) continue;
    else if (TS_EXTENSIONS.has(path.extname(full))) tsFiles.push(full);
    else files.push(full);
  }
  return { files, tsFiles, unreadable, found };
}

export { UnusableInputError };
