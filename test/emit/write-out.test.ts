import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { diffOut, writeOut } from '../../src/emit/out-dir.js';
import { readTree } from '../helpers/project.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function outDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-out-'));
  dirs.push(dir);
  return path.join(dir, 'out');
}

describe('writeOut after an edit', () => {
  it('keeps the unchanged files (linked, not written), writes the changed and added ones, drops the removed', () => {
    const out = outDir();
    writeOut(out, [
      { path: 'a/same.json', content: '{"same":1}\n' },
      { path: 'a/changed.json', content: '{"v":1}\n' },
      { path: 'gone.yml', content: 'x: 1\n' },
    ]);
    const before = statSync(path.join(out, 'a/same.json')).ino;
    const next = [
      { path: 'a/same.json', content: '{"same":1}\n' },
      { path: 'a/changed.json', content: '{"v":2}\n' },
      { path: 'b/added.yml', content: 'y: 2\n' },
    ];
    expect(writeOut(out, next)).toEqual({ changed: ['a/changed.json'], added: ['b/added.yml'], removed: ['gone.yml'] });
    const tree = readTree(out);
    delete tree['.moncode-out'];
    expect(tree).toEqual(Object.fromEntries(next.map((file) => [file.path, file.content])));
    expect(statSync(path.join(out, 'a/same.json')).ino).toBe(before);
    expect(diffOut(out, next)).toEqual({ changed: [], added: [], removed: [] });
  });

  it('a file of out/ changed by hand is written again, not linked', () => {
    const out = outDir();
    const files = [
      { path: 'one.json', content: '1\n' },
      { path: 'two.json', content: '2\n' },
    ];
    writeOut(out, files);
    writeFileSync(path.join(out, 'two.json'), 'hand-edited\n');
    expect(writeOut(out, files).changed).toEqual(['two.json']);
    const tree = readTree(out);
    delete tree['.moncode-out'];
    expect(tree).toEqual({ 'one.json': '1\n', 'two.json': '2\n' });
  });
});
