import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, REPO_ROOT, writeFiles } from '../helpers/project.js';

// Gates that cannot be fooled: mon-lint sees the type errors mon-build fails on, and the
// pre-commit hook judges the commit (the index), not the working tree.

const alerts = (annotations: string, extra = '') => `import { alertRule, ruleGroup } from 'moncode';
${extra}
export const shop = ruleGroup({
  name: 'shop',
  rules: [
    alertRule({
      alert: 'ShopDown',
      expr: 'up{job="shop"} == 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: 'Shop is down', description: 'No shop target is up.'${annotations} },
    }),
  ],
});
`;
const RUNBOOK = ", runbook_url: 'https://runbooks.example.com/shop'";

function git(dir: string, ...args: string[]): string {
  return execFileSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
  });
}

function repository(files: Record<string, string>): string {
  const dir = makeProject(files);
  git(dir, 'init', '-q', '-b', 'main');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '--no-verify', '-m', 'initial');
  return dir;
}

function commit(dir: string, message: string): { code: number | null; output: string } {
  const result = spawnSync('git', ['commit', '-m', message], {
    cwd: dir,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' },
    timeout: 180_000,
  });
  return { code: result.status, output: result.stdout + result.stderr };
}

describe('mon-lint and type errors', () => {
  it('reports type errors as typescript diagnostics and still lints what loaded', () => {
    const dir = makeProject({
      'definitions/shop/alerts.ts': alerts(''),
      'definitions/shop/typo.ts': `export const retries: number = 'three';\n`,
    });
    const result = runBin('mon-lint', ['--format', 'json'], dir);
    expect(result.code).toBe(1);
    const found = (JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number }> }).diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`);
    expect(found).toContain('definitions/shop/typo.ts:1 typescript');
    expect(found).toContain('definitions/shop/alerts.ts:11 runbook/missing');
    // mon-build agrees that this project does not build.
    expect(runBin('mon-build', [], dir).code).toBe(1);
  }, 180_000);

  it('--changed-since keeps a type error anywhere in a changed file', () => {
    const helper = (type: string) => `function sev(level: ${type}): 'critical' | 'warning' {\n  return level === 'x' ? 'warning' : 'critical';\n}\n`;
    const dir = repository({ 'definitions/shop/alerts.ts': alerts(RUNBOOK, helper('string')).replace("severity: 'critical'", "severity: sev('page')") });
    // The signature changes on line 2; the call that no longer type-checks (line 13) is unchanged.
    writeFiles(dir, { 'definitions/shop/alerts.ts': alerts(RUNBOOK, helper('number')).replace("severity: 'critical'", "severity: sev('page')") });
    const result = runBin('mon-lint', ['--changed-since', 'HEAD', '--format', 'json'], dir);
    const found = (JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number }> }).diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`);
    expect(found).toContain('definitions/shop/alerts.ts:13 typescript');
    expect(result.code).toBe(1);
  }, 180_000);
});

describe('mon-lint --staged and the pre-commit hook', () => {
  it('blocks a commit whose staged content has a fault the working tree has fixed, and lets a clean one through', () => {
    const dir = repository({ 'definitions/shop/alerts.ts': alerts(RUNBOOK), 'rules/extra.yml': 'groups: []\n' });
    symlinkSync(path.join(REPO_ROOT, 'hooks', 'pre-commit'), path.join(dir, '.git', 'hooks', 'pre-commit'));
    const before = readdirSync(os.tmpdir()).filter((entry) => entry.startsWith('moncode-staged-')).length;

    // Stage an alert without a runbook, then fix the working tree without staging the fix.
    writeFiles(dir, { 'definitions/shop/alerts.ts': alerts('') });
    git(dir, 'add', 'definitions/shop/alerts.ts');
    writeFiles(dir, { 'definitions/shop/alerts.ts': alerts(RUNBOOK) });
    expect(runBin('mon-lint', ['--quiet'], dir).code).toBe(0);

    const staged = runBin('mon-lint', ['--staged', '--format', 'json'], dir);
    expect(staged.code).toBe(1);
    const found = (JSON.parse(staged.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number }> }).diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`);
    expect(found).toEqual(['definitions/shop/alerts.ts:11 runbook/missing']);

    const blocked = commit(dir, 'an alert without a runbook');
    expect(blocked.code).not.toBe(0);
    expect(blocked.output).toMatch(/definitions\/shop\/alerts\.ts:11:\d+: error: .*\[runbook\/missing\]/);
    expect(blocked.output).toContain("annotations: { summary: 'Shop is down', description: 'No shop target is up.' }");
    expect(blocked.output).not.toContain('moncode-staged-');
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('1');

    // Staging the fix (and a clean change of a rule file) lets the commit through.
    writeFiles(dir, { 'definitions/shop/alerts.ts': alerts(RUNBOOK).replace('Shop is down', 'The shop is down') });
    git(dir, 'add', '-A');
    const passed = commit(dir, 'a clean change');
    expect(passed.output).not.toMatch(/error/);
    expect(passed.code).toBe(0);
    expect(git(dir, 'rev-list', '--count', 'HEAD').trim()).toBe('2');
    expect(readdirSync(os.tmpdir()).filter((entry) => entry.startsWith('moncode-staged-')).length).toBeLessThanOrEqual(before);
  }, 300_000);

  it('lints staged YAML files at their repository paths, with --changed-since against the index', () => {
    const rule = (runbook: string) =>
      `groups:\n  - name: shop\n    rules:\n      - alert: ShopDown\n        expr: up == 0\n        labels:\n          severity: critical\n        annotations:\n          summary: s\n          description: d\n${runbook}`;
    const dir = repository({ 'monitoring/rules/shop.yml': rule('          runbook_url: https://runbooks.example.com/shop\n') });
    writeFiles(dir, { 'monitoring/rules/shop.yml': rule('') });
    git(dir, 'add', '-A');
    writeFiles(dir, { 'monitoring/rules/shop.yml': rule('          runbook_url: https://runbooks.example.com/shop\n') });
    const cwd = path.join(dir, 'monitoring');
    expect(runBin('mon-lint', ['rules'], cwd).code).toBe(0);
    for (const args of [
      ['--staged', 'rules'],
      ['--staged', '--changed-since', 'HEAD', 'rules'],
    ]) {
      const result = runBin('mon-lint', [...args, '--format', 'json'], cwd);
      expect(result.code, args.join(' ')).toBe(1);
      const found = (JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number }> }).diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`);
      expect(found).toEqual(['rules/shop.yml:9 runbook/missing']);
    }
    expect(existsSync(path.join(dir, '.git', 'index'))).toBe(true);
  }, 180_000);

  it('without a path, in a repository of YAML only (no mon.config.ts, no definitions/), lints its staged files', () => {
    const rule = (labels: string) =>
      `groups:\n  - name: shop\n    rules:\n      - alert: ShopDown\n        expr: up == 0\n${labels}        annotations:\n          summary: s\n          description: d\n          runbook_url: https://runbooks.example.com/shop\n`;
    const good = rule('        labels:\n          severity: critical\n');
    const dir = repository({ 'rules/shop.yml': good, 'package.json': '{}\n' });
    expect(runBin('mon-lint', ['--staged'], dir).code).toBe(0);
    writeFiles(dir, { 'rules/shop.yml': rule('') });
    git(dir, 'add', '-A');
    writeFiles(dir, { 'rules/shop.yml': good });
    const result = runBin('mon-lint', ['--staged', '--format', 'json'], dir);
    expect(result.code).toBe(1);
    const found = (JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number }> }).diagnostics.map((d) => `${d.file}:${d.line} ${d.rule}`);
    expect(found).toEqual(['rules/shop.yml:4 label/required']);
    writeFiles(dir, { 'rules/broken.yml': 'groups: [\n' });
    git(dir, 'add', '-A');
    expect(runBin('mon-lint', ['--staged'], dir).code).toBe(2);
  }, 180_000);

  it('outside a git repository is unusable input', () => {
    const dir = makeProject({ 'rules.yml': 'groups: []\n' });
    const result = runBin('mon-lint', ['--staged', 'rules.yml'], dir, { GIT_CEILING_DIRECTORIES: path.dirname(dir) });
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^mon-lint: error: --staged: /);
  });
});
