import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { build, type BuildResult } from '../../src/commands/build.js';
import { checkGoTemplate } from '../../src/promql/go-template.js';
import { templateFunctions, templateSyntaxOf } from '../../src/promql/versions.js';
import { makeProject } from '../helpers/project.js';
import { execFile } from 'node:child_process';
import { requireTool } from '../helpers/tools.js';

/**
 * Agreement with the real validators: seeded random definitions varying templates,
 * PromQL functions, metric and label names, durations, target versions and secret file
 * paths. Every definition moncode builds clean must load (`promtool check rules`,
 * `amtool check-config` on what moncode wrote), and every one the validator rejects must
 * fail the build at a location in that definition.
 *
 * Debian's promtool is 2.42 and amtool 0.25: they judge a definition only where its
 * target would judge it as 2.42 does (the target is 2.42, or nothing in the definition
 * depends on the version). The rest is left to moncode's own tables.
 */

const SEED = 20261202;
const RULE_CASES = 620;
const ALERTMANAGER_CASES = 60;

function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Features = readonly string[];
interface Target {
  version: string;
  features: Features;
}

const [major, minor] = [(v: string) => Number(v.split('.')[0]), (v: string) => Number(v.split('.')[1])];
const atLeast = (v: string, since: string): boolean => major(v) > major(since) || (major(v) === major(since) && minor(v) >= minor(since));
const ORACLE: Target = { version: '2.42', features: [] };

/** Whether a construct loads in a target: from Prometheus' sources, written here apart from moncode's tables. */
type Loads = (target: Target) => boolean;
const always: Loads = () => true;
const never: Loads = () => false;
const since =
  (version: string): Loads =>
  (t) =>
    atLeast(t.version, version);
const experimental =
  (version: string, stableIn?: string): Loads =>
  (t) =>
    atLeast(t.version, version) && (t.features.includes('promql-experimental-functions') || (stableIn !== undefined && atLeast(t.version, stableIn)));
const flagged =
  (version: string, flag: string, defaultIn?: string): Loads =>
  (t) =>
    atLeast(t.version, version) && (t.features.includes(flag) || (defaultIn !== undefined && atLeast(t.version, defaultIn)));
const removedIn =
  (version: string): Loads =>
  (t) =>
    !atLeast(t.version, version);

const EXPRESSIONS: Array<[string, Loads]> = [
  ['rate(http_requests_total[5m]) > 1', always],
  ['rate(http_requests_total[5m]) > 1', always],
  ['up == 0', always],
  ['avg_over_time(queue_depth[10m]) > 100', always],
  ['up == 0', always],
  ['sum by (job) (rate(http_requests_total{status=~"5.."}[5m])) / sum by (job) (rate(http_requests_total[5m])) > 0.05', always],
  ['histogram_quantile(0.99, sum by (le) (rate(h_bucket[5m]))) > 1', always],
  ['sort_by_label(up, "job") == 0', experimental('2.49')],
  ['sort_by_label_desc(up, "job") == 0', experimental('2.49')],
  ['mad_over_time(up[10m]) > 1', experimental('2.49')],
  ['histogram_avg(rate(h[5m])) > 1', since('2.51')],
  ['histogram_stddev(rate(h[5m])) > 1', since('2.47')],
  ['histogram_count(rate(h[5m])) > 1', since('2.40')],
  ['holt_winters(up[10m], 0.5, 0.5) > 1', removedIn('3.0')],
  ['double_exponential_smoothing(up[10m], 0.5, 0.5) > 1', experimental('3.0')],
  ['limitk(2, up) > 0', experimental('2.54')],
  ['limit_ratio(0.5, up) > 0', experimental('2.54')],
  ['first_over_time(up[5m]) > 1', experimental('3.7', '3.14')],
  ['day_of_year() > 100', since('2.36')],
  ['{"http.server.duration"} > 1', since('3.0')],
  ['sum by ("k8s.pod") (up) > 1', since('3.0')],
  ['rate(x_total[300]) > 1', since('2.54')],
  ['x offset 300 > 1', since('2.54')],
  ['rate(x_total[5m+1m]) > 1', flagged('3.4', 'promql-duration-expr', '3.14')],
  ['increase(x_total[5m] anchored) > 1', flagged('3.7', 'promql-extended-range-selectors')],
  ['rate(x_total[293y]) > 1', never],
  ['rate(x_total[292y]) > 1', always],
  ['max_over_time(x[106752d]) > 1', never],
  ['x offset -5m > 1', always],
  ['x @ 100 > 1', always],
  ['rate(x_total[5m:30s]) > 1', always],
  ['sum(rate({job="api"} |= "error" [5m])) > 1', never],
  ['absent(up{job="api"})', always],
  ['clamp(x, 0, 1) > 0.5', always],
];

const DURATIONS = ['5m', '1h30m', '0s', '292y', '293y', '999999999999y', '9223372036s', '9223372037s', '106751d', '106752d', '15250w', '15251w', '2562047h', '2562048h'];
const NS_LIMIT = 2n ** 63n - 1n;
const UNIT_NS: Record<string, bigint> = { y: 31536000000000000n, w: 604800000000000n, d: 86400000000000n, h: 3600000000000n, m: 60000000000n, s: 1000000000n, ms: 1000000n };
const durationLoads = (text: string): boolean => {
  let total = 0n;
  for (const [, n, unit] of text.matchAll(/(\d+)(ms|[ywdhms])/g)) total += BigInt(n!) * UNIT_NS[unit!]!;
  return total <= NS_LIMIT;
};

const TEMPLATES = [
  '{{ $labels.job }} is down',
  'value {{ $value | humanize }}',
  '{{ if gt $value 1.0 }}high{{ else if eq $value 0.0 }}zero{{ else }}low{{ end }}',
  '{{ range $k, $v := $labels }}{{ $k }}={{ $v }} {{ end }}',
  '{{ with $labels.instance }}{{ . | stripPort }}{{ end }}',
  '{{- /* note */ -}} {{ printf "%.2f" $value }}',
  '{{ (index $labels "job") | toUpper }}',
  '{{ $x := 1 }}{{ $x }} {{ $externalLabels.cluster }}',
  "{{ `raw` }} {{ 0x1F }} {{ 1e3 }} {{ 'c' }}",
  '{{ humanizeDuration $value }} {{ humanizePercentage $value }}',
  '{{ with query "up" }}{{ . | first | value | humanize1024 }}{{ end }}',
  '{{ reReplaceAll "(.*):.*" "$1" $labels.instance }}',
  '{{ range query "up" | sortByLabel "instance" }}{{ .Labels.instance }} {{ end }}',
  '{{ if and (eq $labels.a "x") (ne $labels.b "y") }}both{{ end }}',
  '{{ $value | toTime }} {{ title $labels.job }} {{ stripDomain $labels.instance }}',
];
const INSERTIONS = ['}', '{', '(', ')', '"', '|', '$', '.', '-', ' ', 'x', '`', "'", '/*', ':=', '=', 'end', 'else', '{{', '}}', '{{ end }}', '{{ if . }}', ',', '0x', '1e999'];
const FUNCTIONS = [
  'humanizeSeconds',
  'toDuration',
  'now',
  'urlQueryEscape',
  'tmpl',
  'toTime',
  'stripDomain',
  'humanize',
  'title',
  'safeHtml',
  'parseDuration',
  'graphLink',
  'toUpperCase',
  'len',
  'slice',
];
/** Template functions newer than 2.42: a template using one is judged by promtool only on a 2.42 target. */
const NEWER_TEMPLATE = /\b(toDuration|now|urlQueryEscape)\b|else\s+with/;

interface RuleCase {
  index: number;
  target: Target;
  alert: boolean;
  name: string;
  expr: string;
  for?: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  /** Whether promtool 2.42 can judge it for its target (the same verdict at 2.42 as at the target). */
  judgeable: boolean;
}

const VERSIONS = ['2.42', '2.42', '2.42', '2.42', '2.42', '2.40', '2.49', '2.54', '3.0', '3.4', '3.7', '3.14'];

function makeRuleCases(next: () => number): RuleCase[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  const cases: RuleCase[] = [];
  for (let index = 0; index < RULE_CASES; index++) {
    const version = pick(VERSIONS);
    const features: string[] = [];
    if (next() < 0.3) features.push('promql-experimental-functions');
    if (next() < 0.15) features.push(pick(['promql-duration-expr', 'promql-extended-range-selectors']));
    const target = { version, features };
    const [expr, exprLoads] = pick(EXPRESSIONS);
    let judgeable = exprLoads(target) === exprLoads(ORACLE);
    const alert = next() < 0.85;
    const labels: Record<string, string> = { severity: 'info' };
    const annotations: Record<string, string> = {};
    const labelName = pick(['team', 'team', 'team_name', 'team.name', 'a-b', '_team']);
    if (next() < 0.4) {
      labels[labelName] = 'core';
      // UTF-8 label names load from 3.0 (the default utf8 validation scheme).
      if (/[.-]/.test(labelName)) judgeable &&= !atLeast(version, '3.0');
    }
    let duration: string | undefined;
    if (alert) {
      if (next() < 0.6) duration = next() < 0.6 ? pick(['5m', '10m', '1h30m', '0s']) : pick(DURATIONS);
      let template = pick(TEMPLATES);
      for (let m = next() < 0.5 ? 0 : 1 + Math.floor(next() * 2); m > 0; m--) template = mutate(template, next);
      annotations[next() < 0.5 ? 'summary' : 'description'] = template;
      if (next() < 0.3) labels.where = mutate(pick(['{{ $labels.instance }}', '{{ $labels.job | toUpper }}', 'fixed']), next);
      for (const text of [...Object.values(annotations), labels.where ?? '']) if (NEWER_TEMPLATE.test(text)) judgeable &&= version === '2.42';
      // Prometheus 2.40 lacks nothing the templates here use that 2.42 has.
    }
    const name = alert ? `Alert${index}` : pick([`job:requests:rate${index}`, `job.requests:rate${index}`, `job:requests{x}:rate${index}`]);
    if (!alert && name.includes('.')) judgeable &&= !atLeast(version, '3.0');
    cases.push({ index, target, alert, name, expr, for: duration, labels, annotations, judgeable });
  }
  return cases;
}

function mutate(template: string, next: () => number): string {
  const at = Math.floor(next() * (template.length + 1));
  const roll = next();
  if (roll < 0.35) return template.slice(0, at) + template.slice(at + 1);
  if (roll < 0.75) return template.slice(0, at) + INSERTIONS[Math.floor(next() * INSERTIONS.length)]! + template.slice(at);
  const words = [...template.matchAll(/\b(humanize\w*|toUpper|stripPort|printf|index|title|toTime|stripDomain|reReplaceAll|first|value|query|sortByLabel|and|eq|ne)\b/g)];
  if (words.length === 0) return template + '{{ end }}';
  const word = words[Math.floor(next() * words.length)]!;
  return template.slice(0, word.index) + FUNCTIONS[Math.floor(next() * FUNCTIONS.length)]! + template.slice(word.index + word[0].length);
}

interface AlertmanagerCase {
  index: number;
  secretPath: string;
  groupWait: string;
  repeatInterval: string;
}

function makeAlertmanagerCases(next: () => number): AlertmanagerCase[] {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)]!;
  return Array.from({ length: ALERTMANAGER_CASES }, (_, index) => ({
    index,
    secretPath: pick(['/run/secrets/pd', '/run/secrets/pd', 'secrets/pd', '', ' ']),
    groupWait: pick(['30s', '5m', '292y', '293y', '999999999999y']),
    repeatInterval: pick(['4h', '1d', '9223372037s', '9223372036s']),
  }));
}

const ts = (value: string): string => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'").replace(/\n/g, '\\n')}'`;
const tsObject = (map: Record<string, string>): string =>
  `{ ${Object.entries(map)
    .map(([k, v]) => `${ts(k)}: ${ts(v)}`)
    .join(', ')} }`;

function ruleSource(c: RuleCase): string {
  const fields = c.alert
    ? [`alert: ${ts(c.name)}`, `expr: ${ts(c.expr)}`, ...(c.for ? [`for: ${ts(c.for)}`] : []), `labels: ${tsObject(c.labels)}`, `annotations: ${tsObject(c.annotations)}`]
    : [`record: ${ts(c.name)}`, `expr: ${ts(c.expr)}`, `labels: ${tsObject(c.labels)}`];
  return `export const case${c.index} = ruleGroup({ name: 'g${c.index}', rules: [${c.alert ? 'alertRule' : 'recordingRule'}({ ${fields.join(', ')} })] });`;
}

/** The rule file the definition means, as promtool reads it. */
function ruleYaml(c: RuleCase): string {
  const rule: Record<string, unknown> = c.alert ? { alert: c.name, expr: c.expr } : { record: c.name, expr: c.expr };
  if (c.for) rule.for = c.for;
  rule.labels = c.labels;
  if (c.alert) rule.annotations = c.annotations;
  return stringifyYaml({ groups: [{ name: `g${c.index}`, rules: [rule] }] });
}

function alertmanagerSource(c: AlertmanagerCase): string {
  return [
    `import { alertmanager, fromFile, receiver } from 'moncode';`,
    `const pager = receiver({ name: 'pager', pagerduty_configs: [{ routing_key: fromFile(${ts(c.secretPath)}) }] });`,
    `export default alertmanager({ route: { receiver: pager, group_wait: ${ts(c.groupWait)}, repeat_interval: ${ts(c.repeatInterval)} } });`,
    '',
  ].join('\n');
}

function alertmanagerYaml(c: AlertmanagerCase): string {
  return stringifyYaml({
    route: { receiver: 'pager', group_wait: c.groupWait, repeat_interval: c.repeatInterval },
    receivers: [{ name: 'pager', pagerduty_configs: [{ routing_key_file: c.secretPath }] }],
  });
}

/** Lint rules about style and knowledge, not about whether the target loads the file. */
const OFF = [
  'label/template-missing',
  'label/template-value',
  'label/unknown',
  'label/vector-mismatch',
  'label/required',
  'label/route-unmatched',
  'runbook/missing',
  'runbook/unresolved',
  'alert/annotation-missing',
  'alert/no-condition',
  'promql/unit-mismatch',
  'promql/counter-rate',
  'promql/range-too-short',
  'promql/quantile-le',
  'record/naming',
  'rule/duplicate',
];

/** Per-file verdicts of one promtool or amtool run over many files. */
async function verdicts(tool: string, args: string[], files: string[]): Promise<Map<string, { ok: boolean; output: string }>> {
  const result = new Map<string, { ok: boolean; output: string }>();
  for (let start = 0; start < files.length; start += 200) {
    const batch = files.slice(start, start + 200);
    const { stdout, stderr } = await new Promise<{ stdout: string; stderr: string }>((resolve) => {
      execFile(tool, [...args, ...batch], { encoding: 'utf8', maxBuffer: 1 << 26 }, (_error, stdout, stderr) => resolve({ stdout, stderr }));
    });
    // The verdict of each file is on standard output ("Checking <file>" then SUCCESS or FAILED); details go to standard error.
    for (const block of stdout.split(/^Checking /m).slice(1)) {
      const file = batch.find((f) => block.startsWith(`${f}\n`) || block.startsWith(`'${f}'`));
      if (!file) continue;
      const details = stderr.split('\n').filter((line) => line.startsWith(`${file}:`) || line.includes(`'${file}'`));
      result.set(file, { ok: /SUCCESS/.test(block) && !/FAILED/.test(block), output: [block.trim(), ...details].join('\n') });
    }
    for (const file of batch) if (!result.has(file)) result.set(file, { ok: false, output: `${stdout}${stderr}`.slice(0, 400) });
  }
  return result;
}

interface Outcome {
  built: BuildResult;
  dir: string;
  ruleCases: RuleCase[];
  amCases: AlertmanagerCase[];
  /** The line span of each rule case in its definitions file. */
  lineOf: Map<number, { file: string; line: number }>;
}

async function buildAll(): Promise<Outcome> {
  const next = random(SEED);
  const ruleCases = makeRuleCases(next);
  const amCases = makeAlertmanagerCases(next);
  const targets = new Map<string, RuleCase[]>();
  for (const c of ruleCases) {
    const key = `${c.target.version}|${c.target.features.join(',')}`;
    targets.set(key, [...(targets.get(key) ?? []), c]);
  }
  const files: Record<string, string> = {};
  const systems: string[] = [];
  const lineOf = new Map<number, { file: string; line: number }>();
  [...targets.entries()].forEach(([key, cases], s) => {
    const [version, features] = key.split('|');
    systems.push(`    t${s}: { prometheus: { version: '${version}', features: ${JSON.stringify(features ? features.split(',') : [])} } },`);
    const file = `definitions/t${s}/rules.ts`;
    const lines = [`import { alertRule, recordingRule, ruleGroup } from 'moncode';`, ''];
    for (const c of cases) {
      lineOf.set(c.index, { file, line: lines.length + 1 });
      lines.push(ruleSource(c));
    }
    files[file] = `${lines.join('\n')}\n`;
  });
  for (const c of amCases) files[`definitions/am${c.index}/alertmanager.ts`] = alertmanagerSource(c);
  files['mon.config.ts'] = [
    `import { defineConfig } from 'moncode';`,
    `export default defineConfig({`,
    `  systems: {`,
    ...systems,
    `  },`,
    `  lint: { rules: { ${OFF.map((id) => `'${id}': 'off'`).join(', ')} } },`,
    `});`,
    '',
  ].join('\n');
  const dir = makeProject(files);
  const built = await build({ cwd: dir, check: true });
  return { built, dir, ruleCases, amCases, lineOf };
}

describe('agreement with promtool and amtool', () => {
  const promtool = requireTool('promtool');
  const amtool = requireTool('amtool');

  it.skipIf(!promtool || !amtool)(
    `${RULE_CASES} rule definitions and ${ALERTMANAGER_CASES} Alertmanager definitions, seed ${SEED}`,
    async () => {
      const { built, dir, ruleCases, amCases, lineOf } = await buildAll();
      // Type errors would stop the build before compiling: the generator writes only well-typed definitions.
      expect(built.diagnostics.filter((d) => d.rule === 'typescript').map((d) => d.message)).toEqual([]);
      const errors = built.diagnostics.filter((d) => d.severity === 'error');
      for (const d of errors) expect(d.file && d.line! > 0 && d.column! > 0, `${d.rule}: ${d.message} has no location`).toBeTruthy();

      const oracleDir = path.join(dir, 'oracle');
      const builtDir = path.join(dir, 'built');
      mkdirSync(oracleDir);
      mkdirSync(builtDir);

      // What moncode wrote, split into one file per group so that each case is judged on its own.
      const groupsOut = new Map<string, unknown>();
      for (const output of built.outputs) {
        if (!output.path.startsWith('prometheus/rules/')) continue;
        for (const group of (parseYaml(output.content) as { groups: Array<{ name: string }> }).groups) groupsOut.set(group.name, group);
      }
      const amOut = new Map<number, string>();
      for (const output of built.outputs) {
        const system = /^alertmanager\/am(\d+)\/alertmanager\.yml$/.exec(output.path)?.[1];
        if (system !== undefined) amOut.set(Number(system), output.content);
      }

      const ruleRejected = (c: RuleCase): boolean => {
        const at = lineOf.get(c.index)!;
        return errors.some((d) => d.file?.endsWith(at.file) && d.line === at.line);
      };
      const amRejected = (c: AlertmanagerCase): boolean => errors.some((d) => d.file?.endsWith(`definitions/am${c.index}/alertmanager.ts`));

      const ruleIntent = ruleCases.map((c) => {
        const file = path.join(oracleDir, `rule${c.index}.yml`);
        writeFileSync(file, ruleYaml(c));
        return file;
      });
      const ruleBuilt = new Map<number, string>();
      for (const c of ruleCases) {
        if (ruleRejected(c)) continue;
        const group = groupsOut.get(`g${c.index}`);
        expect(group, `case ${c.index} built clean but its group is not in the output`).toBeDefined();
        const file = path.join(builtDir, `rule${c.index}.yml`);
        writeFileSync(file, stringifyYaml({ groups: [group] }));
        ruleBuilt.set(c.index, file);
      }
      const amIntent = amCases.map((c) => {
        const file = path.join(oracleDir, `am${c.index}.yml`);
        writeFileSync(file, alertmanagerYaml(c));
        return file;
      });
      const amBuilt = new Map<number, string>();
      for (const c of amCases) {
        if (amRejected(c)) continue;
        const file = path.join(builtDir, `am${c.index}.yml`);
        writeFileSync(file, amOut.get(c.index)!);
        amBuilt.set(c.index, file);
      }

      const [promIntent, promBuilt, amtoolIntent, amtoolBuilt] = await Promise.all([
        verdicts(promtool!, ['check', 'rules'], ruleIntent),
        verdicts(promtool!, ['check', 'rules'], [...ruleBuilt.values()]),
        verdicts(amtool!, ['check-config'], amIntent),
        verdicts(amtool!, ['check-config'], [...amBuilt.values()]),
      ]);

      const disagreements: string[] = [];
      let judged = 0;
      let agreed = 0;
      // Every clean build loads: promtool on moncode's own output, whatever the target (what 2.42 rejects, a newer target
      // may take — but nothing moncode builds clean here uses more than the target allows, so 2.42 judges the 2.42-judgeable ones).
      for (const c of ruleCases) {
        const built = ruleBuilt.get(c.index);
        if (built && c.judgeable && !promBuilt.get(built)!.ok) disagreements.push(`rule case ${c.index} built clean but promtool rejects moncode's output: ${promBuilt.get(built)!.output}`);
        if (!c.judgeable) continue;
        judged++;
        const oracleOk = promIntent.get(ruleIntent[c.index]!)!.ok;
        const moncodeOk = !ruleRejected(c);
        if (oracleOk === moncodeOk) agreed++;
        else
          disagreements.push(
            `rule case ${c.index} (target ${c.target.version} ${c.target.features.join(',')}): promtool ${oracleOk ? 'accepts' : 'rejects'}, moncode ${moncodeOk ? 'accepts' : 'rejects'}\n${ruleYaml(c)}${oracleOk ? '' : promIntent.get(ruleIntent[c.index]!)!.output}`,
          );
      }
      for (const c of amCases) {
        const built = amBuilt.get(c.index);
        if (built && !amtoolBuilt.get(built)!.ok) disagreements.push(`Alertmanager case ${c.index} built clean but amtool rejects moncode's output: ${amtoolBuilt.get(built)!.output}`);
        // A path of blanks is set as far as amtool can tell; Alertmanager fails only when it reads the file. moncode refuses it.
        if (c.secretPath !== '' && c.secretPath.trim() === '') continue;
        judged++;
        const oracleOk = amtoolIntent.get(amIntent[c.index]!)!.ok;
        const moncodeOk = !amRejected(c);
        if (oracleOk === moncodeOk) agreed++;
        else disagreements.push(`Alertmanager case ${c.index}: amtool ${oracleOk ? 'accepts' : 'rejects'}, moncode ${moncodeOk ? 'accepts' : 'rejects'}\n${alertmanagerYaml(c)}`);
      }
      const rejectedByOracle =
        ruleCases.filter((c) => c.judgeable && !promIntent.get(ruleIntent[c.index]!)!.ok).length +
        amCases.filter((c) => (c.secretPath === '' || c.secretPath.trim() !== '') && !amtoolIntent.get(amIntent[c.index]!)!.ok).length;
      console.log(
        `agreement: ${RULE_CASES + ALERTMANAGER_CASES} definitions (seed ${SEED}), ${judged} judged by promtool 2.42 / amtool 0.25 (${rejectedByOracle} of them rejected), ${agreed} agree; ` +
          `${RULE_CASES - ruleCases.filter((c) => c.judgeable).length} use what only a newer target can judge; ${ruleBuilt.size + amBuilt.size} built clean and were loaded`,
      );
      expect(disagreements).toEqual([]);
      expect(judged).toBeGreaterThanOrEqual(500);
      // Both verdicts occur often enough for the agreement to mean something.
      expect(rejectedByOracle).toBeGreaterThan(100);
      expect(judged - rejectedByOracle).toBeGreaterThan(100);
    },
    600_000,
  );

  it.skipIf(!promtool)(
    "template/syntax gives promtool 2.42's verdict on 2,000 mutated templates",
    async () => {
      const next = random(SEED + 1);
      const syntax = { functions: templateFunctions('2.42'), variables: ['labels', 'externalLabels', 'externalURL', 'value'], ...templateSyntaxOf('2.42') };
      const pieces = [...INSERTIONS, '*/', '\\', '\n', '{{-', '-}}', 'range', 'with', 'define', 'break', '$x', '.Foo', 'nil', 'true', '08', "'a'", '_', '"b"'];
      const templates = Array.from({ length: 2000 }, () => {
        let text = TEMPLATES[Math.floor(next() * TEMPLATES.length)]!;
        for (let m = 1 + Math.floor(next() * 3); m > 0; m--) {
          const at = Math.floor(next() * (text.length + 1));
          text = next() < 0.4 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + pieces[Math.floor(next() * pieces.length)]! + text.slice(at);
        }
        return text;
      });
      const dir = makeProject({});
      const files = templates.map((text, i) => {
        const file = path.join(dir, `t${i}.yml`);
        writeFileSync(file, stringifyYaml({ groups: [{ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', annotations: { a: text } }] }] }));
        return file;
      });
      const judged = await verdicts(promtool!, ['check', 'rules'], files);
      const disagreements = templates.flatMap((text, i) => {
        const oracleOk = judged.get(files[i]!)!.ok;
        const fault = checkGoTemplate(text, syntax);
        return oracleOk === !fault ? [] : [`${JSON.stringify(text)}: promtool ${oracleOk ? 'accepts' : 'rejects'}, moncode ${fault ? `rejects (${fault.message})` : 'accepts'}`];
      });
      const accepted = files.filter((f) => judged.get(f)!.ok).length;
      console.log(`template agreement: ${templates.length} mutated templates, ${accepted} accepted by promtool 2.42, ${templates.length - disagreements.length} agree`);
      expect(disagreements).toEqual([]);
      expect(accepted).toBeGreaterThan(200);
      expect(templates.length - accepted).toBeGreaterThan(200);
    },
    300_000,
  );
});
