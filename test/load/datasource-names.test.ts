import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// Declared datasources as literal types: once the project lists them by augmenting `Datasources`,
// a string naming a datasource is typed against the list (a typo is a type error at its line, in
// mon-build's type-check as in the editor), and mon-build checks the list against the
// datasource() declarations, both ways. Without the augmentation any string type-checks.

/** definitions/api/datasources.ts: Prometheus (uid derived: prometheus) and Loki (uid api-loki) on lines 2–3, then `augment`. */
const datasources = (augment: string) =>
  `import { datasource } from 'moncode';\n` +
  `export const metrics = datasource({ name: 'Prometheus', type: 'prometheus', url: 'http://prometheus:9090' });\n` +
  `export const logs = datasource({ name: 'Loki', type: 'loki', url: 'http://loki:3100', uid: 'api-loki' });\n` +
  augment;

const list = (...members: string[]) => `declare module 'moncode' {\n  interface Datasources {\n${members.map((m) => `    ${m}: true;\n`).join('')}  }\n}\n`;
const LISTED = list('Prometheus', "'api-loki'");

/**
 * definitions/api/dash.ts: the panel's `datasource: '<panel>'` on line 6,
 * a query's on line 7, a query variable's on line 4, the logs panel's (`'api-loki'` or a value) on line 8.
 */
const dash = (panel: string, query = '${ds}', variable = 'Prometheus', logsDatasource = "'api-loki'") =>
  `import { dashboard, datasourceVariable, logs, loki, prom, queryVariable, timeseries } from 'moncode'; import * as ds from './datasources.js';\n` +
  `export const api = dashboard({\n` +
  `  title: 'API',\n` +
  `  variables: [datasourceVariable({ name: 'ds', plugin: 'prometheus' }), queryVariable({ name: 'job', datasource: '${variable}', query: 'label_values(up, job)' })],\n` +
  `  panels: [\n` +
  `    timeseries({ title: 'a', datasource: '${panel}', targets: [prom('up{job="$job"}')] }),\n` +
  `    timeseries({ title: 'b', targets: [prom('up{job="$job"}', { datasource: '${query}' })] }),\n` +
  `    logs({ title: 'l', datasource: ${logsDatasource}, targets: [loki('{job="api"}')] }),\n` +
  `  ],\n` +
  `});\n`;

interface Reported {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: string;
  message: string;
}

function build(files: Record<string, string>): { code: number | null; diagnostics: string[] } {
  const dir = makeProject(files);
  const result = runBin('mon-build', ['--format', 'json'], dir);
  expect(result.stderr).toBe('');
  const report = JSON.parse(result.stdout) as { diagnostics: Reported[] };
  return {
    code: result.code,
    diagnostics: report.diagnostics
      .filter((d) => d.severity !== 'info' && d.rule !== 'dashboard/unit-missing')
      .map((d) => `${d.rule} ${d.file}:${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message}`),
  };
}

const DS = 'definitions/api/datasources.ts';
const DASH = 'definitions/api/dash.ts';

describe('datasource names as literal types', () => {
  const cases: Array<[string, Record<string, string>, number, string[]]> = [
    ['listed: names, uids and variables type-check and build', { [DS]: datasources(LISTED), [DASH]: dash('Prometheus', '$ds') }, 0, []],
    ['listed: a uid and ${var} type-check and build', { [DS]: datasources(LISTED), [DASH]: dash('Prometheus', '${ds}', 'api-loki') }, 0, []],
    [
      'listed: a uid the list leaves out is a type error, though the build would resolve it',
      { [DS]: datasources(LISTED), [DASH]: dash('prometheus') },
      1,
      [`typescript ${DASH}:6:30-6:40 TS2820: Type '"prometheus"' is not assignable to type '"Prometheus" | "api-loki" | Datasource | \`$\${string}\` | undefined'. Did you mean '"Prometheus"'?`],
    ],
    [
      "listed: a near typo is TS2820 (TypeScript's 'did you mean')",
      { [DS]: datasources(LISTED), [DASH]: dash('Promethues') },
      1,
      [`typescript ${DASH}:6:30-6:40 TS2820: Type '"Promethues"' is not assignable to type '"Prometheus" | "api-loki" | Datasource | \`$\${string}\` | undefined'. Did you mean '"Prometheus"'?`],
    ],
    [
      'listed: an unknown name in a query and in a variable are TS2322',
      { [DS]: datasources(LISTED), [DASH]: dash('Prometheus', 'Elastic', 'Mimir') },
      1,
      [
        `typescript ${DASH}:4:102-4:112 TS2322: Type '"Mimir"' is not assignable to type '"Prometheus" | "api-loki" | Datasource | \`$\${string}\` | undefined'.`,
        `typescript ${DASH}:7:65-7:75 TS2322: Type '"Elastic"' is not assignable to type '"Prometheus" | Datasource<"prometheus"> | "api-loki" | \`$\${string}\` | undefined'.`,
      ],
    ],
    [
      'not listed: any string type-checks, and the build alone refuses an unknown one',
      { [DS]: datasources(''), [DASH]: dash('Promethues') },
      1,
      [`dashboard/datasource ${DASH}:6:30-6:54 unknown datasource "Promethues": declared are "Loki", "Prometheus"`],
    ],
    [
      'a listed name no datasource() declares is an error at the member',
      { [DS]: datasources(list('Prometheus', "'api-loki'", 'Tempo')), [DASH]: dash('Prometheus') },
      1,
      [
        `definition/datasources-augmentation ${DS}:8:5-8:10 \`Datasources\` lists "Tempo", the name or uid of no exported datasource() (declared are "Loki", "Prometheus"), so the types accept a string the build refuses`,
      ],
    ],
    [
      'a declared datasource the list leaves out is an error at its name',
      { [DS]: datasources(list('Prometheus')), [DASH]: dash('Prometheus', '$ds', 'Prometheus', 'ds.logs') },
      1,
      [`definition/datasources-augmentation ${DS}:3:34-3:46 datasource "Loki" is not in the \`Datasources\` augmentation (${DS}), so the types refuse it as a string: add \`Loki: true\``],
    ],
    ['the list may live in a shared module', { [DS]: datasources(''), 'definitions/shared/datasource-names.ts': `export {};\n${LISTED}`, [DASH]: dash('Prometheus') }, 0, []],
    [
      'a member whose name is computed is refused, not guessed',
      { [DS]: datasources(`const P = 'Prometheus';\n${list('[P]', "'api-loki'")}`), [DASH]: dash('Prometheus') },
      1,
      [`definition/invalid ${DS}:7:5-7:15 moncode reads the datasource names \`Datasources\` declares from its members: write this one as \`name: true\` with the name spelled out`],
    ],
  ];
  it.each(cases)('%s', (_name, files, code, expected) => {
    const result = build(files);
    expect(result.diagnostics).toEqual(expected);
    expect(result.code).toBe(code);
  });
});
