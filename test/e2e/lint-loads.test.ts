import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

/**
 * A cold `mon-lint` loads only what its inputs need: ajv (mon.config.ts' schema) when there is a
 * project, jsonc-parser when a JSON file is read, TypeScript in no case here (mon.config.ts is
 * run in a worker). Each run prints, on exit, the CommonJS modules its main thread loaded (all
 * three packages are CommonJS).
 */
const PROBE = `import { createRequire } from 'node:module';
const require = createRequire(import.meta.url);
process.on('exit', () => process.stderr.write('\\nLOADED ' + JSON.stringify(Object.keys(require.cache)) + '\\n'));
`;

const RULES = `groups:
  - name: api
    rules:
      - record: job:up:sum
        expr: sum by (job) (up)
`;

const BOARD = JSON.stringify({ title: 'Board', uid: 'b1', schemaVersion: 39, panels: [{ type: 'timeseries', title: 'Up', gridPos: { x: 0, y: 0, w: 12, h: 8 }, targets: [{ expr: 'up' }] }] });

const PACKAGES = ['typescript', 'ajv', 'jsonc-parser'] as const;

const CASES: Array<{ name: string; files: Record<string, string>; lint: string; loads: Array<(typeof PACKAGES)[number]> }> = [
  { name: 'a rule file', files: { 'rules.yml': RULES }, lint: 'rules.yml', loads: [] },
  { name: 'a dashboard', files: { 'board.json': BOARD }, lint: 'board.json', loads: ['jsonc-parser'] },
  {
    name: 'a rule file in a project (mon.config.ts runs)',
    files: { 'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`, 'rules.yml': RULES },
    lint: 'rules.yml',
    loads: ['ajv'],
  },
];

describe('what a cold mon-lint loads', () => {
  it.each(CASES)(
    '$name',
    ({ files, lint, loads }) => {
      const dir = makeProject(files);
      mkdirSync(path.join(dir, 'node_modules'));
      const probe = path.join(dir, 'probe.mjs');
      writeFileSync(probe, PROBE);
      const result = runBin('mon-lint', [lint], dir, { NODE_OPTIONS: `--import ${probe}` });
      expect(result.code, result.stderr).toBe(0);
      const line = result.stderr.split('\n').findLast((l) => l.startsWith('LOADED '));
      expect(line).toBeDefined();
      const loaded = JSON.parse(line!.slice('LOADED '.length)) as string[];
      const packages = PACKAGES.filter((name) => loaded.some((file) => file.includes(`${path.sep}node_modules${path.sep}${name}${path.sep}`)));
      expect(packages).toEqual(loads);
    },
    120_000,
  );
});
