import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

const annotations = "{ summary: 's', description: 'd', runbook_url: 'https://example.com/rb' }";
const rules = (extra = '', busy = false) => `import { alertRule, ruleGroup } from 'moncode';
${busy ? '\nconst until = Date.now() + 2500;\nwhile (Date.now() < until);\n' : ''}
export const group = ruleGroup({
  name: 'a',
  rules: [
    alertRule({ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'warning' }, annotations: ${annotations} }),${extra}
  ],
});
`;
// runbook/missing (error) and alert/annotation-missing (warning) on the second alert.
const FAULTY = rules("\n    alertRule({ alert: 'Gone', expr: 'up == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: 's' } }),");

describe('mon-build --format', () => {
  it.each(['json', 'sarif', 'github'])('%s: what mon-lint reports in that format', (format) => {
    const dir = makeProject({ 'definitions/a/rules.ts': FAULTY });
    const built = runBin('mon-build', ['--format', format], dir);
    const linted = runBin('mon-lint', ['--format', format], dir);
    expect(built.code).toBe(1);
    expect(built.stderr).toBe('');
    if (format === 'json') expect(JSON.parse(built.stdout).diagnostics).toEqual(JSON.parse(linted.stdout).diagnostics);
    else expect(built.stdout).toBe(linted.stdout);
  });

  it('pins the problems at both ends in each format', () => {
    const dir = makeProject({ 'definitions/a/rules.ts': FAULTY });
    const json = JSON.parse(runBin('mon-build', ['--format', 'json'], dir).stdout);
    expect(json.diagnostics.map((d: Record<string, unknown>) => [d.rule, d.severity, d.line, d.column, d.endLine, d.endColumn])).toEqual([
      // The annotations object: \`annotations: { summary: 's' }\`.
      ['alert/annotation-missing', 'warning', 7, 94, 7, 123],
      ['runbook/missing', 'error', 7, 94, 7, 123],
    ]);
    const sarif = JSON.parse(runBin('mon-build', ['--format', 'sarif'], dir).stdout);
    expect(sarif.version).toBe('2.1.0');
    expect(sarif.runs[0].tool.driver.version).toBe(JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).version);
    expect(sarif.runs[0].results[1]).toMatchObject({
      ruleId: 'runbook/missing',
      level: 'error',
      locations: [{ physicalLocation: { artifactLocation: { uri: 'definitions/a/rules.ts' }, region: { startLine: 7, startColumn: 94, endLine: 7, endColumn: 123 } } }],
    });
    const github = runBin('mon-build', ['--format', 'github'], dir).stdout.split('\n');
    expect(github[0]).toMatch(/^::warning file=definitions\/a\/rules\.ts,line=7,col=94,endLine=7,title=alert\/annotation-missing,endColumn=123::/);
    expect(github[1]).toMatch(/^::error file=definitions\/a\/rules\.ts,line=7,col=94,endLine=7,title=runbook\/missing,endColumn=123::/);
  });

  it.each([
    { format: 'sarif', annotation: undefined },
    { format: 'github', annotation: '::error title=mon-build --check::out/ differs from the definitions: run mon-build and commit out/' },
  ])('--check --format $format keeps stdout one document and says what is stale on stderr', ({ format, annotation }) => {
    const dir = makeProject({ 'definitions/a/rules.ts': rules() });
    const result = runBin('mon-build', ['--check', '--format', format], dir);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe('missing: prometheus/rules/a.rules.yml\nout/ differs from the definitions: run mon-build\n');
    if (format === 'sarif') expect(JSON.parse(result.stdout).runs[0].results).toEqual([]);
    else expect(result.stdout).toBe(`${annotation}\n`);
    expect(runBin('mon-build', [], dir).code).toBe(0);
    const fresh = runBin('mon-build', ['--check', '--format', format], dir);
    expect({ code: fresh.code, stderr: fresh.stderr }).toEqual({ code: 0, stderr: 'out/ is up to date\n' });
  });

  it.each(['sarif', 'github'])('refuses --watch --format %s (exit 2, one line)', (format) => {
    const result = runBin('mon-build', ['--watch', '--format', format], makeProject({ 'definitions/a/rules.ts': rules() }));
    expect({ code: result.code, stdout: result.stdout, stderr: result.stderr }).toEqual({ code: 2, stdout: '', stderr: `mon-build: error: --watch reports as pretty or json, not ${format}\n` });
  });
});

/** The environment without NO_COLOR and FORCE_COLOR (an empty FORCE_COLOR forces colour, as in chalk). */
function withoutColorSettings(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NO_COLOR;
  delete env.FORCE_COLOR;
  return env;
}

/** mon-build on a pseudo-terminal (util-linux `script`): stdout and stderr both reach it. */
function onTerminal(dir: string, env: Record<string, string>) {
  const command = `${process.execPath} ${path.join(REPO_ROOT, 'bin', 'mon-build.js')}`;
  const result = spawnSync('script', ['-qec', command, '/dev/null'], { cwd: dir, encoding: 'utf8', env: { ...withoutColorSettings(), TERM: 'xterm', ...env }, timeout: 120_000 });
  return { code: result.status, output: result.stdout };
}

const PROGRESS = /\r\x1b\[2Kmon-build: (type-checking and running definitions|compiling|linting|writing out\/)… \d+\.\d s/;
const COLOUR = /\x1b\[3\dm/;

describe.skipIf(spawnSync('sh', ['-c', 'command -v script']).status !== 0 && !process.env.CI)('mon-build on a terminal', () => {
  // The definition busies itself for 2.5 s, so every build here is over the 2 s a progress line waits for.
  it.each<{ name: string; env: Record<string, string>; progress: boolean; colour: boolean }>([
    { name: 'a terminal', env: {}, progress: true, colour: true },
    { name: 'NO_COLOR', env: { NO_COLOR: '1' }, progress: true, colour: false },
    { name: 'TERM=dumb', env: { TERM: 'dumb' }, progress: false, colour: false },
  ])(
    'on $name: progress $progress, colour $colour',
    ({ env, progress, colour }) => {
      const dir = makeProject({ 'definitions/a/rules.ts': rules('', true) });
      const result = onTerminal(dir, env);
      expect(result.code).toBe(0);
      expect(PROGRESS.test(result.output)).toBe(progress);
      expect(COLOUR.test(result.output)).toBe(colour);
      // The line is erased before the report: the report starts on a clean line.
      if (progress) expect(result.output).toMatch(/\r\x1b\[2K(\x1b\[32m)?✔ 0 errors/);
      expect(result.output).toContain('wrote 1 file to out/');
    },
    120_000,
  );

  it('is silent when not on a terminal, however slow the build', () => {
    const dir = makeProject({ 'definitions/a/rules.ts': rules('', true) });
    const result = runBin('mon-build', [], dir, { TERM: 'xterm' });
    expect({ code: result.code, stderr: result.stderr }).toEqual({ code: 0, stderr: '' });
    expect(COLOUR.test(result.stdout)).toBe(false);
  }, 120_000);

  it('shows nothing for a fast build', () => {
    const dir = makeProject({ 'definitions/a/rules.ts': rules() });
    expect(onTerminal(dir, {}).code).toBe(0);
    // The second build replays the first (nothing changed): well under 2 s.
    const again = onTerminal(dir, {});
    expect(again.code).toBe(0);
    expect(PROGRESS.test(again.output)).toBe(false);
  }, 120_000);
});
