import { symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const GOOD = 'groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n';

// Each argument list names rules/good.rules.yml (and only it) more than once; `{dir}` is the project's absolute path.
const CASES: Array<{ name: string; args: string[] }> = [
  { name: 'a path and the same path with ./', args: ['rules/good.rules.yml', './rules/good.rules.yml'] },
  { name: 'a folder and a file in it', args: ['.', 'rules/good.rules.yml'] },
  { name: 'a file and its folder', args: ['rules/good.rules.yml', 'rules'] },
  { name: 'an absolute and a relative path', args: ['{dir}/rules/good.rules.yml', 'rules/good.rules.yml'] },
  { name: 'a path through ..', args: ['rules/good.rules.yml', 'rules/../rules/good.rules.yml'] },
  { name: 'the same folder twice', args: ['rules', './rules/'] },
  { name: 'a file and a link to it', args: ['rules/good.rules.yml', 'link.rules.yml'] },
];

describe('mon-lint reads a file named twice once', () => {
  it.each(CASES)(
    '$name',
    ({ args }) => {
      const dir = makeProject({ 'rules/good.rules.yml': GOOD });
      symlinkSync(path.join(dir, 'rules/good.rules.yml'), path.join(dir, 'link.rules.yml'));
      const result = runBin('mon-lint', ['--format', 'json', ...args.map((arg) => arg.replace('{dir}', dir))], dir);
      const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string }>; summary: { files: number } };
      expect(report.diagnostics).toEqual([]);
      expect(report.summary.files).toBe(1);
      expect(result.code).toBe(0);
    },
    60_000,
  );
});
