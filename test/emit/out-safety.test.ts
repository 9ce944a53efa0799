import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree } from '../helpers/project.js';

const RULES = `import { alertRule, ruleGroup } from 'moncode';

export default ruleGroup({
  name: 'web',
  rules: [alertRule({ alert: 'WebDown', expr: 'up{job="web"} == 0', for: '5m', labels: { severity: 'info' }, annotations: { summary: 'Web is down', description: 'No web instance answers' } })],
});
`;

function project(out: string | undefined, extra: Record<string, string> = {}): string {
  const config: Record<string, string> =
    out === undefined ? {} : { 'mon.config.ts': `import { defineConfig } from 'moncode';\n\nexport default defineConfig({\n  out: ${JSON.stringify(out)},\n});\n` };
  return makeProject({ 'definitions/web/rules.ts': RULES, 'docs/index.md': '# Docs\n', 'README.md': '# Project\n', ...config, ...extra });
}

describe('mon-build replaces only an out folder it made', () => {
  // Each of these would delete the project, its sources, its docs or its history.
  const refused: Array<[string, string, RegExp]> = [
    ['the project folder', '.', /`out` \(\.\) is the project folder/],
    ['an ancestor of the project', '..', /contains the project folder/],
    ['the definitions folder', 'definitions', /is the definitions folder/],
    ['a folder inside definitions', 'definitions/out', /inside the definitions folder/],
    ['.git', '.git', /inside \.git/],
    ['a folder inside node_modules', 'node_modules/out', /inside node_modules/],
  ];
  it.each(refused)('refuses %s with exit 2 and one line naming `out` in mon.config.ts', (_name, out, message) => {
    const dir = project(out, { '.git/HEAD': 'ref: refs/heads/main\n', 'node_modules/.keep': '' });
    const before = readTree(dir);
    for (const args of [[], ['--check']]) {
      const result = runBin('mon-build', args, dir);
      expect(result.code, result.stdout + result.stderr).toBe(2);
      const output = (result.stdout + result.stderr).trim();
      expect(output).toMatch(message);
      expect(output).toMatch(/^mon\.config\.ts:4:\d+: /m);
      expect(output).not.toMatch(/internal error|\n\s+at /);
    }
    const after = readTree(dir);
    for (const file of Object.keys(before)) expect(after[file], file).toBe(before[file]);
  });

  it('refuses an existing folder that holds files it did not write (docs/), and leaves it alone', () => {
    const dir = project('docs');
    const result = runBin('mon-build', [], dir);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/out \(docs\) was not made by mon-build .* holds index\.md/);
    expect(readFileSync(path.join(dir, 'docs/index.md'), 'utf8')).toBe('# Docs\n');
  });

  it('writes a marker into out/ and from then on replaces it freely', () => {
    const dir = project(undefined);
    expect(runBin('mon-build', [], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'out/.moncode-out'))).toBe(true);
    // A stray file in a folder mon-build made goes with the next build that changes out/.
    writeFileSync(path.join(dir, 'out/notes.txt'), 'x');
    const check = runBin('mon-build', ['--check'], dir);
    expect(check.code).toBe(1);
    expect(check.stdout).toContain('stale: notes.txt');
    expect(runBin('mon-build', [], dir).code).toBe(0);
    expect(existsSync(path.join(dir, 'out/notes.txt'))).toBe(false);
  });

  it('takes over an out/ of moncode 0.1 (no marker, only files where mon-build writes), also a stale one', () => {
    const dir = project(undefined);
    expect(runBin('mon-build', [], dir).code).toBe(0);
    const tree = readTree(path.join(dir, 'out'));
    rmSync(path.join(dir, 'out/.moncode-out'));
    // Up to date: --check agrees, and a build adds only the marker.
    expect(runBin('mon-build', ['--check'], dir).code).toBe(0);
    expect(runBin('mon-build', [], dir).code).toBe(0);
    expect(readTree(path.join(dir, 'out'))).toEqual(tree);
    // A rule file of a removed system and an old dashboard are files mon-build wrote: replaced.
    rmSync(path.join(dir, 'out/.moncode-out'));
    mkdirSync(path.join(dir, 'out/grafana/dashboards/old'), { recursive: true });
    writeFileSync(path.join(dir, 'out/grafana/dashboards/old/old.json'), '{}');
    writeFileSync(path.join(dir, 'out/prometheus/rules/gone.rules.yml'), 'groups: []\n');
    expect(runBin('mon-build', [], dir).code).toBe(0);
    expect(readTree(path.join(dir, 'out'))).toEqual(tree);
  });

  it('refuses an out/ without marker that holds a file of another layout', () => {
    const dir = project(undefined, { 'out/prometheus/rules/web.rules.yml': 'groups: []\n', 'out/keep-me.md': 'mine\n' });
    const result = runBin('mon-build', [], dir);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toContain('holds keep-me.md');
    expect(readFileSync(path.join(dir, 'out/keep-me.md'), 'utf8')).toBe('mine\n');
  });

  it('sees through a symlink: an out that links to the project is refused', () => {
    const dir = project('link');
    symlinkSync(dir, path.join(dir, 'link'));
    const result = runBin('mon-build', [], dir);
    expect(result.code).toBe(2);
    expect(result.stdout + result.stderr).toMatch(/is the project folder/);
    expect(existsSync(path.join(dir, 'README.md'))).toBe(true);
  });
});
