import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/project.js';

const VERSION = (JSON.parse(readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const CLIS = ['mon-build', 'mon-lint', 'mon-import', 'mon-init', 'mon-test'];

function run(name: string, args: string[]) {
  // An empty folder: the answer must not need a project.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'moncode-version-'));
  return spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', `${name}.js`), ...args], { cwd, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' }, timeout: 60_000 });
}

describe.each(CLIS)('%s', (name) => {
  it('--version prints the package version and exits 0', () => {
    const result = run(name, ['--version']);
    expect(result.stderr).toBe('');
    expect(result.stdout).toBe(`${name} ${VERSION}\n`);
    expect(result.status).toBe(0);
  });

  it('an unknown option is one line that points to --help, exit 2', () => {
    const result = run(name, ['--bogus']);
    expect(result.stderr).toBe(`${name}: error: Unknown option '--bogus' (--help lists the options)\n`);
    expect(result.status).toBe(2);
  });
});
