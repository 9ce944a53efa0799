import { mkdirSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

// A path on the command line that names no usable file: one line saying what it is instead, exit 2.
describe('--config FILE that names no config file', () => {
  const dir = makeProject({ 'mon.config.ts': `export default {};\n`, 'a-file': '', 'folder/mon.config.ts': `export default {};\n` });
  symlinkSync('nowhere', path.join(dir, 'dangling'));
  symlinkSync('loop-b', path.join(dir, 'loop-a'));
  symlinkSync('loop-a', path.join(dir, 'loop-b'));
  mkdirSync(path.join(dir, 'empty folder'));
  const cases: Array<[string, string]> = [
    ['folder', 'config file folder is a folder: name the file in it (--config folder/mon.config.ts), or run in that folder without --config'],
    ['empty folder/', 'config file empty folder/ is a folder: name the file in it (--config empty folder/mon.config.ts), or run in that folder without --config'],
    ['nosuch.ts', 'config file nosuch.ts does not exist'],
    ['dangling', 'config file dangling is a link to nothing'],
    ['loop-a', 'config file loop-a is a link that loops'],
    ['a-file/mon.config.ts', 'config file a-file/mon.config.ts does not exist (a part of its path is a file)'],
    ['/dev/null', 'config file /dev/null is not a file (a device, pipe or socket)'],
  ];
  for (const bin of ['mon-build', 'mon-lint', 'mon-test'] as const)
    it.each(cases)(`${bin} --config %s`, (given, message) => {
      const result = runBin(bin, ['--config', given], dir);
      expect(result.stderr).toBe(`${bin}: error: ${message}\n`);
      expect(result.code).toBe(2);
    });
});
