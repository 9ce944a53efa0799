import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree, REPO_ROOT } from '../helpers/project.js';

/**
 * A clean build recorded and replayed (src/commands/build-cache.ts): a build whose inputs did not
 * change prints and writes what a build without cache does, and each kind of input (a module, a
 * shared module it imports, mon.config.ts, a data file read with fs, an environment variable read,
 * a new file in definitions/, a runbook page) makes the next build a full one.
 */
const FILES: Record<string, string> = {
  'mon.config.ts': `import { defineConfig } from 'moncode';
export default defineConfig({});
`,
  'definitions/shared/make.ts': `import { alertRule } from 'moncode';
export function make(service: string, threshold: number) {
  return alertRule({ alert: \`\${service}Errors\`, expr: \`sum(rate(http_errors_total{job="\${service}"}[5m])) > \${threshold}\`, for: '5m', labels: { severity: 'info' }, annotations: { summary: 'Errors', description: 'Errors of ' + service } });
}
`,
  'definitions/svc/rules.ts': `import { ruleGroup } from 'moncode';
import { make } from '../shared/make';

const process = (globalThis as any).process;
const threshold = Number(process.getBuiltinModule('node:fs').readFileSync('definitions/svc/threshold.txt', 'utf8'));
const suffix = process.env.MONCODE_TEST_SUFFIX ?? '';
export default ruleGroup({ name: 'svc' + suffix, rules: [make('svc', threshold)] });
`,
  'definitions/svc/threshold.txt': '5\n',
};

const cacheOf = (dir: string) => path.join(dir, 'node_modules', '.cache', 'moncode');

function build(dir: string, env: Record<string, string> = {}): { out: Record<string, string>; stdout: string; cached: boolean } {
  const result = runBin('mon-build', [], dir, { MONCODE_TIMINGS: '1', ...env });
  expect(result.code, result.stdout + result.stderr).toBe(0);
  const timings = JSON.parse(result.stderr.split('\n').find((line) => line.startsWith('{"timings"'))!) as { timings: { cached?: boolean } };
  return { out: readTree(path.join(dir, 'out')), stdout: result.stdout, cached: timings.timings.cached === true };
}

function clean(dir: string, env: Record<string, string> = {}): Record<string, string> {
  rmSync(cacheOf(dir), { recursive: true, force: true });
  rmSync(path.join(dir, 'out'), { recursive: true, force: true });
  const built = build(dir, env);
  expect(built.cached).toBe(false);
  return built.out;
}

function newProject(): string {
  const dir = makeProject(FILES);
  mkdirSync(path.join(dir, 'node_modules'));
  return dir;
}

describe('a build whose inputs did not change is replayed, byte for byte', () => {
  it('warm == cold == edited-then-reverted, and out/ deleted is written again from the record', () => {
    const dir = newProject();
    const cold = build(dir);
    expect(cold.cached).toBe(false);
    const warm = build(dir);
    expect(warm.cached).toBe(true);
    expect(warm.out).toEqual(cold.out);
    expect(warm.stdout).toBe(cold.stdout.replace(/^wrote (\d+ files?) to out\/$/m, 'out/ is up to date ($1)'));
    writeFileSync(path.join(dir, 'definitions/svc/threshold.txt'), '7\n');
    const edited = build(dir);
    expect(edited.cached).toBe(false);
    expect(edited.out).not.toEqual(cold.out);
    writeFileSync(path.join(dir, 'definitions/svc/threshold.txt'), '5\n');
    const reverted = build(dir);
    expect(reverted.out).toEqual(cold.out);
    rmSync(path.join(dir, 'out'), { recursive: true });
    const again = build(dir);
    expect(again.cached).toBe(true);
    expect(again.out).toEqual(cold.out);
    expect(runBin('mon-build', ['--check'], dir).code).toBe(0);
  });

  const edits: Array<{ name: string; edit: (dir: string) => void; env?: Record<string, string> }> = [
    { name: 'a system module', edit: (dir) => writeFileSync(path.join(dir, 'definitions/svc/rules.ts'), FILES['definitions/svc/rules.ts']!.replace("'svc' + suffix", "'svc2' + suffix")) },
    { name: 'a shared module it imports', edit: (dir) => writeFileSync(path.join(dir, 'definitions/shared/make.ts'), FILES['definitions/shared/make.ts']!.replace("'5m'", "'10m'")) },
    {
      name: 'mon.config.ts',
      edit: (dir) => writeFileSync(path.join(dir, 'mon.config.ts'), FILES['mon.config.ts']!.replace('{}', "{ systems: { svc: { prometheus: { evaluationInterval: '30s' } } } }")),
    },
    { name: 'a data file read with fs', edit: (dir) => writeFileSync(path.join(dir, 'definitions/svc/threshold.txt'), '9\n') },
    { name: 'an environment variable a definition reads', edit: () => undefined, env: { MONCODE_TEST_SUFFIX: '-env' } },
    {
      name: 'a new system file',
      edit: (dir) =>
        writeFileSync(
          path.join(dir, 'definitions/svc/more.ts'),
          "import { ruleGroup } from 'moncode';\nimport { make } from '../shared/make';\nexport default ruleGroup({ name: 'more', rules: [make('more', 1)] });\n",
        ),
    },
  ];
  it.each(edits)('a change of $name is a full build that equals a clean one', ({ edit, env }) => {
    const dir = newProject();
    build(dir);
    expect(build(dir).cached).toBe(true);
    edit(dir);
    const changed = build(dir, env);
    expect(changed.cached).toBe(false);
    expect(clean(dir, env)).toEqual(changed.out);
    expect(build(dir, env).cached).toBe(true);
  });

  it('a build killed with SIGKILL records nothing: the next build equals a clean one', async () => {
    const dir = newProject();
    const reference = clean(dir);
    writeFileSync(path.join(dir, 'definitions/svc/threshold.txt'), '8\n');
    for (const after of [300, 900, 1800]) {
      await new Promise<void>((resolve) => {
        const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-build.js')], { cwd: dir, stdio: 'ignore', env: { ...process.env, NO_COLOR: '1' } });
        const timer = setTimeout(() => child.kill('SIGKILL'), after);
        child.on('exit', () => (clearTimeout(timer), resolve()));
      });
      const next = build(dir);
      expect(next.out).not.toEqual(reference);
      const expected = (() => {
        const copy = newProject();
        writeFileSync(path.join(copy, 'definitions/svc/threshold.txt'), '8\n');
        return clean(copy);
      })();
      expect(next.out).toEqual(expected);
    }
  });

  // Locating a finding at a property parses its file with TypeScript: a replay reuses the locations, and loads no compiler.
  const typescriptProbe = (dir: string) => {
    const probe = path.join(dir, 'probe.cjs');
    writeFileSync(
      probe,
      "process.on('exit', () => require('node:fs').writeFileSync(process.env.PROBE_OUT, String(Object.keys(require('node:module')._cache).some((f) => f.endsWith('typescript.js')))));\n",
    );
    return (out: string) => ({ NODE_OPTIONS: `--require ${probe}`, PROBE_OUT: path.join(dir, out) });
  };
  // `shows`: the rule's missing `for` at its `alert` property (3:22), in each format.
  const places: Array<{ name: string; cwd: string; args: string[]; shows: RegExp }> = [
    { name: 'pretty, from the project', cwd: '.', args: [], shows: /^definitions\/shared\/make\.ts:3:22: info: .*\n[^]*^ {2}definitions\/svc\/rules\.ts:3:\d+: built by this call of make\(\)$/m },
    { name: 'json, from the project', cwd: '.', args: ['--format', 'json'], shows: /"file": "definitions\/shared\/make\.ts",\s+"line": 3,\s+"column": 22,/ },
    { name: 'sarif, from definitions/svc', cwd: 'definitions/svc', args: ['--format', 'sarif'], shows: /"uri": "[^"]*\/definitions\/shared\/make\.ts"[^]*?"startLine": 3,\s+"startColumn": 22,/ },
  ];
  it.each(places)('a replay reports the findings where a clean build does, without TypeScript ($name)', ({ cwd, args, shows }) => {
    const dir = makeProject({
      'mon.config.ts': FILES['mon.config.ts']!,
      'definitions/shared/make.ts': FILES['definitions/shared/make.ts']!.replace(", for: '5m'", '').replace(", description: 'Errors of ' + service", ''),
      'definitions/svc/rules.ts': "import { ruleGroup } from 'moncode';\nimport { make } from '../shared/make';\nexport default ruleGroup({ name: 'svc', rules: [make('svc', 5)] });\n",
    });
    mkdirSync(path.join(dir, 'node_modules'));
    const probe = typescriptProbe(dir);
    const at = path.join(dir, cwd);
    const run = (out: string) => {
      const result = runBin('mon-build', args, at, { MONCODE_TIMINGS: '1', ...probe(out) });
      expect(result.code, result.stderr).toBe(0);
      return { stdout: result.stdout, loadedTypescript: readFileSync(path.join(dir, out), 'utf8') };
    };
    // Recorded from another folder first: locations are relative to where the build runs, so that record's are not reused.
    expect(runBin('mon-build', [], cwd === '.' ? path.join(dir, 'definitions') : dir).code).toBe(0);
    const elsewhere = run('elsewhere.txt');
    rmSync(cacheOf(dir), { recursive: true, force: true });
    const cold = run('cold.txt');
    expect(cold.loadedTypescript).toBe('true');
    expect(cold.stdout).toMatch(shows);
    const warm = run('warm.txt');
    expect(warm.loadedTypescript).toBe('false');
    expect(warm.stdout).toBe(cold.stdout.replace(/^wrote (\d+ files?) to out\/$/m, 'out/ is up to date ($1)'));
    expect(elsewhere.stdout).toBe(warm.stdout);
  });
});
