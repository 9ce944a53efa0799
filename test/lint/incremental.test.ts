import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { lintCompiled, runLint } from '../../src/commands/lint.js';
import { loadAndCompile } from '../../src/commands/project.js';
import { LintMemo } from '../../src/lint/engine.js';
import { ALL_RULES } from '../../src/lint/rules/index.js';
import type { Diagnostic } from '../../src/model/diagnostic.js';
import { resolveDiagnostics } from '../../src/report/resolve.js';
import { SourceIndex } from '../../src/source/source-index.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

// @ts-expect-error the bench's generator is plain JavaScript
const { generateTree } = (await import('../../bench/generate.js')) as { generateTree: (dir: string, shape: Record<string, number>) => void };

/**
 * The oracle of incremental lint: one memo is carried through a sequence of edits of a project, and
 * after each, lint with it must give exactly what a lint with no memo gives, item for item and in
 * order (locations as resolved for the report, and the diagnostics themselves). Each step also says
 * which systems the `facts` rules had to run over again, so reuse is checked to happen, and whether
 * the lint's findings change, so a step cannot pass by testing nothing.
 */
interface Step {
  name: string;
  edit: (dir: string) => void;
  /** Systems `container` rules run over again (the edited ones). */
  container: string[];
  /** Systems `facts` rules run over again: the edited ones, or every one when a fact changed. */
  facts: string[] | 'all';
  /** Whether a full lint's findings differ from the previous step's. */
  changes: boolean;
}

interface Scenario {
  name: string;
  setup: () => string;
  /** What mon-lint is given (none: the project's definitions, as mon-build lints them). */
  paths: string[];
  steps: Step[];
}

function replace(dir: string, file: string, from: string, to: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  writeFileSync(full, text.replace(from, to));
}

const RUNBOOK = 'https://runbooks.example.com/page';

const CROSS: Record<string, string> = {
  'a/rules.yml': `groups:
  - name: a
    rules:
      - record: job:a_requests:rate5m
        expr: sum by (job) (rate(http_requests_total{job="a"}[5m]))
      - alert: AHigh
        expr: job:a_requests:rate5m > 100
        for: 5m
        labels: { severity: warning }
        annotations: { summary: high, description: many requests, runbook_url: ${RUNBOOK} }
`,
  'b/rules.yml': `groups:
  - name: b
    rules:
      - alert: ALow
        expr: job:a_requests:rate5m < 1
        for: 10m
        labels: { severity: critical, team: b }
        annotations: { summary: "{{ $labels.instance }} is quiet", description: few requests, runbook_url: ${RUNBOOK} }
      # mon-lint disable runbook/missing -- the vendor owns it
      - alert: BDown
        expr: up{job="b"} == 0
        for: 5m
        labels: { severity: critical, team: b }
        annotations: { summary: down, description: b is down }
`,
  'a/board.json': JSON.stringify(
    {
      uid: 'shared',
      title: 'A board',
      panels: [
        {
          type: 'timeseries',
          title: 'Requests',
          gridPos: { x: 0, y: 0, w: 12, h: 8 },
          fieldConfig: { defaults: { unit: 'reqps' } },
          targets: [{ expr: 'sum(rate(http_requests_total{job="a"}[5m]))' }],
        },
      ],
    },
    null,
    2,
  ),
  'c/board.json': JSON.stringify(
    {
      uid: 'shared',
      title: 'C board',
      panels: [
        { type: 'timeseries', title: 'Requests', gridPos: { x: 0, y: 0, w: 12, h: 8 }, fieldConfig: { defaults: { unit: 'reqps' } }, targets: [{ expr: 'sum by (job) (job:a_requests:rate5m)' }] },
      ],
    },
    null,
    2,
  ),
  'am/alertmanager.yml': `route:
  receiver: default
  routes:
    - receiver: team-c
      matchers: ['team="c"']
receivers:
  - name: default
  - name: team-c
`,
};

const SEED_DASHBOARD = 'definitions/agent-api/dashboards.ts';

const EXTRA_ALERT = `import { alertRule, ruleGroup } from 'moncode';
export default ruleGroup({
  name: 'extra',
  rules: [
    alertRule({
      alert: 'CpuBusy',
      expr: 'instance:node_cpu_utilization:rate5m > 0.9',
      for: '10m',
      labels: { severity: 'warning' },
      annotations: { summary: '{{ $labels.job }} is busy', description: 'CPU over 90%', runbook_url: '${RUNBOOK}' },
    }),
  ],
});
`;

const scenarios: Scenario[] = [
  {
    name: 'systems that read each other (YAML files)',
    setup: () => makeProject(CROSS),
    paths: ['.'],
    steps: [
      // dashboard/duplicate-uid (a `project` rule) names the other dashboard by its title.
      { name: 'a dashboard title in a', edit: (dir) => replace(dir, 'a/board.json', '"A board"', '"A front board"'), container: ['a'], facts: ['a'], changes: true },
      {
        name: "a's recording rule keeps the label b's alert template reads",
        edit: (dir) => replace(dir, 'a/rules.yml', 'sum by (job) (rate', 'sum by (job, instance) (rate'),
        container: ['a'],
        facts: 'all',
        changes: true,
      },
      {
        name: 'a suppression in b that silences nothing now',
        edit: (dir) => replace(dir, 'b/rules.yml', '      - alert: ALow', '      # mon-lint disable label/template-missing -- instance comes back soon\n      - alert: ALow'),
        container: ['b'],
        facts: ['b'],
        changes: true,
      },
      {
        name: 'the recording rule drops the label again: the suppression in b, unchanged, is used',
        edit: (dir) => replace(dir, 'a/rules.yml', 'sum by (job, instance) (rate', 'sum by (job) (rate'),
        container: ['a'],
        facts: 'all',
        changes: true,
      },
      {
        name: "b's alerts move to team c, which the route in am matches",
        edit: (dir) => replace(dir, 'b/rules.yml', 'team: b }\n        annotations: { summary: "', 'team: c }\n        annotations: { summary: "'),
        container: ['b'],
        facts: ['b'],
        changes: true,
      },
      {
        name: 'a catalog in a says the requests counter is a gauge',
        edit: (dir) => writeFileSync(path.join(dir, 'a/metrics.prom'), '# TYPE http_requests_total gauge\nhttp_requests_total{job="a"} 3\n'),
        container: [],
        facts: 'all',
        changes: true,
      },
      // BDown's runbook/missing, found before and reused, still uses b's suppression.
      { name: 'lines added above the rules of b, which say the same', edit: (dir) => replace(dir, 'b/rules.yml', 'groups:\n', '# moved down\n\ngroups:\n'), container: [], facts: [], changes: true },
      { name: "c's dashboard deleted, and its uid a's used too", edit: (dir) => rmSync(path.join(dir, 'c/board.json')), container: [], facts: [], changes: true },
      {
        name: 'the rule a disabled rule left unused',
        edit: (dir) => replace(dir, 'b/rules.yml', 'runbook/missing -- the vendor owns it', 'runbook/missing'),
        container: ['b'],
        facts: ['b'],
        changes: true,
      },
    ],
  },
  {
    name: "the seed project (this repository's definitions/)",
    setup: () => {
      const root = makeProject({});
      mkdirSync(path.join(root, '.git'));
      for (const part of ['definitions', 'docs/runbooks', 'mon.config.ts']) cpSync(path.join(REPO_ROOT, part), path.join(root, part), { recursive: true });
      return root;
    },
    paths: [],
    steps: [
      { name: 'a dashboard title', edit: (dir) => replaceFirstTitle(dir, SEED_DASHBOARD), container: ['agent-api'], facts: ['agent-api'], changes: false },
      {
        name: "an alert in toolboxai over bot-core's recorded CPU, reading a label the recording drops",
        edit: (dir) => writeFileSync(path.join(dir, 'definitions/toolboxai/extra.ts'), EXTRA_ALERT),
        container: ['toolboxai'],
        facts: ['toolboxai'],
        changes: true,
      },
      {
        name: "bot-core's recording keeps the label",
        edit: (dir) => replace(dir, 'definitions/bot-core/alerts.ts', 'avg by (instance) (rate(node_cpu_seconds_total', 'avg by (instance, job) (rate(node_cpu_seconds_total'),
        container: ['bot-core'],
        facts: 'all',
        changes: true,
      },
      {
        name: "a dashboard in alfred-platform with freeagentics' uid",
        edit: (dir) =>
          writeFileSync(
            path.join(dir, 'definitions/alfred-platform/copy.ts'),
            `import { dashboard } from 'moncode';\nexport default dashboard({ uid: 'freeagentics-system-overview', title: 'Copy', panels: [] });\n`,
          ),
        container: ['alfred-platform'],
        facts: ['alfred-platform'],
        changes: true,
      },
    ],
  },
  {
    name: "the bench's generated tree, small",
    setup: () => {
      const root = makeProject({ 'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n` });
      generateTree(root, { systems: 3, dashboardsPerSystem: 1, panels: 5, groupsPerSystem: 1, rules: 8 });
      writeFileSync(path.join(root, 'mon.config.ts'), `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`);
      return root;
    },
    paths: [],
    steps: [
      {
        name: 'a dashboard title',
        edit: (dir) => replace(dir, 'definitions/svc001/dashboard-0.ts', "title: 'svc001 dashboard 0'", "title: 'svc001 board'"),
        container: ['svc001'],
        facts: ['svc001'],
        changes: true,
      },
      {
        name: 'a recording rule',
        edit: (dir) => replace(dir, 'definitions/svc002/rules-0.ts', "labels: { team: 'svc002' }", "labels: { team: 'svc002', tier: 'x' }"),
        container: ['svc002'],
        facts: 'all',
        changes: false,
      },
    ],
  },
];

/** The seed dashboard's first title, changed: what a user edits most. */
function replaceFirstTitle(dir: string, file: string): void {
  const full = path.join(dir, file);
  const text = readFileSync(full, 'utf8');
  const found = /title: '([^']+)'/.exec(text);
  if (!found) throw new Error(`${file} has no title`);
  writeFileSync(full, text.replace(found[0], `title: '${found[1]} (edited)'`));
}

/** A diagnostic as data: `seq` (the order a definition object was made in, a loading detail) left out. */
function plain(diagnostics: Diagnostic[]): unknown {
  return JSON.parse(JSON.stringify(diagnostics, (key, value: unknown) => (key === 'seq' ? undefined : value)));
}

/** mon-lint of files, twice; or mon-build's lint of the project's definitions, loaded once and linted twice. */
async function lintBoth(dir: string, paths: string[], memo: LintMemo) {
  let incremental: { diagnostics: Diagnostic[] };
  let full: { diagnostics: Diagnostic[] };
  if (paths.length > 0) {
    incremental = await runLint({ cwd: dir, paths, memo });
    full = await runLint({ cwd: dir, paths, memo: false });
  } else {
    const { project, compiled, diagnostics } = await loadAndCompile({ cwd: dir });
    if (!compiled) throw new Error(`the project does not compile: ${JSON.stringify(diagnostics[0])}`);
    incremental = { diagnostics: lintCompiled(project, compiled, dir, undefined, memo) };
    full = { diagnostics: lintCompiled(project, compiled, dir) };
  }
  const report = (diagnostics: Diagnostic[]) => resolveDiagnostics(diagnostics, new SourceIndex(), dir);
  return { incremental, full, reported: { incremental: report(incremental.diagnostics), full: report(full.diagnostics) } };
}

describe('incremental lint gives what a full lint gives', () => {
  it.each(scenarios.map((s) => [s.name, s]))('%s', async (_name, scenario) => {
    const dir = scenario.setup();
    const memo = new LintMemo();
    let previous = await lintBoth(dir, scenario.paths, memo);
    expect(plain(previous.incremental.diagnostics)).toEqual(plain(previous.full.diagnostics));
    const systems = [...memo.systems.keys()].sort();
    for (const step of scenario.steps) {
      step.edit(dir);
      const now = await lintBoth(dir, scenario.paths, memo);
      if (process.env.SHOW)
        console.log(
          step.name,
          now.reported.full.map((d) => `${d.file}:${d.line}:${d.column} ${d.rule} ${d.message}`),
        );
      expect(plain(now.incremental.diagnostics), step.name).toEqual(plain(now.full.diagnostics));
      expect(now.reported.incremental, step.name).toEqual(now.reported.full);
      expect([...memo.linted.container].sort(), `${step.name}: container rules ran over`).toEqual(step.container);
      const present = [...memo.systems.keys()].sort();
      expect([...memo.linted.facts].sort(), `${step.name}: facts rules ran over`).toEqual(step.facts === 'all' ? present : step.facts);
      expect(JSON.stringify(now.reported.full) !== JSON.stringify(previous.reported.full), `${step.name}: changes the findings`).toBe(step.changes);
      previous = now;
    }
    expect(systems.length).toBeGreaterThan(1);
  });
});

describe('the rule registry for incremental lint', () => {
  it('gives every rule a scope', () => {
    expect(ALL_RULES.filter((rule) => !['container', 'facts', 'project'].includes(rule.meta.scope)).map((rule) => rule.meta.id)).toEqual([]);
  });
});
