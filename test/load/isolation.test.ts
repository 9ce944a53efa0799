import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const GROUP = `ruleGroup({ name: 'web', rules: [alertRule({ alert: 'WebDown', expr: 'up{job="web"} == 0', labels: { severity: 'info' }, annotations: { summary: 'Web is down', description: 'No web instance answers' } })] })`;
const HEAD = `import { alertRule, ruleGroup } from 'moncode';\nconst host = globalThis as unknown as Record<string, any>;\n`;

/** A project whose one definitions module is `body` (after HEAD: line 3 on). */
function run(body: string, args: string[] = [], config?: string): { code: number | null; output: string; dir: string } {
  const files: Record<string, string> = { 'definitions/web/rules.ts': `${HEAD}${body}\n` };
  if (config) files['mon.config.ts'] = config;
  const dir = makeProject(files);
  const started = Date.now();
  const result = runBin('mon-build', ['--time-limit', '3', ...args], dir);
  expect(Date.now() - started, 'a hostile definition cannot hold the build').toBeLessThan(60_000);
  const output = result.stdout + result.stderr;
  expect(output).not.toMatch(/internal error|\n\s+at .*\(|node:internal/);
  return { code: result.code, output, dir };
}

describe('definitions run where the build can stop them and report what they did', () => {
  const cases: Array<[string, string, RegExp]> = [
    // The line the loop was running at (paused through the inspector), not the module's first line.
    ['an endless loop', `while (Date.now() > 0) {}\nexport default ${GROUP};`, /rules\.ts:3:1: error: did not finish within 3 s \(stopped running it\).*\[load\/stopped\]/],
    [
      'an endless loop in a function',
      `function spin(): void {\n  let n = 0;\n  for (;;) n++;\n}\nspin();\nexport default ${GROUP};`,
      /rules\.ts:5:3: error: did not finish within 3 s \(stopped running it\)/,
    ],
    [
      'a wait longer than the limit (nothing running: the module)',
      `await new Promise((resolve) => host.setTimeout(resolve, 600_000));\nexport default ${GROUP};`,
      /rules\.ts:1:1: error: did not finish within 3 s \(stopped running it\)/,
    ],
    ['process.exit(0)', `host.process.exit(0);\nexport default ${GROUP};`, /rules\.ts:3:14: error: process\.exit\(0\) called: definitions cannot end the build.*\[definition\/invalid\]/],
    [
      'a top-level await that never settles',
      `await new Promise(() => undefined);\nexport default ${GROUP};`,
      /rules\.ts:1:1: error: never finished evaluating: a top-level `await` waits for something that never happens/,
    ],
    [
      'an unhandled rejection',
      `void Promise.reject(new Error('boom'));\nexport default ${GROUP};`,
      /rules\.ts:3:\d+: error: a promise was rejected and nothing handled it: boom \[definition\/invalid\]/,
    ],
    ['a lingering interval', `host.setInterval(() => undefined, 1000);\nexport default ${GROUP};`, /rules\.ts:3:6: error: setInterval\(\) is still pending after the module ran/],
    ['a lingering timeout', `host.setTimeout(() => undefined, 100_000);\nexport default ${GROUP};`, /rules\.ts:3:6: error: setTimeout\(\) is still pending/],
    [
      'an exported Promise that never settles',
      `export const later = new Promise(() => undefined);\nexport default ${GROUP};`,
      /rules\.ts:1:1: error: its export `later` is a Promise that never settles/,
    ],
    ['an exported Promise that rejects', `export const later = Promise.reject(new Error('no data'));\nexport default ${GROUP};`, /rules\.ts:3:\d+: error: definition threw: no data/],
    [
      'a getter that throws',
      `const group = ${GROUP};\nObject.defineProperty(group.rules[0], 'expr', { enumerable: true, get() { throw new Error('lazy'); } });\nexport default group;`,
      /rules\.ts:3:\d+: error: reading `expr` threw: lazy \[definition\/invalid\]/,
    ],
    [
      'a function inside a resource',
      `const group = ${GROUP};\n(group.rules[0] as any).labels = { severity: () => 'info' };\nexport default group;`,
      /rules\.ts:\d+:\d+: error: `severity` is a function/,
    ],
    ['a nested Promise', `const group = ${GROUP};\n(group.rules[0] as any).annotations = { summary: Promise.resolve('x') };\nexport default group;`, /error: `summary` is a Promise: await it/],
  ];
  it.each(cases)('%s is an error at its line, exit 1, nothing written', (_name, body, message) => {
    const { code, output } = run(body);
    expect(output).toMatch(message);
    expect(code).toBe(1);
    expect(output).toContain('out/ left unchanged');
  });

  it('awaits exported Promises and builds what they resolve to', () => {
    const { code, output, dir } = run(`export const later = Promise.resolve(${GROUP});`);
    expect(output).toContain('✔ 0 errors');
    expect(code).toBe(0);
    expect(readFileSync(path.join(dir, 'out/prometheus/rules/web.rules.yml'), 'utf8')).toContain('alert: WebDown');
  });

  it('stops an endless mon.config.ts: exit 2, one line naming it', () => {
    const { code, output } = run(`export default ${GROUP};`, [], `import { defineConfig } from 'moncode';\nwhile (Date.now() > 0) {}\nexport default defineConfig({});\n`);
    expect(code).toBe(2);
    expect(output).toMatch(/mon\.config\.ts:2:1: .*bad config: did not finish within 3 s/);
  });

  // Sibling ways to end or signal the build process from inside the evaluation: each is refused at its line.
  const signals: Array<[string, string, RegExp]> = [
    ["process.kill(process.pid, 'SIGKILL')", `host.process.kill(host.process.pid, 'SIGKILL');`, /rules\.ts:3:14: error: process\.kill\(\) called: definitions cannot send signals/],
    ['process.kill(process.pid)', `host.process.kill(host.process.pid);`, /rules\.ts:3:14: error: process\.kill\(\) called/],
    ['process.kill(process.ppid)', `host.process.kill(host.process.ppid, 'SIGTERM');`, /rules\.ts:3:14: error: process\.kill\(\) called/],
    ['process._kill', `host.process._kill(host.process.pid, 9);`, /rules\.ts:3:14: error: process\._kill\(\) called/],
    ['replacing process.kill', `host.process.kill = () => true;`, /rules\.ts:3:\d+: error: process\.kill cannot be replaced by definitions/],
    ['process.abort()', `host.process.abort();`, /rules\.ts:3:14: error: process\.abort\(\) called: definitions cannot end the build/],
    ['process.reallyExit', `host.process.reallyExit(0);`, /rules\.ts:3:14: error: process\.reallyExit\(\) called/],
  ];
  it.each(signals)('%s cannot end the build: definition/invalid at its line, exit 1', (_name, statement, message) => {
    const { code, output } = run(`${statement}\nexport default ${GROUP};`);
    expect(output).toMatch(message);
    expect(code).toBe(1);
  });

  // Processes, threads and cluster workers: refused where called, reported even when the definition catches the
  // error, and the build (the parent of the evaluation) lives on to say so.
  const CP = `const cp = host.process.getBuiltinModule('node:child_process');`;
  const spawning: Array<[string, string, RegExp]> = [
    [
      'execSync killing the build, caught',
      `${CP}\ntry { cp.execSync('kill -9 ' + host.process.pid); } catch {}`,
      /rules\.ts:4:10: error: child_process\.execSync\(\) called: definitions cannot start processes or threads/,
    ],
    [
      'execSync from a static import',
      `// @ts-ignore\nimport { execSync } from 'node:child_process';\nexecSync('kill -9 ' + host.process.ppid);`,
      /rules\.ts:5:1: error: child_process\.execSync\(\) called/,
    ],
    ['spawn from a dynamic import', `const { spawn } = await import('node:child_process' as string);\nspawn('sleep', ['100']);`, /rules\.ts:4:1: error: child_process\.spawn\(\) called/],
    [
      'exec, execFile, fork, spawnSync',
      `${CP}\nfor (const f of ['exec', 'execFile', 'fork', 'spawnSync', 'execFileSync']) try { cp[f]('true'); } catch {}`,
      /rules\.ts:4:85: error: child_process\.exec\(\)[\s\S]*\.execFile\(\)[\s\S]*\.execFileSync\(\)[\s\S]*\.fork\(\)[\s\S]*\.spawnSync\(\) called/,
    ],
    [
      'a worker thread',
      `const { Worker } = host.process.getBuiltinModule('node:worker_threads');\nnew Worker('process.kill(process.pid)', { eval: true });`,
      /rules\.ts:4:1: error: worker_threads\.Worker\(\) called/,
    ],
    ['cluster.fork()', `host.process.getBuiltinModule('node:cluster').fork();`, /rules\.ts:3:\d+: error: cluster\.fork\(\) called/],
    [
      'a spawn from a timer',
      `${CP}\nhost.setTimeout(() => cp.spawn('true'), 1);\nawait new Promise((resolve) => host.setTimeout(resolve, 50));`,
      /rules\.ts:4:26: error: child_process\.spawn\(\) called/,
    ],
    ['process.binding', `host.process.binding('spawn_sync');`, /rules\.ts:3:14: error: process\.binding\(\) called: definitions cannot reach into Node internals/],
    [
      "forging the build's messages through parentPort",
      `host.process.getBuiltinModule('node:worker_threads').parentPort.postMessage({ type: 'done', resources: [], values: { nodes: [], roots: [] }, diagnostics: [], files: [] });`,
      /rules\.ts:3:\d+: error: definition threw: Cannot read properties of null/,
    ],
  ];
  it.each(spawning)('%s is refused: definition/invalid at its call, exit 1, the build lives', (_name, statements, message) => {
    const { code, output } = run(`${statements}\nexport default ${GROUP};`);
    expect(output).toMatch(message);
    expect(output).toContain('out/ left unchanged');
    expect(code).toBe(1);
  });

  it.each([
    ['in a definition', (stmt: string) => run(`${stmt}\nexport default ${GROUP};`, ['--format', 'json'])],
    [
      'in mon.config.ts',
      (stmt: string) =>
        run(
          `export default ${GROUP};`,
          ['--format', 'json'],
          `import { defineConfig } from 'moncode';\nconst host = globalThis as unknown as Record<string, any>;\n${stmt}\nexport default defineConfig({});\n`,
        ),
    ],
  ])('output written %s reaches stderr escaped, never stdout or the JSON report', (_where, build) => {
    const dir = makeProject({
      'definitions/web/rules.ts': `${HEAD}host.console.log('log\\x1b[2J'); host.console.error('err\\x1b]0;t\\x07'); host.process.stdout.write('out\\u202e\\n'); host.process.getBuiltinModule('node:fs').writeSync(1, 'fd\\x1b[31m\\n');\nexport default ${GROUP};\n`,
    });
    const result = runBin('mon-build', ['--time-limit', '10', '--format', 'json'], dir);
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout).summary.errors).toBe(0);
    expect(result.stdout + result.stderr).not.toMatch(/[\x1b\x07\u202e]/);
    for (const text of ['log\\x1b[2J', 'err\\x1b]0;t\\x07', 'out\\u202e', 'fd\\x1b[31m']) expect(result.stderr).toContain(text);
    const config = build(`host.console.log('config\\x1b[2J');`);
    expect(config.code).toBe(0);
    expect(config.output).toContain('config\\x1b[2J');
    expect(config.output).not.toMatch(/\x1b/);
  });

  it('endless recursion is reported at its line as the definition recursing, not as a crash', () => {
    const { code, output } = run(`function down(n: number): number {\n  return down(n + 1);\n}\ndown(0);\nexport default ${GROUP};`);
    expect(output).toMatch(/rules\.ts:\d+:\d+: error: definition recursed too deeply \(the call stack overflowed\)/);
    expect(output).not.toMatch(/Maximum call stack|RangeError/);
    expect(code).toBe(1);
  });

  it('a never-settling await inside an async function building an export is reported at the module', () => {
    const { code, output } = run(`async function build() {\n  await new Promise(() => undefined);\n  return ${GROUP};\n}\nexport const web = build();`);
    expect(output).toMatch(/rules\.ts:1:1: error: its export `web` is a Promise that never settles \[load\/stopped\]/);
    expect(code).toBe(1);
  });

  it('an endless loop in a helper module is reported in the helper, at the loop', () => {
    const dir = makeProject({
      'definitions/shared/spin.ts': `export function spin(): number {\n  let n = 0;\n  while (n >= 0) n = (n + 1) % 10;\n  return n;\n}\n`,
      'definitions/web/rules.ts': `${HEAD}import { spin } from '../shared/spin.ts';\nspin();\nexport default ${GROUP};\n`,
    });
    const result = runBin('mon-build', ['--time-limit', '3'], dir);
    expect(result.stdout + result.stderr).toMatch(/definitions\/shared\/spin\.ts:3:3: error: did not finish within 3 s \(stopped running it\)/);
    expect(result.code).toBe(1);
  });

  it.each([
    [['--time-limit', 'soon'], 'mon-build: error: --time-limit "soon" is not a number of seconds above 0'],
    // A negative number is this option's value (parseArgs alone calls it an ambiguous argument).
    [['--time-limit', '-1'], 'mon-build: error: --time-limit "-1" is not a number of seconds above 0'],
    [['--time-limit=-1'], 'mon-build: error: --time-limit "-1" is not a number of seconds above 0'],
    [['--time-limit', '0'], 'mon-build: error: --time-limit "0" is not a number of seconds above 0'],
    [['--time-limit', '--quiet'], 'mon-build: error: --time-limit needs a value (it is followed by "--quiet", an option); a value that starts with - is written --time-limit=VALUE'],
  ])('refuses %j with exit 2 and one line', (args, line) => {
    const dir = makeProject({ 'definitions/web/rules.ts': `${HEAD}export default ${GROUP};\n` });
    const result = runBin('mon-build', args, dir);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`${line}\n`);
  });
});
