import { describe, expect, it } from 'vitest';
import { build, type BuildResult } from '../../src/commands/build.js';
import { grafanaProvisioningProblems } from '../helpers/grafana-provisioning.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

// Every system's provisioning mounted into one Grafana (out/grafana/provisioning as its provisioning
// folder, out/grafana/dashboards at the default dashboardsPath), checked against Grafana's
// provisioning rules (test/helpers/grafana-provisioning.ts says which, and where they come from).
const DASHBOARDS_PATH = '/var/lib/grafana/dashboards';
const filesOf = (result: BuildResult): Record<string, string> => Object.fromEntries(result.outputs.map((o) => [o.path, o.content]));

let repo: Promise<BuildResult> | undefined;
const repoBuild = (): Promise<BuildResult> => (repo ??= build({ cwd: REPO_ROOT, check: true }));

describe('one Grafana for the five seed systems', () => {
  it('loads the provisioning of all five systems together without a conflict', async () => {
    const result = await repoBuild();
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const files = filesOf(result);
    const systems = ['agent-api', 'alfred-platform', 'bot-core', 'freeagentics', 'toolboxai'];
    for (const system of systems) {
      expect(Object.keys(files)).toContain(`grafana/provisioning/datasources/${system}.yaml`);
      expect(Object.keys(files)).toContain(`grafana/provisioning/dashboards/${system}.yaml`);
    }
    expect(grafanaProvisioningProblems(files, DASHBOARDS_PATH)).toEqual([]);
    const defaults = Object.entries(files).filter(([file, text]) => file.includes('/datasources/') && text.includes('isDefault: true'));
    expect(defaults.map(([file]) => file)).toEqual(['grafana/provisioning/datasources/agent-api.yaml']);
  }, 120_000);

  // The checker is the oracle: each breakage of one rule must be caught in the otherwise clean composition.
  it.each<[string, (files: Record<string, string>) => void, string]>([
    [
      'a second default datasource',
      (f) => (f['grafana/provisioning/datasources/bot-core.yaml'] = f['grafana/provisioning/datasources/bot-core.yaml']!.replace('editable: false\n', 'isDefault: true\n    editable: false\n')),
      'only one datasource per organization can be marked as default',
    ],
    [
      'a datasource name two systems use',
      (f) => (f['grafana/provisioning/datasources/bot-core.yaml'] = f['grafana/provisioning/datasources/bot-core.yaml']!.replace('name: bot-core Loki', 'name: agent-api Loki')),
      'datasource name "agent-api Loki"',
    ],
    [
      'a datasource uid two systems use',
      (f) => (f['grafana/provisioning/datasources/bot-core.yaml'] = f['grafana/provisioning/datasources/bot-core.yaml']!.replace('uid: bot-core-loki', 'uid: agent-api-loki')),
      'datasource uid "agent-api-loki"',
    ],
    [
      'providers over one shared path (the layout before)',
      (f) => {
        for (const file of Object.keys(f).filter((p) => p.startsWith('grafana/provisioning/dashboards/'))) {
          f[file] = f[file]!.replace(/ {4}folder: .*\n/, '').replace(/path: .*/, `path: ${DASHBOARDS_PATH}\n      foldersFromFilesStructure: true`);
        }
      },
      'the same uid is used more than once',
    ],
    [
      'a folder with foldersFromFilesStructure',
      (f) => (f['grafana/provisioning/dashboards/bot-core.yaml'] = f['grafana/provisioning/dashboards/bot-core.yaml']!.replace(/path: .*/, '$&\n      foldersFromFilesStructure: true')),
      "'folder' and 'folderUID' should be empty",
    ],
    ['a dashboard datasource nobody provisions', (f) => delete f['grafana/provisioning/datasources/toolboxai.yaml'], 'datasource uid "toolboxai-prometheus" is not provisioned'],
  ])('the composition check catches %s', async (_name, breakIt, problem) => {
    const files = filesOf(await repoBuild());
    breakIt(files);
    expect(grafanaProvisioningProblems(files, DASHBOARDS_PATH).join('\n')).toContain(problem);
  });
});

const CONFIG = (grafana = ''): string => `import { defineConfig } from 'moncode';\nexport default defineConfig({${grafana}\n});\n`;
const DS = (system: string, fields: string): string => `import { datasource } from 'moncode';\n\nexport const prometheus = datasource({ ${fields} });\n`;
const BOARD = (datasource: string, folder = ''): string =>
  `import { dashboard, prom, row, timeseries } from 'moncode';\n\nexport default dashboard({\n  title: 'Board',${folder}\n  rows: [row('R', [timeseries({ title: 'Up', unit: 'short', datasource: ${datasource}, targets: [prom('up')] })])],\n});\n`;

interface Case {
  name: string;
  files: Record<string, string>;
  /** The file the error is in, and the exact text it spans. */
  file: string;
  span: string;
  message: string;
}

const CASES: Case[] = [
  {
    name: 'two systems mark their datasource default, the config names none',
    files: {
      'mon.config.ts': CONFIG(),
      'definitions/a/ds.ts': DS('a', `name: 'A', type: 'prometheus', uid: 'a-prom', isDefault: true`),
      'definitions/b/ds.ts': DS('b', `name: 'B', type: 'prometheus', uid: 'b-prom', isDefault: true`),
    },
    file: 'definitions/b/ds.ts',
    span: 'isDefault: true',
    message: 'organisation 1 already has a default datasource, "A" of system a',
  },
  {
    name: 'the config names a default no system provisions',
    files: {
      'mon.config.ts': CONFIG(`\n  grafana: { defaultDatasource: 'c-prom' },`),
      'definitions/a/ds.ts': DS('a', `name: 'A', type: 'prometheus', uid: 'a-prom'`),
    },
    file: 'mon.config.ts',
    span: "defaultDatasource: 'c-prom'",
    message: 'grafana.defaultDatasource "c-prom" is the uid or name of no datasource',
  },
  {
    name: 'two systems name their datasources alike',
    files: {
      'mon.config.ts': CONFIG(),
      'definitions/a/ds.ts': DS('a', `name: 'Prometheus', type: 'prometheus', uid: 'a-prom'`),
      'definitions/b/ds.ts': DS('b', `name: 'Prometheus', type: 'prometheus', uid: 'b-prom'`),
    },
    file: 'definitions/b/ds.ts',
    span: "name: 'Prometheus'",
    message: 'datasource name "Prometheus" is also used by system a',
  },
  {
    name: 'two systems give their datasources one uid',
    files: {
      'mon.config.ts': CONFIG(),
      'definitions/a/ds.ts': DS('a', `name: 'A', type: 'prometheus', uid: 'prom'`),
      'definitions/b/ds.ts': DS('b', `name: 'B', type: 'prometheus', uid: 'prom'`),
    },
    file: 'definitions/b/ds.ts',
    span: "uid: 'prom'",
    message: 'datasource uid "prom" is also used by system a',
  },
  {
    name: "a name only another system's datasource has",
    files: {
      'mon.config.ts': CONFIG(),
      'definitions/a/ds.ts': DS('a', `name: 'A', type: 'prometheus', uid: 'a-prom'`),
      'definitions/b/ds.ts': DS('b', `name: 'B', type: 'prometheus', uid: 'b-prom'`),
      'definitions/b/board.ts': BOARD(`'A'`),
    },
    file: 'definitions/b/board.ts',
    span: "datasource: 'A'",
    message: 'unknown datasource "A": declared are "B"; system a declares one, but a name resolves only inside its own system',
  },
  {
    name: "a name that is one datasource's name and another's uid",
    files: {
      'mon.config.ts': CONFIG(),
      'definitions/a/ds.ts': `import { datasource } from 'moncode';\n\nexport const one = datasource({ name: 'metrics', type: 'prometheus', uid: 'one' });\nexport const two = datasource({ name: 'Two', type: 'prometheus', uid: 'metrics' });\n`,
      'definitions/a/board.ts': BOARD(`'metrics'`),
    },
    file: 'definitions/a/board.ts',
    span: "datasource: 'metrics'",
    message: 'datasource "metrics" is ambiguous in a',
  },
  {
    name: "a dashboard in another system's folder",
    files: {
      'mon.config.ts': CONFIG(),
      'definitions/a/ds.ts': DS('a', `name: 'A', type: 'prometheus', uid: 'a-prom'`),
      'definitions/a/board.ts': BOARD('undefined'),
      'definitions/b/ds.ts': DS('b', `name: 'B', type: 'prometheus', uid: 'b-prom'`),
      'definitions/b/board.ts': BOARD('undefined', `\n  uid: 'b-board',\n  folder: 'a',`),
    },
    file: 'definitions/b/board.ts',
    span: "folder: 'a'",
    message: 'folder "a" already holds the dashboards of system a',
  },
];

/** 1-based line and column of both ends of the only occurrence of `span` in `text`, the end exclusive. */
function spanOf(text: string, span: string): { line: number; column: number; endLine: number; endColumn: number } {
  const start = text.indexOf(span);
  expect(start, `"${span}" is in the file`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(span, start + 1), `"${span}" is in the file once`).toBe(-1);
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  const end = at(start + span.length);
  return { ...at(start), endLine: end.line, endColumn: end.column };
}

describe('one Grafana: what cannot load together is an error at the definition', () => {
  it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    const result = await build({ cwd: makeProject(c.files), check: true });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(c.message)]);
    expect(errors[0]).toMatchObject({ file: c.file, ...spanOf(c.files[c.file]!, c.span) });
    expect(result.exitCode).toBe(1);
  });

  it("resolves a name inside its own system, and provisions each system's datasources once, one default", async () => {
    const files = {
      'mon.config.ts': CONFIG(`\n  grafana: { defaultDatasource: 'b-prom' },`),
      'definitions/a/ds.ts': DS('a', `name: 'A', type: 'prometheus', uid: 'a-prom', isDefault: true`),
      'definitions/a/board.ts': BOARD(`'A'`),
      'definitions/b/ds.ts': DS('b', `name: 'B', type: 'prometheus', uid: 'b-prom', isDefault: true`),
      'definitions/b/board.ts': BOARD('undefined', `\n  uid: 'b-board',`),
    };
    const result = await build({ cwd: makeProject(files), check: true });
    expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const out = filesOf(result);
    expect(grafanaProvisioningProblems(out, DASHBOARDS_PATH)).toEqual([]);
    const panel = (file: string) => (JSON.parse(out[file]!).panels as Array<{ type: string; datasource?: unknown }>).find((p) => p.type === 'timeseries')!;
    expect(panel('grafana/dashboards/a/board.json').datasource).toEqual({ type: 'prometheus', uid: 'a-prom' });
    // The panel without a datasource takes its own system's default, not the organisation's.
    expect(panel('grafana/dashboards/b/b-board.json').datasource).toEqual({ type: 'prometheus', uid: 'b-prom' });
    expect(out['grafana/provisioning/datasources/a.yaml']).not.toContain('isDefault');
    expect(out['grafana/provisioning/datasources/b.yaml']).toContain('isDefault: true');
  });
});
