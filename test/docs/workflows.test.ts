import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parse as parseYaml } from 'yaml';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

// The workflow files users copy: every moncode command they run exists with the flags it is
// given (as its --help lists them), and the hook, the lint-staged command and the action's
// check step are run for real on a project.

const BINS = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> }).bin;

const helps = new Map<string, Map<string, string>>();

/** A command's options as its --help lists them: flag → the help line (which names a value, if it takes one). */
function helpOptions(bin: string): Map<string, string> {
  const known = helps.get(bin);
  if (known) return known;
  const help = execFileSync(process.execPath, [path.join(REPO_ROOT, BINS[bin]!), '--help'], { encoding: 'utf8' });
  const options = new Map<string, string>();
  for (const line of help.split('\n')) {
    const match = /^\s+(?:-\w, )?(--[a-z][a-z-]*)(.*)$/.exec(line);
    if (match) options.set(match[1]!, match[2]!);
  }
  helps.set(bin, options);
  return options;
}

interface Invocation {
  bin: string;
  args: string[];
}

/** Every `mon-…` command line in a text (up to a quote, redirection, pipe or the line's end). */
function invocations(text: string): Invocation[] {
  return [...text.matchAll(/(?<![\w-])(mon-[a-z]+)((?:[ \t]+[^\s"'`>|;&)]+)*)/g)].map((m) => ({ bin: m[1]!, args: m[2]!.trim().split(/\s+/).filter(Boolean) }));
}

/** Checks one invocation against its command's --help: problems as lines, none when it is right. */
function problemsOf({ bin, args }: Invocation): string[] {
  if (!(bin in BINS)) return [`${bin}: no such command in package.json "bin"`];
  const options = helpOptions(bin);
  const problems: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-')) continue;
    const help = options.get(arg);
    if (help === undefined) {
      problems.push(`${bin} ${arg}: not an option of ${bin}`);
      continue;
    }
    // `--format FORMAT  pretty (default), json, sarif or github`: the value is one the line names.
    const takesValue = /^\s+[A-Z]+\b/.test(help);
    if (takesValue && arg === '--format' && !new RegExp(`\\b${args[i + 1]}\\b`).test(help)) problems.push(`${bin} --format ${args[i + 1]}: not a format of ${bin}`);
    if (takesValue) i++;
  }
  return problems;
}

describe('the command lines of the workflow files', () => {
  const files = ['.pre-commit-hooks.yaml', 'action.yml', 'docs/workflows.md', 'hooks/pre-commit'];
  it.each(files)('%s runs moncode commands that exist, with their flags', (file) => {
    const found = invocations(readFileSync(path.join(REPO_ROOT, file), 'utf8'));
    expect(found.length).toBeGreaterThan(0);
    expect(found.flatMap(problemsOf)).toEqual([]);
  });

  it('the checker catches a flag, a format and a command that do not exist', () => {
    expect(invocations('run: mon-build --check --format xml\nentry: mon-lint --stagged\nmon-deploy now').flatMap(problemsOf)).toEqual([
      'mon-build --format xml: not a format of mon-build',
      'mon-lint --stagged: not an option of mon-lint',
      'mon-deploy: no such command in package.json "bin"',
    ]);
  });
});

interface Hook {
  id: string;
  name: string;
  entry: string;
  language: string;
  pass_filenames: boolean;
  files: string;
}

const CLEAN = `import { alertRule, ruleGroup } from 'moncode';

export const group = ruleGroup({
  name: 'a',
  rules: [alertRule({ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://example.com/rb' } })],
});
`;
const FAULTY = CLEAN.replace(", runbook_url: 'https://example.com/rb'", '');

/** A project whose node_modules/.bin has moncode's commands, as npm links them. */
function installedProject(files: Record<string, string>): string {
  const dir = makeProject(files);
  mkdirSync(path.join(dir, 'node_modules', '.bin'), { recursive: true });
  for (const [bin, file] of Object.entries(BINS)) symlinkSync(path.join(REPO_ROOT, file), path.join(dir, 'node_modules', '.bin', bin));
  return dir;
}

/** A git repository with one clean commit, then FAULTY staged while the working tree is clean again. */
function repositoryWithStagedFault(): string {
  const dir = installedProject({ 'definitions/a/rules.ts': CLEAN, '.gitignore': 'node_modules/\n' });
  const git = (...args: string[]) => execFileSync('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.com', ...args], { cwd: dir, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('commit', '-q', '-m', 'start');
  writeFileSync(path.join(dir, 'definitions/a/rules.ts'), FAULTY);
  git('add', '-A');
  writeFileSync(path.join(dir, 'definitions/a/rules.ts'), CLEAN);
  return dir;
}

function shell(command: string, cwd: string, env: Record<string, string> = {}) {
  const result = spawnSync('sh', ['-c', command], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', PATH: `${path.join(cwd, 'node_modules', '.bin')}:${process.env.PATH}`, ...env },
    timeout: 120_000,
  });
  return { code: result.status, output: `${result.stdout}${result.stderr}` };
}

describe('.pre-commit-hooks.yaml', () => {
  const hooks = parseYaml(readFileSync(path.join(REPO_ROOT, '.pre-commit-hooks.yaml'), 'utf8')) as Hook[];

  it('declares node hooks over the whole project, for the files monitoring is made of', () => {
    expect(hooks.map((h) => h.id)).toEqual(['mon-lint', 'mon-build-check']);
    for (const hook of hooks) {
      expect(hook).toMatchObject({ language: 'node', pass_filenames: false });
      const files = new RegExp(hook.files);
      expect(['definitions/a/rules.ts', 'rules/api.yml', 'dashboards/x.json', 'docs/runbooks/a.md'].every((f) => files.test(f))).toBe(true);
      expect(['README.txt', 'src/app.py'].some((f) => files.test(f))).toBe(false);
    }
  });

  it('mon-lint blocks a staged fault that the working tree no longer has, and passes the clean index', () => {
    const dir = repositoryWithStagedFault();
    const entry = hooks.find((h) => h.id === 'mon-lint')!.entry;
    const blocked = shell(entry, dir);
    expect(blocked.code).toBe(1);
    expect(blocked.output).toContain('definitions/a/rules.ts:5:');
    expect(blocked.output).toContain('[runbook/missing]');
    execFileSync('git', ['add', '-A'], { cwd: dir });
    expect(shell(entry, dir)).toEqual({ code: 0, output: '' });
  }, 120_000);

  it('the lint-staged recipe runs the same check', async () => {
    const page = readFileSync(path.join(REPO_ROOT, 'docs/workflows.md'), 'utf8');
    const source = /```js\n\/\/ lint-staged\.config\.mjs\n([\s\S]*?)```/.exec(page)![1]!;
    const dir = repositoryWithStagedFault();
    writeFileSync(path.join(dir, 'lint-staged.config.mjs'), source);
    const config = (await import(pathToFileURL(path.join(dir, 'lint-staged.config.mjs')).href)).default as Record<string, (files: string[]) => string>;
    const commands = Object.values(config).map((task) => task([path.join(dir, 'definitions/a/rules.ts')]));
    expect(commands).toEqual([hooks.find((h) => h.id === 'mon-lint')!.entry]);
    expect(shell(commands[0]!, dir).code).toBe(1);
  }, 120_000);
});

interface Step {
  id?: string;
  name: string;
  shell?: string;
  run?: string;
  uses?: string;
  if?: string;
  'working-directory'?: string;
}

describe('action.yml', () => {
  const action = parseYaml(readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8')) as {
    name: string;
    description: string;
    inputs: Record<string, { description: string; default: string }>;
    outputs: Record<string, { value: string }>;
    runs: { using: string; steps: Step[] };
  };

  it('is a composite action whose run steps name their shell, and whose expressions use declared inputs', () => {
    expect(action.runs.using).toBe('composite');
    expect(action.name && action.description).toBeTruthy();
    for (const step of action.runs.steps) if (step.run) expect(step.shell).toBe('bash');
    const text = readFileSync(path.join(REPO_ROOT, 'action.yml'), 'utf8');
    const used = [...text.matchAll(/inputs\.([a-z-]+)/g)].map((m) => m[1]!);
    expect(used.filter((name) => !(name in action.inputs))).toEqual([]);
    expect(action.runs.steps.find((s) => s.uses)?.uses).toMatch(/^github\/codeql-action\/upload-sarif@v\d+$/);
    // The page's workflow passes only inputs the action has.
    const workflow = parseYaml(/```yaml\n# \.github\/workflows\/monitoring\.yml\n([\s\S]*?)```/.exec(readFileSync(path.join(REPO_ROOT, 'docs/workflows.md'), 'utf8'))![1]!);
    const ours = (workflow.jobs.check.steps as Array<{ uses: string; with?: Record<string, string> }>).find((s) => s.uses.startsWith('moncode/moncode@'))!;
    expect(Object.keys(ours.with ?? {}).filter((name) => !(name in action.inputs))).toEqual([]);
  });

  /** Runs the `check` step's script as the runner would (inputs at their defaults). */
  function runCheckStep(dir: string): { exitCode: string; sarif?: { runs: Array<{ results: Array<{ ruleId: string }> }> } } {
    const step = action.runs.steps.find((s) => s.id === 'check')!;
    const script = step.run!.replace(/\$\{\{\s*inputs\.([a-z-]+)\s*\}\}/g, (_, name: string) => action.inputs[name]!.default);
    const output = path.join(dir, 'github-output');
    writeFileSync(output, '');
    const result = spawnSync('bash', ['-e', '-c', script], { cwd: dir, encoding: 'utf8', env: { ...process.env, GITHUB_OUTPUT: output }, timeout: 120_000 });
    expect(result.status).toBe(0);
    const exitCode = /^exit-code=(\d+)$/m.exec(readFileSync(output, 'utf8'))![1]!;
    const sarifFile = path.join(dir, action.inputs['sarif-file']!.default);
    return { exitCode, sarif: existsSync(sarifFile) ? JSON.parse(readFileSync(sarifFile, 'utf8')) : undefined };
  }

  it.each<{ name: string; files: Record<string, string>; build: boolean; exitCode: string; rules: string[] | undefined }>([
    { name: 'out/ up to date', files: { 'definitions/a/rules.ts': CLEAN }, build: true, exitCode: '0', rules: [] },
    { name: 'out/ stale', files: { 'definitions/a/rules.ts': CLEAN }, build: false, exitCode: '1', rules: [] },
    { name: 'an error in a definition', files: { 'definitions/a/rules.ts': FAULTY }, build: false, exitCode: '1', rules: ['runbook/missing'] },
    { name: 'an unusable config', files: { 'definitions/a/rules.ts': CLEAN, 'mon.config.ts': 'export default 5;\n' }, build: false, exitCode: '2', rules: undefined },
  ])(
    'its check step on $name: exit code $exitCode, SARIF with $rules',
    ({ files, build, exitCode, rules }) => {
      const dir = installedProject(files);
      if (build) expect(runBin('mon-build', [], dir).code).toBe(0);
      const result = runCheckStep(dir);
      expect(result.exitCode).toBe(exitCode);
      expect(result.sarif?.runs[0]!.results.map((r) => r.ruleId)).toEqual(rules);
    },
    120_000,
  );
});
