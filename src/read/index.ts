import { closeSync, openSync, readSync, statSync, type Stats } from 'node:fs';
import path from 'node:path';
import { alignOffset } from '../source/source-index.js';
import type { Diagnostic } from '../model/diagnostic.js';
import { Locator } from '../model/locator.js';
import { addToCatalog } from '../model/catalog.js';
import type { MetricCatalogModel, ProjectModel } from '../model/project-model.js';
import type { Span } from '../model/source-location.js';
import { looksLikeExposition, parseExposition } from './exposition.js';
import { checkDashboardShape } from './dashboard-shape.js';
import { dashboardResourceKind, v1FormOfV2 } from './dashboard-v2.js';
import { JsonInputError, parseJson, type JsonDocument } from './json.js';
import { isOpenSlo, readOpenSloDocument, type OpenSloObject } from './openslo.js';
import { INPUT_INVALID, isMap, readRuleFile } from './rule-file.js';
import { matcherProblem, regexProblem } from '../model/matcher.js';
import { isSlothSpec } from './sloth.js';
import { nodeAt, parseYaml, YamlInputError, yamlLocator, type YamlDocument } from './yaml.js';
import { pointer, pointerUnder } from '../model/pointer.js';
import { decodeUtf8, notUtf8Message } from '../model/utf8.js';
import { INPUT_UNREADABLE } from '../model/diagnostic.js';

export { INPUT_UNREADABLE };

/** Files larger than this are refused rather than read into memory. */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

/** What the files read give the project model, plus what is resolved only once every file is read. */
export interface ReadInputs extends Pick<ProjectModel, 'dashboards' | 'ruleGroups' | 'alertmanagers' | 'provisioning' | 'datasources' | 'catalog'> {
  /** OpenSLO objects, resolved into SLOs once every file is read (references cross files). */
  openslo: OpenSloObject[];
  /** Sloth prometheus/v1 specs, read into SLOs with the project's settings. */
  sloth: Array<{ value: Record<string, unknown>; file: string; system: string; locate: (pointer: string) => Span | undefined; text?: string }>;
  diagnostics: Diagnostic[];
  /** Every file read. */
  files: string[];
  /** `global` intervals of Prometheus' own config files linted with the rest. */
  prometheusIntervals: Array<{ file: string; scrape?: string; evaluation?: string }>;
}

export function emptyInputs(catalog: MetricCatalogModel): ReadInputs {
  return { dashboards: [], ruleGroups: [], alertmanagers: [], provisioning: [], datasources: [], catalog, openslo: [], sloth: [], diagnostics: [], files: [], prometheusIntervals: [] };
}

interface ReadFileOptions {
  /** The system the file belongs to (default: its folder's name). */
  system?: string;
  /**
   * Found while walking a folder rather than named: content of no monitoring kind (package.json,
   * a lock file, a CI workflow) is skipped instead of reported, and the file is not counted.
   */
  foundInFolder?: boolean;
}

/** Reads one input file into `into`; what kind of file it is comes from its content. */
export function readInputFile(file: string, into: ReadInputs, options: ReadFileOptions = {}): void {
  const system = options.system ?? path.basename(path.dirname(file));
  into.files.push(file);
  const problemsBefore = into.diagnostics.length;
  const read = { foundInFolder: options.foundInFolder === true, skipped: 0, documents: 0 };
  readContent(file, into, system, read);
  // Nothing but documents of no known kind, found while walking: not monitoring configuration.
  if (read.foundInFolder && read.documents > 0 && read.skipped === read.documents && into.diagnostics.length === problemsBefore) into.files.pop();
}

function readContent(file: string, into: ReadInputs, system: string, read: DocumentInput['read']): void {
  const unreadable = (message: string, offset = 0): void => {
    into.diagnostics.push({ rule: INPUT_UNREADABLE, severity: 'error', message, where: { file, start: offset, end: offset } });
  };
  const text = readText(file, unreadable);
  if (text === undefined) return;
  if (text.replace(/^\uFEFF/, '').trim() === '') return unreadable('empty file');

  const extension = path.extname(file).toLowerCase();
  if (
    extension === '.json' ||
    (text
      .replace(/^\uFEFF/, '')
      .trimStart()
      .startsWith('{') &&
      extension !== '.yml' &&
      extension !== '.yaml')
  ) {
    let doc: JsonDocument;
    try {
      doc = parseJson(text, file);
    } catch (error) {
      return unreadable((error as JsonInputError).message, (error as JsonInputError).offset);
    }
    reportDuplicateKeys(doc, into);
    return readDocument({ file, text, value: doc.value, locate: doc.locate, into, system, read });
  }
  if (looksLikeExposition(text) && !/^\s*(groups|route|apiVersion|receivers)\s*:/m.test(text)) {
    for (const family of parseExposition(text)) addToCatalog(into.catalog, family);
    return;
  }
  let documents: YamlDocument[];
  try {
    documents = parseYaml(text, file);
  } catch (error) {
    if (error instanceof YamlInputError) return unreadable(`invalid YAML: ${error.message}`, error.offset);
    throw error;
  }
  const contents = documents.filter((d) => d.value !== null && d.value !== undefined);
  if (contents.length === 0) return unreadable('empty file');
  for (const document of contents) {
    readDocument({ file, text, value: document.value, locate: yamlLocator(file, document.root), yaml: document, into, system, read });
  }
}

/** The name standard input goes by (`-` on the command line is read as it). */
export const STANDARD_INPUT = '/dev/stdin';

let standardInput: { text?: string; error?: string } | undefined;

/** Standard input, read once (it can only be read once) and kept for code frames. */
export function standardInputText(): string | undefined {
  return standardInput?.text;
}

function readText(file: string, unreadable: (message: string, offset?: number) => void): string | undefined {
  let read: { text?: string; error?: string; at?: number };
  if (file === STANDARD_INPUT) {
    read = standardInput ??= readBounded(0);
  } else {
    let fd: number | undefined;
    try {
      const stats = statSync(file);
      // A FIFO, socket or device may never end (or block on open): refuse them by type, before opening.
      const kind = fileKind(stats);
      if (kind) read = { error: `${kind}, not a file: moncode reads regular files (use - for standard input)` };
      else if (stats.isFile() && stats.size > maxFileBytes()) read = { error: tooLarge(stats.size) };
      else {
        fd = openSync(file, 'r');
        read = readBounded(fd);
      }
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      read = { error: code === 'EISDIR' ? 'is a folder' : code === 'EACCES' ? 'permission denied' : code === 'ENOENT' ? 'no such file' : `cannot read: ${(error as Error).message}` };
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
  if (read.text?.slice(0, 8192).includes('\0')) {
    unreadable('binary file: not YAML, JSON or a /metrics page');
    return undefined;
  }
  if (read.error !== undefined) {
    unreadable(read.error, read.at);
    return undefined;
  }
  return read.text;
}

/** The size limit: 64 MiB, or MONCODE_MAX_INPUT_MIB. */
function maxFileBytes(): number {
  const mib = Number(process.env.MONCODE_MAX_INPUT_MIB);
  return Number.isFinite(mib) && mib > 0 ? Math.floor(mib * 1024 * 1024) : MAX_FILE_BYTES;
}

function tooLarge(size?: number): string {
  const limit = `${+(maxFileBytes() / 1024 / 1024).toFixed(2)} MiB`;
  return size === undefined ? `larger than ${limit}, the most mon-lint reads` : `file is ${(size / 1024 / 1024).toFixed(1)} MiB; mon-lint reads files up to ${limit}`;
}

function fileKind(stats: Stats): string | undefined {
  if (stats.isFIFO()) return 'a FIFO (named pipe)';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return undefined;
}

/** Reads to the end, but never more than the size limit: a file's size on disk may be wrong (or grow while read). */
function readBounded(fd: number): { text?: string; error?: string; at?: number } {
  const limit = maxFileBytes();
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.alloc(Math.min(1024 * 1024, limit + 1 - total));
    let count: number;
    try {
      count = readSync(fd, chunk, 0, chunk.length, null);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'EAGAIN') {
        // A non-blocking standard input with nothing yet: wait a little, then read again.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 10);
        continue;
      }
      if (code === 'EOF') break;
      if (code === 'EISDIR') return { error: 'is a folder' };
      return { error: `cannot read: ${(error as Error).message}` };
    }
    if (count === 0) break;
    chunks.push(chunk.subarray(0, count));
    total += count;
    if (total > limit) return { error: tooLarge() };
  }
  const decoded = decodeUtf8(Buffer.concat(chunks));
  if ('invalidAt' in decoded) return { error: notUtf8Message(decoded.byte), at: decoded.invalidAt, text: decoded.text };
  return { text: decoded.text };
}

interface DocumentInput {
  file: string;
  text: string;
  value: unknown;
  locate: (pointer: string) => Span | undefined;
  /** The YAML document, when the file is YAML. */
  yaml?: YamlDocument;
  into: ReadInputs;
  system: string;
  /** Documents read and skipped so far; skipping is for files found while walking a folder. */
  read: { foundInFolder: boolean; documents: number; skipped: number };
}

/** An alerting provisioning file (apiVersion 1): contact points, policies, mute timings, templates, or rule groups in Grafana folders. */
function isGrafanaAlertingProvisioning(value: Record<string, unknown>): boolean {
  if (value.apiVersion !== 1 && value.apiVersion !== '1') return false;
  if (['contactPoints', 'policies', 'muteTimes', 'templates', 'deleteRules', 'deleteContactPoints', 'resetPolicies'].some((key) => Array.isArray(value[key]))) return true;
  return Array.isArray(value.groups) && value.groups.some((group) => isMap(group) && 'folder' in group);
}

/** Dispatches one parsed document by what it contains. */
function readDocument(input: DocumentInput): void {
  const { file, value, locate, into, system, read } = input;
  read.documents++;
  const unknown = (message: string): void => {
    if (read.foundInFolder) {
      read.skipped++;
      return;
    }
    into.diagnostics.push({ rule: INPUT_UNREADABLE, severity: 'error', message, where: locate('') ?? { file, start: 0, end: 0 } });
  };
  if (!isMap(value)) {
    return unknown(`not a rule file, dashboard or Alertmanager config: the top level is ${Array.isArray(value) ? 'a list' : 'a single value'}, expected a mapping such as \`groups:\``);
  }
  if (isOpenSlo(value)) return readOpenSloDocument(value, { file, system, locate }, into.openslo, into.diagnostics);
  if (isSlothSpec(value)) {
    into.sloth.push({ value, file, system, locate, text: input.text });
    return;
  }
  if (value.kind === 'PrometheusRule' || (typeof value.apiVersion === 'string' && value.apiVersion.startsWith('monitoring.coreos.com/'))) {
    return readRules(input, '/spec/groups');
  }
  // Grafana's alerting provisioning (mon-build writes it from definitions mon-lint lints; its rules' queries are in `data`).
  if (isGrafanaAlertingProvisioning(value)) return;
  if ('groups' in value && !('route' in value)) return readRules(input, '/groups');
  if (dashboardResourceKind(value)) return addDashboardResource(file, value, locate, into, system);
  if (isDashboard(value)) return addDashboard(file, value, locate, into, system);
  if (isMap(value.dashboard) && isDashboard(value.dashboard)) return addDashboard(file, value.dashboard, (p) => locate(pointer('dashboard') + p), into, system);
  if ('route' in value || 'receivers' in value) {
    into.alertmanagers.push({ system, file, from: 'yaml', config: value, locator: Locator.fromLookup(locate), suppressions: [] });
    reportBadMatchers(value, file, locate, into);
    return;
  }
  if (Array.isArray(value.datasources)) {
    for (const ds of value.datasources) {
      if (!isMap(ds)) continue;
      const name = typeof ds.name === 'string' ? ds.name : '';
      into.datasources.push({ name, uid: typeof ds.uid === 'string' ? ds.uid : name, type: typeof ds.type === 'string' ? ds.type : '', system });
    }
    into.provisioning.push({ file, config: value, locator: Locator.fromLookup(locate) });
    return;
  }
  // Known kinds with nothing to lint here: dashboard providers, promtool unit tests; Prometheus' own
  // config lends its intervals.
  if (Array.isArray(value.providers)) return;
  if (Array.isArray(value.tests) && 'rule_files' in value) return;
  if (Array.isArray(value.scrape_configs) || (isMap(value.global) && ('rule_files' in value || 'alerting' in value))) {
    const global = isMap(value.global) ? value.global : {};
    const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
    into.prometheusIntervals.push({ file, scrape: text(global.scrape_interval), evaluation: text(global.evaluation_interval) });
    return;
  }
  if ((value.kind === 'ConfigMap' || value.kind === 'ConfigMapList') && input.yaml) return readConfigMaps(input);
  if (value.kind === 'GrafanaDashboard' && isMap(value.spec) && typeof value.spec.json === 'string' && input.yaml)
    return readEmbeddedDashboard(input, pointer('spec', 'json'), 'spec.json', value.spec.json);
  unknown('not a rule file, dashboard, Alertmanager config, SLO or /metrics page: no `groups`, `panels`, `route`, `apiVersion: openslo/v1`, `version: prometheus/v1` or `# TYPE` found');
}

function readRules(input: DocumentInput, groupsPointer: string): void {
  // Rule files written as JSON are read through the YAML reader (JSON is YAML) for positions.
  const yaml = input.yaml ?? parseYaml(input.text, input.file)[0]!;
  const result = readRuleFile(input.file, input.text, yaml, groupsPointer, input.system);
  input.into.ruleGroups.push(...result.groups);
  input.into.diagnostics.push(...result.diagnostics);
}

function isDashboard(value: Record<string, unknown>): boolean {
  return Array.isArray(value.panels) || Array.isArray(value.rows) || (typeof value.schemaVersion === 'number' && 'title' in value);
}

function addDashboard(file: string, json: Record<string, unknown>, locate: (pointer: string) => Span | undefined, into: ReadInputs, system: string): void {
  into.diagnostics.push(...checkDashboardShape(json, locate, file));
  into.dashboards.push({
    uid: typeof json.uid === 'string' ? json.uid : '',
    title: typeof json.title === 'string' ? json.title : path.basename(file),
    folder: system,
    system,
    json,
    locator: Locator.fromLookup(locate),
    file,
    from: 'json',
    suppressions: [],
  });
}

/** More routes than this (an alias bomb) are not walked. */
const MAX_ROUTES = 10_000;

/**
 * Matchers Alertmanager refuses to load: a `matchers:` string it cannot parse or whose regex
 * RE2 cannot compile, a `match_re` value that is no regex — in routes and inhibit rules.
 */
function reportBadMatchers(config: Record<string, unknown>, file: string, locate: (pointer: string) => Span | undefined, into: ReadInputs): void {
  const report = (message: string, at: string) => into.diagnostics.push({ rule: INPUT_INVALID, severity: 'error', message, where: locate(at) ?? locate('') ?? { file, start: 0, end: 0 } });
  const check = (node: Record<string, unknown>, at: string, prefix: string) => {
    const list = node[`${prefix}matchers`];
    if (Array.isArray(list)) {
      list.forEach((item, i) => {
        const problem = typeof item === 'string' ? matcherProblem(item) : undefined;
        if (problem) report(problem, pointerUnder(at, `${prefix}matchers`, i));
      });
    }
    const regexes = node[`${prefix}match_re`];
    if (isMap(regexes)) {
      for (const [label, value] of Object.entries(regexes)) {
        const problem = regexProblem(String(value));
        if (problem) report(`match_re ${label}: ${problem}`, pointerUnder(at, `${prefix}match_re`, label));
      }
    }
  };
  let routes = 0;
  const visit = (route: unknown, at: string): void => {
    if (!isMap(route) || ++routes > MAX_ROUTES) return;
    check(route, at, '');
    if (Array.isArray(route.routes)) route.routes.forEach((child, i) => visit(child, pointerUnder(at, 'routes', i)));
  };
  visit(config.route, '/route');
  if (Array.isArray(config.inhibit_rules)) {
    config.inhibit_rules.forEach((rule, i) => {
      if (!isMap(rule)) return;
      for (const prefix of ['source_', 'target_']) check(rule, pointer('inhibit_rules', i), prefix);
    });
  }
}

function reportDuplicateKeys(doc: JsonDocument, into: ReadInputs, toFile: (span: Span) => Span = (span) => span): void {
  for (const { key, span, first } of doc.duplicateKeys) {
    into.diagnostics.push({
      rule: INPUT_INVALID,
      severity: 'error',
      message: `key ${JSON.stringify(key)} appears twice in this object: JSON readers keep only the last, so the first is lost`,
      where: toFile(span),
      related: [{ message: 'the first one', where: toFile(first) }],
    });
  }
}

/** kube-prometheus ships dashboards as JSON strings inside ConfigMaps. */
function readConfigMaps({ file, text, value, yaml, into, system }: DocumentInput): void {
  const root = value as Record<string, unknown>;
  const maps = root.kind === 'ConfigMapList' && Array.isArray(root.items) ? root.items.map((item: unknown, i: number) => ({ item, at: pointer('items', i) })) : [{ item: root, at: '' }];
  for (const { item, at } of maps) {
    if (!isMap(item) || !isMap(item.data)) continue;
    for (const [key, content] of Object.entries(item.data)) {
      if (typeof content !== 'string') continue;
      readEmbeddedDashboard({ file, text, value, yaml, into, system } as DocumentInput, pointerUnder(at, 'data', key), key, content);
    }
  }
}

/** A dashboard held as a JSON string in YAML (a ConfigMap's data, a grafana-operator GrafanaDashboard's spec.json), located in the file. */
function readEmbeddedDashboard({ file, text, yaml, into, system }: DocumentInput, at: string, key: string, content: string): void {
  if (!content.trimStart().startsWith('{')) return;
  const scalar = nodeAt(yaml!.root, at);
  if (!scalar) return;
  const source = text.slice(scalar.start, scalar.end);
  const toFile = (offset: number): number => scalar.start + (alignOffset(source, content, offset) ?? 0);
  let doc: JsonDocument;
  try {
    doc = parseJson(content, file);
  } catch (error) {
    const offset = toFile((error as JsonInputError).offset);
    into.diagnostics.push({ rule: INPUT_INVALID, severity: 'error', message: `${key}: ${(error as Error).message}`, where: { file, start: offset, end: offset } });
    return;
  }
  if (!isMap(doc.value) || !(isDashboard(doc.value) || dashboardResourceKind(doc.value))) return;
  reportDuplicateKeys(doc, into, (span) => ({ file, start: toFile(span.start), end: toFile(Math.max(span.start, span.end - 1)) + 1 }));
  const locate = (pointer: string): Span | undefined => {
    const inner = doc.locate(pointer);
    return inner ? { file, start: toFile(inner.start), end: toFile(Math.max(inner.start, inner.end - 1)) + 1 } : undefined;
  };
  if (dashboardResourceKind(doc.value)) addDashboardResource(file, doc.value, locate, into, system);
  else addDashboard(file, doc.value, locate, into, system);
}

/**
 * Grafana's dashboard.grafana.app resource: a v1 spec is linted as the dashboard JSON it is (the
 * uid is the resource's name); a schema v2 spec through its v1 form (see `v1FormOfV2`), with every
 * problem mapped back to where the v2 file has it.
 */
function addDashboardResource(file: string, resource: Record<string, unknown>, locate: (pointer: string) => Span | undefined, into: ReadInputs, system: string): void {
  if (dashboardResourceKind(resource) === 'v1') {
    const spec = resource.spec as Record<string, unknown>;
    const name = isMap(resource.metadata) && typeof resource.metadata.name === 'string' ? resource.metadata.name : undefined;
    return addDashboard(file, { ...(name !== undefined && spec.uid === undefined ? { uid: name } : {}), ...spec }, (p) => locate(pointer('spec') + p), into, system);
  }
  const { json, toV2 } = v1FormOfV2(resource);
  addDashboard(file, json, (p) => locate(toV2(p)), into, system);
}
