import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// System `b` (evaluated after `a`) has an alert without a runbook: its finding must survive whatever `a` does.
const B = `import { alertRule, ruleGroup } from 'moncode';

export default ruleGroup({
  name: 'b',
  rules: [alertRule({ alert: 'BDown', expr: 'up{job="b"} == 0', labels: { severity: 'critical' }, annotations: { summary: 'B is down', description: 'No b answers' } })],
});
`;
const HEAD = `import { alertRule, ruleGroup } from 'moncode';\nconst host = globalThis as unknown as Record<string, any>;\n`;
const GROUP = `ruleGroup({ name: 'a', rules: [alertRule({ alert: 'ADown', expr: 'up{job="a"} == 0', labels: { severity: 'info' }, annotations: { summary: 'A is down', description: 'No a answers' } })] })`;

interface Found {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
}

describe('a definition that never finishes does not hide the other files’ findings', () => {
  const cases: Array<{ name: string; files: Record<string, string>; stopped: Partial<Omit<Found, 'message'>> & { message: RegExp } }> = [
    {
      name: 'an endless loop at top level',
      files: { 'definitions/a/rules.ts': `${HEAD}while (Date.now() > 0) {}\nexport default ${GROUP};\n` },
      stopped: { file: 'definitions/a/rules.ts', line: 3, column: 1, endLine: 3, endColumn: 1, message: /did not finish within 5 s \(stopped running it\)/ },
    },
    {
      name: 'an endless loop in a helper module one system imports',
      files: {
        'definitions/shared/spin.ts': `export function spin(): number {\n  let n = 0;\n  while (n >= 0) n = (n + 1) % 10;\n  return n;\n}\n`,
        'definitions/a/rules.ts': `${HEAD}import { spin } from '../shared/spin.ts';\nspin();\nexport default ${GROUP};\n`,
      },
      stopped: { file: 'definitions/shared/spin.ts', line: 3, column: 3, endLine: 3, endColumn: 3, message: /did not finish within 5 s/ },
    },
    {
      name: 'a top-level await that never settles',
      files: { 'definitions/a/rules.ts': `${HEAD}await new Promise(() => undefined);\nexport default ${GROUP};\n` },
      stopped: { file: 'definitions/a/rules.ts', line: 1, column: 1, message: /never finished evaluating: a top-level `await` waits for something that never happens/ },
    },
    {
      name: 'an exported Promise that never settles',
      files: { 'definitions/a/rules.ts': `${HEAD}export const later = new Promise(() => undefined);\nexport default ${GROUP};\n` },
      stopped: { file: 'definitions/a/rules.ts', line: 1, column: 1, message: /its export `later` is a Promise that never settles/ },
    },
  ];

  it.each(cases)('$name: the stop is reported at its line and system b is still linted (mon-build, mon-lint)', ({ files, stopped }) => {
    const dir = makeProject({ ...files, 'definitions/b/rules.ts': B });
    for (const bin of ['mon-build', 'mon-lint'] as const) {
      const started = Date.now();
      const result = runBin(bin, ['--time-limit', '5', '--format', 'json'], dir);
      expect(Date.now() - started, bin).toBeLessThan(60_000);
      expect(result.stderr, bin).not.toMatch(/internal error|\n\s+at .*\(|node:internal/);
      expect(result.code, bin).toBe(1);
      const diagnostics = (JSON.parse(result.stdout) as { diagnostics: Found[] }).diagnostics;
      const invalid = diagnostics.filter((d) => d.rule === 'load/stopped');
      expect(invalid, bin).toHaveLength(1);
      const { message, ...at } = stopped;
      expect(invalid[0], bin).toMatchObject(at);
      expect(invalid[0]!.message, bin).toMatch(message);
      const runbook = diagnostics.filter((d) => d.rule === 'runbook/missing').map(({ file, line, column, endLine, endColumn }) => ({ file, line, column, endLine, endColumn }));
      expect(runbook, bin).toEqual([{ file: 'definitions/b/rules.ts', line: 5, column: 99, endLine: 5, endColumn: 165 }]);
    }
    expect(existsSync(path.join(dir, 'out')), 'nothing written after an error').toBe(false);
  });

  it('two systems that never finish are each reported, and the third is linted', () => {
    const loop = `${HEAD}while (Date.now() > 0) {}\nexport default ${GROUP};\n`;
    const dir = makeProject({ 'definitions/a/rules.ts': loop, 'definitions/c/rules.ts': loop.replace("name: 'a'", "name: 'c'"), 'definitions/b/rules.ts': B });
    const result = runBin('mon-lint', ['--time-limit', '5', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    const found = (JSON.parse(result.stdout) as { diagnostics: Found[] }).diagnostics.filter((d) => d.rule !== 'alert/annotation-missing').map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}`);
    expect(found).toEqual(['definitions/a/rules.ts:3:1 load/stopped', 'definitions/b/rules.ts:5:99 runbook/missing', 'definitions/c/rules.ts:3:1 load/stopped']);
  });
});
