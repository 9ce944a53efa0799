import { spawnSync } from 'node:child_process';
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

// Where mon-init is asked to make a project, relative to a folder holding the file `somefile`.
const CASES = [
  { name: 'a file', target: 'somefile' },
  { name: 'a folder under a file', target: 'somefile/project' },
  { name: 'a folder two levels under a file', target: 'somefile/a/b' },
];

describe('mon-init into a path that cannot be a folder', () => {
  it.each(CASES)('$name: one line naming the path, exit 2, nothing written', ({ target }) => {
    const dir = makeProject({});
    writeFileSync(path.join(dir, 'somefile'), 'keep\n');
    const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-init.js'), target], { cwd: dir, encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(result.stderr).toBe(`mon-init: error: ${target} is a file or lies under one, not a folder: mon-init makes a new project in a folder; nothing was written\n`);
    expect(result.stdout).toBe('');
    expect(result.status).toBe(2);
    expect(readdirSync(dir)).toEqual(['somefile']);
    expect(statSync(path.join(dir, 'somefile')).isFile()).toBe(true);
  });
});
