import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree } from '../helpers/project.js';

interface Found {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

const datasourceTs = (jsonData: string) =>
  `import { datasource } from 'moncode';\nexport const p2 = datasource({\n  name: 'P2',\n  type: 'prometheus',\n  url: 'http://prom:9090',\n  jsonData: ${jsonData},\n} as any);\n`;
const provisioning = (jsonData: string) => `apiVersion: 1\ndatasources:\n  - name: P2\n    type: prometheus\n    url: http://prom:9090\n    jsonData:\n${jsonData}\n`;
const webhookAm = (httpConfig: string) =>
  `route:\n  receiver: hook\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: http://hooks.internal:5000/alert\n        http_config:\n${httpConfig}\n`;
const webhookTs = (authorization: string) =>
  `import { alertmanager, fromFile, receiver } from 'moncode';\nconst hook = receiver({\n  name: 'hook',\n  webhook_configs: [{ url: 'http://hooks.internal:5000/alert', http_config: { authorization: ${authorization} } }],\n});\nexport default alertmanager({ route: { receiver: hook, group_by: ['alertname'] } });\nvoid fromFile;\n`;

// Each case: files, the CLI, and the secret/literal findings expected (empty: the run is clean).
const CASES: Array<{ name: string; files: Record<string, string>; bin: 'mon-build' | 'mon-lint'; args?: string[]; found: Array<Omit<Found, 'rule'>> }> = [
  {
    name: 'a query string alone in jsonData (customQueryParameters) of a definition',
    files: { 'definitions/shop/ds.ts': datasourceTs(`{ customQueryParameters: 'api_key=LITERALKEY123' }`) },
    bin: 'mon-build',
    found: [{ file: 'definitions/shop/ds.ts', line: 6, column: 47, endLine: 6, endColumn: 60 }],
  },
  {
    name: 'a credential parameter after others in any jsonData field',
    files: { 'definitions/shop/ds.ts': datasourceTs(`{ anyField: 'timeout=30s&token=Zq81LITERAL' }`) },
    bin: 'mon-build',
    found: [{ file: 'definitions/shop/ds.ts', line: 6, column: 44, endLine: 6, endColumn: 55 }],
  },
  {
    name: 'a query string alone in a provisioning file',
    files: { 'ds.yaml': provisioning('      customQueryParameters: password=LITERALKEY123&timeout=5s') },
    bin: 'mon-lint',
    args: ['ds.yaml'],
    found: [{ file: 'ds.yaml', line: 7, column: 39, endLine: 7, endColumn: 52 }],
  },
  {
    name: 'query parameters without a credential',
    files: { 'definitions/shop/ds.ts': datasourceTs(`{ customQueryParameters: 'max_source_resolution=5m&timeout=30s' }`) },
    bin: 'mon-build',
    found: [],
  },
  {
    name: 'authorization type with a credentials file (Alertmanager YAML)',
    files: { 'am.yml': webhookAm('          authorization:\n            type: Bearer\n            credentials_file: /etc/am/cred') },
    bin: 'mon-lint',
    args: ['am.yml'],
    found: [],
  },
  {
    name: 'authorization type with literal credentials (Alertmanager YAML): only the credentials',
    files: { 'am.yml': webhookAm('          authorization:\n            type: Bearer\n            credentials: Zq81LITERALKEY') },
    bin: 'mon-lint',
    args: ['am.yml'],
    found: [{ file: 'am.yml', line: 10, column: 26, endLine: 10, endColumn: 40 }],
  },
  {
    name: 'authorization type with fromFile credentials (definition)',
    files: { 'definitions/shop/am.ts': webhookTs(`{ type: 'Bearer', credentials: fromFile('/etc/am/cred') }`) },
    bin: 'mon-build',
    found: [],
  },
];

describe('secret/literal through the CLIs', () => {
  it.each(CASES)(
    '$name',
    ({ files, bin, args = [], found }) => {
      const dir = makeProject(files);
      const result = runBin(bin, ['--format', 'json', ...args], dir);
      const diagnostics = (JSON.parse(result.stdout) as { diagnostics: Found[] }).diagnostics;
      expect(diagnostics.filter((d) => d.rule === 'secret/literal').map(({ file, line, column, endLine, endColumn }) => ({ file, line, column, endLine, endColumn }))).toEqual(found);
      expect(result.code, result.stdout + result.stderr).toBe(found.length ? 1 : 0);
      if (bin === 'mon-build' && found.length) expect(existsSync(path.join(dir, 'out'))).toBe(false);
      if (bin === 'mon-build' && !found.length) expect(Object.values(readTree(path.join(dir, 'out'))).join('\n')).not.toMatch(/LITERAL/);
    },
    120_000,
  );
});
