import { execFile, execFileSync, spawnSync } from 'node:child_process';

/**
 * Real validators (promtool, amtool) are the oracle. In CI a missing tool
 * fails the test; on a developer machine the test is skipped with a notice.
 */
export function findTool(name: string): string | undefined {
  const found = spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export function requireTool(name: string): string | undefined {
  const found = findTool(name);
  if (found) return found;
  if (process.env.CI) throw new Error(`${name} is not installed: CI must install it (see .ci/run)`);
  console.warn(`\n  NOTICE: ${name} is not installed; tests that need it are skipped locally (they run in CI).\n`);
  return undefined;
}

export function runTool(tool: string, args: string[], cwd?: string): { code: number; output: string } {
  try {
    const output = execFileSync(tool, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { code: 0, output };
  } catch (error) {
    const e = error as { status?: number; stdout?: string; stderr?: string };
    return { code: e.status ?? 1, output: `${e.stdout ?? ''}${e.stderr ?? ''}` };
  }
}

/** runTool without blocking, so several tools can run side by side. */
export function runToolAsync(tool: string, args: string[], cwd?: string): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(tool, args, { cwd, encoding: 'utf8', maxBuffer: 1 << 26 }, (error, stdout, stderr) => {
      resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, output: `${stdout}${stderr}` });
    });
  });
}
