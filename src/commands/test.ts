import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { findOnPath } from './find-tool.js';
import { parseDuration } from '../model/duration.js';
import { UnusableInputError, type Diagnostic } from '../model/diagnostic.js';
import type { RuleTestModel } from '../model/rule-test.js';
import { SourceIndex } from '../source/source-index.js';
import { resolveDiagnostics, summarize, type ReportedDiagnostic, type Summary } from '../report/resolve.js';
import { lintCompiled } from './lint.js';
import { loadAndCompile } from './project.js';
import type { CompiledProject } from '../compile/index.js';
import type { SloModel } from '../model/project-model.js';
import YAML from 'yaml';
import { ruleCoverage, type Coverage } from '../report/coverage.js';
import { formatLcov } from '../report/lcov.js';
import { displayPath } from '../load/project.js';
import type { Where } from '../model/source-location.js';
import { runRouteTests, TEST_FAILED } from './route-tests.js';

export interface TestOptions {
  cwd: string;
  config?: string;
  timeLimitMs?: number;
  /** promtool to run (default: the one on PATH). */
  promtool?: string;
  /** amtool to run for routeTest()s (default: the one on PATH). */
  amtool?: string;
  /** Also measure what the tests reach, against `tests.coverage` of mon.config.ts. */
  coverage?: boolean;
  /** With `coverage`: also write it as an LCOV tracefile there (relative to `cwd`). */
  lcovFile?: string;
}

export interface TestResult {
  diagnostics: ReportedDiagnostic[];
  summary: Summary;
  sources: SourceIndex;
  /** Tests run and failed; undefined when the definitions did not build (nothing ran). */
  tests?: { total: number; failed: number; files: number; routes: number; routesFailed: number; slos: number; slosFailed: number };
  compiled?: CompiledProject;
  /** With `coverage`, once the tests ran. */
  coverage?: Coverage;
  /** The LCOV file written (as given), with `lcovFile` once the tests ran. */
  lcovWritten?: string;
  exitCode: 0 | 1;
}

/**
 * `mon-test`: builds the definitions in memory, writes the rule files and rule
 * tests to a temporary folder (out/ is not touched), runs the real
 * `promtool test rules` over them, and reports each failure at the ruleTest
 * (and the expectation) that failed.
 */
export async function runTests(options: TestOptions): Promise<TestResult> {
  const { project, compiled, diagnostics } = await loadAndCompile({ cwd: options.cwd, config: options.config, timeLimitMs: options.timeLimitMs });
  if (compiled) diagnostics.push(...lintCompiled(project, compiled, options.cwd, () => undefined).filter((d) => d.severity === 'error'));
  const sources = new SourceIndex();
  const thresholds = project.config.tests.coverage ?? {};
  for (const [key, value] of Object.entries(thresholds)) {
    if (typeof value !== 'number' || !(value >= 0 && value <= 100)) throw new UnusableInputError(`bad config: tests.coverage.${key} is ${String(value)}, not a percentage from 0 to 100`);
  }
  const done = (found: Diagnostic[], tests?: TestResult['tests']): TestResult => {
    const reported = resolveDiagnostics(found, sources, options.cwd);
    const summary = summarize(reported, project.files.length);
    const locate = (where: Where | undefined) => {
      if (!where) return {};
      const location = sources.locate(where);
      return { file: displayPath(options.cwd, location.file), line: location.line };
    };
    const coverage = options.coverage && tests && compiled ? ruleCoverage(compiled.ruleGroups, compiled.ruleTests, thresholds, compiled.alertmanagers, compiled.routeTests, locate) : undefined;
    if (coverage && options.lcovFile !== undefined) writeAtomically(path.resolve(options.cwd, options.lcovFile), formatLcov(coverage));
    const failed = summary.errors > 0 || (coverage?.below.length ?? 0) > 0;
    return {
      diagnostics: reported,
      summary,
      sources,
      tests,
      compiled,
      ...(coverage ? { coverage } : {}),
      ...(coverage && options.lcovFile !== undefined ? { lcovWritten: options.lcovFile } : {}),
      exitCode: failed ? 1 : 0,
    };
  };
  if (!compiled || diagnostics.some((d) => d.severity === 'error')) return done(diagnostics);

  // The promtool tests generated from the SLOs run too: they hold the burn-rate alerts to the objective.
  const sloFiles = compiled.outputs.filter((o) => /^prometheus\/tests\/.*-slos\.test\.yml$/.test(o.path)).map((o) => o.path);
  const sloCount = sloFiles.reduce((sum, file) => sum + ((YAML.parse(compiled.outputs.find((o) => o.path === file)!.content) as { tests?: unknown[] }).tests?.length ?? 0), 0);
  const testFiles = [...new Set([...compiled.ruleTests.map((t) => t.outputFile), ...sloFiles])].sort();
  const routeTests = compiled.routeTests;
  const none = { total: 0, failed: 0, files: 0, routes: 0, routesFailed: 0, slos: 0, slosFailed: 0 };
  if (testFiles.length === 0 && routeTests.length === 0) return done(diagnostics, none);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mon-test-'));
  try {
    const routed = await runRouteTests(routeTests, compiled.alertmanagers, compiled.outputs, dir, options.amtool);
    const routesFailed = new Set(routed.map((d) => d.subject)).size;
    if (testFiles.length === 0) return done([...diagnostics, ...routed], { ...none, routes: routeTests.length, routesFailed });
    const promtool = options.promtool ?? findPromtool();
    for (const file of compiled.outputs) {
      if (!file.path.startsWith('prometheus/')) continue;
      const full = path.join(dir, file.path);
      mkdirSync(path.dirname(full), { recursive: true });
      writeFileSync(full, file.content);
    }
    const run = await runPromtool(
      promtool,
      testFiles.map((f) => path.basename(f)),
      path.join(dir, 'prometheus/tests'),
    );
    const failures = parsePromtoolOutput(run.output);
    const generated = (f: PromtoolFailure) => sloFiles.some((file) => path.basename(file) === path.basename(f.file));
    const found = mapFailures(
      failures.filter((f) => !generated(f)),
      compiled.ruleTests,
    );
    const sloFound = mapSloFailures(failures.filter(generated), compiled.slos);
    if (run.code !== 0 && found.length + sloFound.length === 0) {
      throw new UnusableInputError(`promtool test rules failed without a test failure moncode can place: ${run.output.trim().split('\n').slice(-1)[0] ?? ''}`);
    }
    const failedTests = new Set(found.map((d) => d.subject));
    return done([...diagnostics, ...found, ...sloFound, ...routed], {
      total: compiled.ruleTests.length,
      failed: failedTests.size,
      files: testFiles.length,
      routes: routeTests.length,
      routesFailed,
      slos: sloCount,
      slosFailed: new Set(sloFound.map((d) => d.message)).size,
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes beside the target and renames: a reader never sees half a file, a failed write leaves the old one. */
function writeAtomically(file: string, content: string): void {
  const temporary = `${file}.${process.pid}.tmp`;
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(temporary, content);
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw new UnusableInputError(`cannot write the coverage file ${file}: ${(error as Error).message.split('\n')[0]}`);
  }
}

function findPromtool(): string {
  return findOnPath('promtool', "promtool is not installed (mon-test runs `promtool test rules`): install Prometheus' promtool (Debian: apt install prometheus) and put it on PATH");
}

function runPromtool(promtool: string, files: string[], cwd: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    execFile(promtool, ['test', 'rules', ...files], { cwd, encoding: 'utf8', maxBuffer: 1 << 26, timeout: 600_000 }, (error, stdout, stderr) => {
      if (error && typeof (error as { code?: unknown }).code !== 'number') {
        reject(new UnusableInputError(`cannot run promtool (${promtool}): ${error.message.split('\n')[0]}`));
        return;
      }
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}

/** One failure as promtool prints it: the test file and group, and what failed (an alert or expression at a time, or the group). */
export interface PromtoolFailure {
  file: string;
  test: string;
  kind: 'alert' | 'expr' | 'group';
  /** The alert name, or the expression. */
  target?: string;
  evalMs?: number;
  detail: string[];
}

/**
 * Reads `promtool test rules` output (Prometheus 2.x/3.x): `Unit Testing:  FILE`, then
 * `SUCCESS` or `FAILED:` and, per failing group, `name: NAME,` followed by
 * `alertname: A, time: T,` or `expr: "E", time: T,` blocks with their exp/got lines.
 */
export function parsePromtoolOutput(output: string): PromtoolFailure[] {
  const failures: PromtoolFailure[] = [];
  let file = '';
  let test = '';
  let current: PromtoolFailure | undefined;
  for (const line of output.split('\n')) {
    const unit = /^Unit Testing:\s+(.*?)\s*$/.exec(line);
    if (unit) {
      file = unit[1]!;
      test = '';
      current = undefined;
      continue;
    }
    const name = /^ {4}name: (.*),\s*$/.exec(line);
    if (name) {
      test = name[1]!;
      current = undefined;
      continue;
    }
    const alert = /^ {4}alertname: (.*), time: (\S+?),\s*$/.exec(line);
    if (alert) {
      failures.push((current = { file, test, kind: 'alert', target: alert[1]!, evalMs: parseGoDuration(alert[2]!), detail: [] }));
      continue;
    }
    const expr = /^ {4}expr: (".*"), time: (\S+?),\s*$/.exec(line);
    if (expr) {
      let text = expr[1]!;
      try {
        text = JSON.parse(text) as string;
      } catch {
        // Go's %q is JSON-compatible for printable text; keep it quoted otherwise.
      }
      failures.push((current = { file, test, kind: 'expr', target: text, evalMs: parseGoDuration(expr[2]!), detail: [] }));
      continue;
    }
    if (/^ {5,}\S/.test(line) && current) {
      current.detail.push(line.trim());
      continue;
    }
    if (/^ {4}\S/.test(line) && file) {
      failures.push((current = { file, test, kind: 'group', detail: [line.trim()] }));
    }
  }
  return failures;
}

/** Go's `model.Duration` as promtool prints it (`10m`, `1h30m`, `0s`). */
function parseGoDuration(text: string): number | undefined {
  return text === '0s' ? 0 : parseDuration(text);
}

/**
 * A failure of a test moncode generated from an SLO (`<slo id>: …`), at the SLO: its recording
 * rules or burn-rate alerts do not do what its objective says at the target's evaluation.
 */
function mapSloFailures(failures: readonly PromtoolFailure[], slos: readonly SloModel[]): Diagnostic[] {
  return failures.map((failure) => {
    const slo = slos.find((s) => failure.test.startsWith(`${s.id}: `) && path.basename(failure.file) === `${s.system}-slos.test.yml`);
    return {
      rule: TEST_FAILED,
      severity: 'error',
      message: `the test moncode generated for SLO ${slo ? `"${slo.name}"` : failure.test} failed ("${failure.test}"${failure.target ? `, ${failure.kind} ${failure.target} at ${formatTime(failure.evalMs)}` : ''}): ${summarizeDetail(failure.detail)}`,
      where: slo ? (slo.locator.get('/name') ?? slo.locator.get('')) : undefined,
      subject: slo ? `SLO ${slo.name}` : failure.test,
    } satisfies Diagnostic;
  });
}

function mapFailures(failures: readonly PromtoolFailure[], tests: readonly RuleTestModel[]): Diagnostic[] {
  const diagnostics: Diagnostic[] = [];
  for (const failure of failures) {
    const test = testOf(failure, tests);
    const detail = summarizeDetail(failure.detail);
    if (!test) {
      diagnostics.push({ rule: TEST_FAILED, severity: 'error', message: `${failure.file}: test "${failure.test}" failed: ${detail}`, subject: failure.test || undefined });
      continue;
    }
    if (failure.kind === 'alert') {
      const expectation = test.alerts.find((a) => a.alertname === failure.target && a.evalMs === failure.evalMs);
      diagnostics.push({
        rule: TEST_FAILED,
        severity: 'error',
        message: `alert ${failure.target} at ${formatTime(failure.evalMs)}: ${detail}`,
        where: expectation?.where ?? test.where,
        subject: test.name,
        ...(expectation?.ruleWhere ? { related: [{ message: `the alert rule ${failure.target}`, where: expectation.ruleWhere }] } : {}),
      });
    } else if (failure.kind === 'expr') {
      const expectation = test.exprs.find((e) => e.expr === failure.target && e.evalMs === failure.evalMs);
      diagnostics.push({
        rule: TEST_FAILED,
        severity: 'error',
        message: `expr ${failure.target} at ${formatTime(failure.evalMs)}: ${detail}`,
        where: expectation?.where ?? test.where,
        subject: test.name,
      });
    } else {
      diagnostics.push({ rule: TEST_FAILED, severity: 'error', message: `the test failed in promtool: ${detail}`, where: test.where, subject: test.name });
    }
  }
  return diagnostics;
}

/**
 * The test a failure belongs to. promtool names the group before its alert failures, not
 * always before its expression failures (2.42), so a name may be left over from an earlier
 * group: the expectation that failed decides, the name only between equal expectations.
 */
function testOf(failure: PromtoolFailure, tests: readonly RuleTestModel[]): RuleTestModel | undefined {
  const inFile = tests.filter((t) => path.basename(t.outputFile) === path.basename(failure.file));
  const named = inFile.find((t) => t.name === failure.test);
  if (failure.kind === 'group') return named;
  const has = (t: RuleTestModel) =>
    failure.kind === 'alert' ? t.alerts.some((a) => a.alertname === failure.target && a.evalMs === failure.evalMs) : t.exprs.some((e) => e.expr === failure.target && e.evalMs === failure.evalMs);
  const candidates = inFile.filter(has);
  return named && candidates.includes(named) ? named : (candidates[0] ?? named);
}

function formatTime(ms: number | undefined): string {
  if (ms === undefined) return '?';
  if (ms === 0) return '0s';
  const parts: string[] = [];
  let rest = ms;
  for (const [unit, size] of [
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
  ] as const) {
    if (rest >= size) {
      parts.push(`${Math.floor(rest / size)}${unit}`);
      rest %= size;
    }
  }
  if (rest > 0) parts.push(`${rest}ms`);
  return parts.join('');
}

/** promtool's exp/got block in one line: `expected [..], got [..]`. */
function summarizeDetail(detail: readonly string[]): string {
  const text = detail.join(' ').replace(/\s+/g, ' ');
  const alerts = /^exp:\[(.*)\], got:\[(.*)\]$/.exec(text);
  if (alerts) {
    const [expected, got] = [alertList(alerts[1]!), alertList(alerts[2]!)];
    // Annotations that agree only lengthen the line.
    const same = expected.length === got.length && expected.every((item, i) => item.annotations === got[i]!.annotations);
    const show = (list: typeof expected) =>
      list.length === 0
        ? 'no alert'
        : `${list.length === 1 ? '' : `${list.length} alerts: `}${list.map((a) => (same || a.annotations === '{}' ? a.labels : `${a.labels} annotations ${a.annotations}`)).join('; ')}`;
    return `expected ${show(expected)}, got ${show(got)}`;
  }
  const samples = /^exp: (.*) got: (.*)$/.exec(text);
  if (samples) return `expected ${samples[1]!.trim()}, got ${samples[2]!.trim()}`;
  return text || 'failed';
}

function alertList(text: string): Array<{ labels: string; annotations: string }> {
  return text
    .split(/\s*\d+:\s*(?=Labels:)/)
    .map((item) => item.trim().replace(/,$/, ''))
    .filter(Boolean)
    .map((item) => {
      const match = /^Labels:(\{.*?\})\s*Annotations:(\{.*\})$/.exec(item);
      return match ? { labels: match[1]!, annotations: match[2]! } : { labels: item, annotations: '{}' };
    });
}
