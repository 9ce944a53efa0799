import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeProject, readTree, REPO_ROOT } from '../helpers/project.js';
import { TsServer } from '../editor/tsserver.js';

const MON_INIT = path.join(REPO_ROOT, 'bin', 'mon-init.js');
const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const WRITTEN = [
  '.githooks/pre-commit',
  '.gitignore',
  'definitions/example/alerts.ts',
  'definitions/example/dashboards.ts',
  'definitions/tsconfig.json',
  'docs/runbooks/example/instance-down.md',
  'mon.config.ts',
  'package.json',
  'tsconfig.json',
];

function init(args: string[], cwd: string) {
  const result = spawnSync(process.execPath, [MON_INIT, ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('mon-init', () => {
  it('writes the project, with moncode at the running version, and a git repository using its hook folder', () => {
    const dir = makeProject({});
    const result = init([], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(Object.keys(readTree(dir)).filter((file) => !file.startsWith('.git/'))).toEqual(WRITTEN);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest.dependencies).toEqual({ moncode: `^${VERSION}` });
    expect(manifest.scripts.prepare).toBe('mon-init --hooks');
    expect(statSync(path.join(dir, '.githooks/pre-commit')).mode & 0o111).toBe(0o111);
    expect(execFileSync('git', ['config', '--get', 'core.hooksPath'], { cwd: dir, encoding: 'utf8' }).trim()).toBe('.githooks');
  });

  it('takes a file: spec for moncode and a folder to make', () => {
    const dir = makeProject({});
    const result = init(['--moncode', 'file:../moncode.tgz', 'new/monitoring'], dir);
    expect(result.code).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'new/monitoring/package.json'), 'utf8'));
    expect(manifest).toMatchObject({ name: 'monitoring', private: true, type: 'module', dependencies: { moncode: 'file:../moncode.tgz' } });
  });

  it('points git at the hook folder of a project below the repository top', () => {
    const dir = makeProject({});
    execFileSync('git', ['init', '--quiet'], { cwd: dir });
    expect(init(['infra/monitoring'], dir).code).toBe(0);
    expect(execFileSync('git', ['config', '--get', 'core.hooksPath'], { cwd: dir, encoding: 'utf8' }).trim()).toBe('infra/monitoring/.githooks');
  });

  it('adds to a package.json that is there already (npm init -y, then npm install of a tarball), keeping its own scripts and spec', () => {
    const own = {
      name: 'shop',
      version: '1.0.0',
      main: 'index.js',
      scripts: { test: 'echo "Error: no test specified" && exit 1', lint: 'eslint .' },
      type: 'commonjs',
      dependencies: { moncode: 'file:../moncode-0.1.0.tgz', left: '^1.0.0' },
    };
    const dir = makeProject({ 'package.json': `${JSON.stringify(own, null, 2)}\n` });
    const result = init([], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('added to package.json: "type": "module", script build, script check, script test, script prepare\n');
    expect(Object.keys(readTree(dir)).filter((file) => !file.startsWith('.git/'))).toEqual(WRITTEN);
    const manifest = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8'));
    expect(manifest).toEqual({ ...own, type: 'module', scripts: { test: 'mon-test', lint: 'eslint .', build: 'mon-build', check: 'mon-build --check', prepare: 'mon-init --hooks' } });
    // Run again, the project's own files are there: nothing is written, package.json included.
    const again = init([], dir);
    expect(again.code).toBe(2);
    expect(readFileSync(path.join(dir, 'package.json'), 'utf8')).toBe(`${JSON.stringify(manifest, null, 2)}\n`);
  });

  it('refuses a package.json it cannot read as JSON, writing nothing', () => {
    const dir = makeProject({ 'package.json': 'mine\n' });
    const result = init([], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('mon-init: error: package.json is not JSON: mon-init adds to a package.json it can read; nothing was written\n');
    expect(readTree(dir)).toEqual({ 'package.json': 'mine\n' });
  });

  it.each(WRITTEN.filter((file) => file !== 'package.json'))('refuses a folder that already has %s, writing nothing (exit 2, one line)', (file) => {
    const dir = makeProject({ [file]: 'mine\n' });
    const result = init([], dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`mon-init: error: ${file} already exists: mon-init writes only into a folder without them; nothing was written\n`);
    expect(readTree(dir)).toEqual({ [file]: 'mine\n' });
  });

  it.each([
    { args: ['--moncode', ''], stderr: 'mon-init: error: --moncode needs a version or a file: spec\n' },
    { args: ['a', 'b'], stderr: 'mon-init: error: one folder expected, got 2\n' },
    { args: ['--nope'], stderr: "mon-init: error: Unknown option '--nope' (--help lists the options)\n" },
  ])('refuses bad usage $args', ({ args, stderr }) => {
    const dir = makeProject({});
    const result = init(args, dir);
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 2, stderr });
    expect(readTree(dir)).toEqual({});
  });
});

/** npm, quietly, without audit or funding requests; the registry only for what the cache lacks. */
function npm(args: string[], cwd: string): string {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error'], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 240_000 });
}

function bin(project: string, name: string, args: string[] = []) {
  const result = spawnSync(path.join(project, 'node_modules', '.bin', name), args, { cwd: project, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 120_000 });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

function git(args: string[], cwd: string) {
  const result = spawnSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd, encoding: 'utf8', timeout: 120_000 });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

interface JsonDiagnostic {
  rule: string;
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
}

describe('a new project from the packed moncode', () => {
  let scratch: string;
  let project: string;
  let alerts: string;
  let original: string;
  beforeAll(() => {
    scratch = mkdtempSync(path.join(os.tmpdir(), 'moncode-init-'));
    // What a user gets from the registry: the package as `npm pack` makes it (dist/ as built).
    const tarball = path.join(scratch, npm(['pack', '--ignore-scripts', '--pack-destination', scratch], REPO_ROOT).trim().split('\n').pop()!);
    project = path.join(scratch, 'monitoring');
    mkdirSync(project);
    // npx mon-init, run from the tarball in an empty folder.
    execFileSync('npm', ['exec', '--yes', `--package=${tarball}`, '--', 'mon-init', '--moncode', `file:${tarball}`], {
      cwd: project,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: 240_000,
    });
    npm(['install'], project);
    alerts = path.join(project, 'definitions/example/alerts.ts');
    original = readFileSync(alerts, 'utf8');
  }, 600_000);
  afterAll(() => {
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  });

  it('builds and lints clean, and writes out/', () => {
    const built = bin(project, 'mon-build');
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    expect(existsSync(path.join(project, 'out/prometheus/rules/example.rules.yml'))).toBe(true);
    expect(existsSync(path.join(project, 'out/grafana/dashboards/example/example.json'))).toBe(true);
    expect(bin(project, 'mon-build', ['--check'])).toMatchObject({ code: 0 });
    const linted = bin(project, 'mon-lint', ['--format', 'json']);
    expect(linted.code).toBe(0);
    expect(JSON.parse(linted.stdout).diagnostics).toEqual([]);
  }, 240_000);

  it('shows the build’s errors in tsserver: a type error and a lint problem at the same spans', async () => {
    const server = new TsServer(project);
    try {
      const cases = [
        { fault: original.replace("for: '5m'", "for: '5 minutes'"), rule: 'typescript' },
        { fault: original.replace("        runbook_url: 'docs/runbooks/example/instance-down.md',\n", ''), rule: 'runbook/missing' },
      ];
      server.notify('open', { file: alerts, fileContent: original, projectRootPath: project });
      for (const { fault, rule } of cases) {
        expect(fault).not.toBe(original);
        writeFileSync(alerts, fault);
        const built = bin(project, 'mon-build', ['--format', 'json']);
        expect(built.code).toBe(1);
        const fromBuild = (JSON.parse(built.stdout).diagnostics as JsonDiagnostic[]).map((d) => ({
          file: d.file,
          start: [d.line, d.column],
          end: [d.endLine, d.endColumn],
          rule: d.rule.startsWith('ts') ? 'typescript' : d.rule,
        }));
        expect(fromBuild.map((d) => d.rule)).toEqual([rule]);
        await server.request('reload', { file: alerts, tmpfile: alerts });
        // A lint slower than the plugin's wait shows at a later request: ask until it has landed.
        let fromEditor: typeof fromBuild = [];
        for (const started = Date.now(); Date.now() - started < 120_000; await new Promise((resolve) => setTimeout(resolve, 500))) {
          fromEditor = (await server.semanticDiagnostics(alerts))
            .map((d) => ({
              file: 'definitions/example/alerts.ts',
              start: [d.start.line, d.start.offset],
              end: [d.end.line, d.end.offset],
              rule: d.source?.startsWith('moncode ') ? d.source.slice('moncode '.length) : 'typescript',
            }))
            // With a type error the build stops before running definitions; the editor runs them anyway (definition/invalid).
            .filter((d) => rule !== 'typescript' || d.rule === 'typescript');
          if (JSON.stringify(fromEditor) === JSON.stringify(fromBuild)) break;
        }
        expect(fromEditor).toEqual(fromBuild);
      }
    } finally {
      writeFileSync(alerts, original);
      await server.stop();
    }
  }, 240_000);

  it('commits through the hook: a staged fault is blocked, a clean change passes', () => {
    expect(execFileSync('git', ['config', '--get', 'core.hooksPath'], { cwd: project, encoding: 'utf8' }).trim()).toBe('.githooks');
    expect(bin(project, 'mon-build').code).toBe(0);
    expect(git(['add', '-A'], project).code).toBe(0);
    expect(git(['commit', '-q', '-m', 'start'], project)).toMatchObject({ code: 0 });
    // The fault is staged; the working tree is clean again, so only the hook's --staged sees it.
    writeFileSync(alerts, original.replace("        runbook_url: 'docs/runbooks/example/instance-down.md',\n", ''));
    git(['add', alerts], project);
    writeFileSync(alerts, original);
    const blocked = git(['commit', '-q', '-m', 'fault'], project);
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain('definitions/example/alerts.ts:11:7: error: critical alert without a runbook');
    expect(git(['log', '--format=%s'], project).output.trim()).toBe('start');
    git(['add', alerts], project);
    writeFileSync(alerts, original.replace("summary: 'Instance {{ $labels.instance }} is down'", "summary: 'Instance {{ $labels.instance }} of {{ $labels.job }} is down'"));
    git(['add', alerts], project);
    expect(git(['commit', '-q', '-m', 'clean'], project)).toMatchObject({ code: 0 });
    expect(git(['log', '--format=%s'], project).output.trim()).toBe('clean\nstart');
  }, 240_000);
});
