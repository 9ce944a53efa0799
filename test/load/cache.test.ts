import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree, REPO_ROOT } from '../helpers/project.js';

/**
 * Two versions of one project: the same file names with other content, and an
 * import (`../shared/make`) that resolves to `make.ts` in one and `make/index.ts`
 * in the other. A cache that trusts a file name, or a copy written by an
 * interrupted build of the other tree, shows the other tree's alerts.
 */
function tree(name: string, services = 12): Record<string, string> {
  const files: Record<string, string> = {};
  const make = `import { alertRule } from 'moncode';
export function make(service: string, threshold: number) {
  return alertRule({ alert: \`\${service}Errors${name}\`, expr: \`sum(rate(http_errors_total{job="\${service}"}[5m])) > \${threshold}\`, for: '${name === 'A' ? '5m' : '10m'}', labels: { severity: 'info', tree: '${name}' }, annotations: { summary: 'Errors (${name})', description: 'Errors in tree ${name}' } });
}
`;
  files[name === 'A' || name.endsWith('odd') ? 'definitions/shared/make.ts' : 'definitions/shared/make/index.ts'] = make;
  for (let i = 0; i < services; i++) {
    files[`definitions/svc${i}/rules.ts`] = `import { ruleGroup } from 'moncode';
import { make } from '../shared/make';

export default ruleGroup({ name: 'svc${i}-${name}', rules: [make('svc${i}', ${name === 'A' ? i : i * 10 + 1})] });
`;
  }
  return files;
}

function switchTo(dir: string, name: string, services = 12): void {
  rmSync(path.join(dir, 'definitions'), { recursive: true, force: true });
  for (const [file, text] of Object.entries(tree(name, services))) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), text);
  }
}

const cacheOf = (dir: string) => path.join(dir, 'node_modules', '.cache', 'moncode');

function buildOut(dir: string): Record<string, string> {
  const result = runBin('mon-build', [], dir);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return readTree(path.join(dir, 'out'));
}

function cleanBuild(dir: string): Record<string, string> {
  rmSync(cacheOf(dir), { recursive: true, force: true });
  return buildOut(dir);
}

const PRELOAD = path.join(REPO_ROOT, 'test', 'helpers', 'interrupt-at-write.mjs');

type KillPoint = { write: number } | { after: number };

/**
 * Starts a real build and interrupts it with `signal`: just before its n-th
 * file-system write (transpiled copies, type-check state, the manifest, the
 * out/ staging tree and its swap; see helpers/interrupt-at-write.mjs) or after
 * a delay. Resolves when the build has ended.
 */
function interruptedBuild(dir: string, signal: NodeJS.Signals, point: KillPoint, countFile?: string): Promise<void> {
  return new Promise((resolve) => {
    const env: Record<string, string> = { ...(process.env as Record<string, string>), NO_COLOR: '1', NODE_OPTIONS: `--import ${pathToFileURL(PRELOAD).href}` };
    if ('write' in point) Object.assign(env, { MONCODE_INTERRUPT_AT: String(point.write), MONCODE_INTERRUPT_SIGNAL: signal });
    if (countFile) env.MONCODE_INTERRUPT_COUNT = countFile;
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-build.js')], { cwd: dir, stdio: 'ignore', env });
    const timer = 'after' in point ? setTimeout(() => child.kill(signal), point.after) : undefined;
    child.on('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

function newProject(name: 'A' | 'B', services = 12): string {
  const dir = makeProject(tree(name, services));
  mkdirSync(path.join(dir, 'node_modules'));
  return dir;
}

describe('the build cache never changes what a build writes', () => {
  const trials = Number(process.env.MONCODE_CACHE_TRIALS ?? 4);

  it(`after ${trials} builds of another tree interrupted from start to out/ swap, the next build equals a build without cache`, { timeout: 900_000 }, async () => {
    const dir = newProject('A');
    const reference = { A: cleanBuild(dir), B: (switchTo(dir, 'B'), cleanBuild(dir)) };
    expect(reference.A).not.toEqual(reference.B);
    // How many writes a build of a switched tree makes, in its busiest thread.
    const countFile = path.join(dir, 'writes.txt');
    switchTo(dir, 'A');
    await interruptedBuild(dir, 'SIGKILL', { write: 0 }, countFile);
    const writes = Math.max(...readFileSync(countFile, 'utf8').trim().split('\n').map(Number));
    rmSync(countFile);
    expect(writes).toBeGreaterThan(20);
    const outcomes: string[] = [];
    for (let trial = 0; trial < trials; trial++) {
      // A tree no build has seen yet is interrupted, so its copies are new to the cache.
      const interrupted = `T${trial}${trial % 2 ? 'odd' : 'even'}`;
      const next = trial % 2 === 0 ? 'A' : 'B';
      switchTo(dir, interrupted);
      const signal = trial % 3 === 1 ? 'SIGINT' : 'SIGKILL';
      // At writes spread evenly over the whole build, and now and then after a delay.
      const point: KillPoint = trial % 6 === 5 ? { after: 150 + ((trial * 397) % 1200) } : { write: 1 + Math.floor(((trial + 0.5) * writes) / trials) };
      await interruptedBuild(dir, signal, point);
      switchTo(dir, next);
      const built = buildOut(dir);
      expect(built, `trial ${trial}: ${signal} at ${JSON.stringify(point)} of a build of ${interrupted}, then a build of ${next}`).toEqual(reference[next as 'A' | 'B']);
      const check = runBin('mon-build', ['--check'], dir);
      expect(check.code, check.stdout).toBe(0);
      outcomes.push(`${signal}@${JSON.stringify(point)}`);
    }
    if (process.env.MONCODE_CACHE_REPORT) writeFileSync(process.env.MONCODE_CACHE_REPORT, `${writes} writes per build; ${outcomes.length} trials passed: ${outcomes.join(' ')}\n`);
  });

  it('a corrupt or foreign cache entry is ignored and rebuilt', () => {
    const dir = newProject('A');
    const reference = cleanBuild(dir);
    const walk = (current: string, visit: (file: string) => void): void => {
      for (const entry of readdirSafe(current)) {
        const full = path.join(current, entry);
        if (existsSync(full) && isDir(full)) walk(full, visit);
        else visit(full);
      }
    };
    let n = 0;
    walk(cacheOf(dir), (file) => {
      n++;
      if (file.endsWith('.mjs')) writeFileSync(file, n % 2 ? 'export default 42;\n' : 'syntax error (');
      else writeFileSync(file, n % 2 ? '{"version":' : '{}');
    });
    expect(n).toBeGreaterThan(3);
    rmSync(path.join(dir, 'out'), { recursive: true });
    expect(buildOut(dir)).toEqual(reference);
  });

  it('two projects sharing one node_modules build alternately, each its own output', () => {
    const shared = makeProject({});
    mkdirSync(path.join(shared, 'node_modules'));
    const a = makeProject(tree('A'));
    const b = makeProject(tree('B'));
    // Same file names, other content: both projects keep their cache in one folder.
    symlinkSync(path.join(shared, 'node_modules'), path.join(a, 'node_modules'));
    symlinkSync(path.join(shared, 'node_modules'), path.join(b, 'node_modules'));
    const first = { a: buildOut(a), b: buildOut(b) };
    expect(first.a).not.toEqual(first.b);
    for (let round = 0; round < 2; round++) {
      rmSync(path.join(a, 'out'), { recursive: true });
      rmSync(path.join(b, 'out'), { recursive: true });
      expect(buildOut(a)).toEqual(first.a);
      expect(buildOut(b)).toEqual(first.b);
    }
  });

  it('a moved or copied project builds, with the same output', () => {
    const dir = newProject('A');
    const reference = buildOut(dir);
    const moved = path.join(os.tmpdir(), `${path.basename(dir)}-moved`);
    renameSync(dir, moved);
    try {
      rmSync(path.join(moved, 'out'), { recursive: true });
      expect(buildOut(moved)).toEqual(reference);
      const copy = `${moved}-copy`;
      cpSync(moved, copy, { recursive: true });
      try {
        rmSync(path.join(copy, 'out'), { recursive: true });
        switchTo(moved, 'B');
        buildOut(moved);
        expect(buildOut(copy)).toEqual(reference);
      } finally {
        rmSync(copy, { recursive: true, force: true });
      }
    } finally {
      renameSync(moved, dir);
    }
  });
});

function readdirSafe(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}
function isDir(file: string): boolean {
  return statSync(file).isDirectory();
}
