import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from './project.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs one of moncode's real executables (`bin/<name>.js`) in `cwd`. */
export function runBin(name: 'mon-build' | 'mon-lint' | 'mon-import' | 'mon-test', args: string[], cwd: string, env: Record<string, string> = {}): CliResult {
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', `${name}.js`), ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', ...env },
    timeout: 120_000,
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}
