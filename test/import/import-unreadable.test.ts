import { chmodSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const GOOD = `groups:
  - name: good
    rules:
      - alert: GoodDown
        expr: up{job="good"} == 0
`;

/** As root every file can be read: permissions are tried only for another user. */
const root = process.getuid?.() === 0;

interface Case {
  name: string;
  /** Makes the unreadable thing in `dir/in`; its path relative to `dir`. */
  make: (dir: string) => string;
  message: RegExp;
  line?: number;
  column?: number;
  skip?: boolean;
}

const cases: Case[] = [
  {
    name: 'a file that is not UTF-8',
    make: (dir) => (writeFileSync(path.join(dir, 'in/latin1.yml'), Buffer.from('groups:\n  - name: caf\xe9\n', 'latin1')), 'in/latin1.yml'),
    message: /not UTF-8: byte 0xe9/,
    line: 2,
    column: 14,
  },
  { name: 'malformed YAML', make: (dir) => (writeFileSync(path.join(dir, 'in/broken.yml'), 'groups:\n  - name: [x\n'), 'in/broken.yml'), message: /invalid YAML/ },
  { name: 'a dangling symlink', make: (dir) => (symlinkSync(path.join(dir, 'nowhere.yml'), path.join(dir, 'in/dangling.yml')), 'in/dangling.yml'), message: /no such file/, line: 1, column: 1 },
  { name: 'a FIFO', make: (dir) => (execFileSync('mkfifo', [path.join(dir, 'in/pipe.yml')]), 'in/pipe.yml'), message: /a FIFO \(named pipe\), not a file/, line: 1, column: 1 },
  {
    name: 'a file without read permission',
    make: (dir) => (writeFileSync(path.join(dir, 'in/secret.yml'), GOOD.replaceAll('good', 'secret')), chmodSync(path.join(dir, 'in/secret.yml'), 0), 'in/secret.yml'),
    message: /permission denied/,
    line: 1,
    column: 1,
    skip: root,
  },
  {
    name: 'a folder that cannot be listed',
    make: (dir) => (mkdirSync(path.join(dir, 'in/closed')), chmodSync(path.join(dir, 'in/closed'), 0), 'in/closed'),
    message: /folder cannot be listed: permission denied/,
    line: 1,
    column: 1,
    skip: root,
  },
];

describe('one unreadable file does not stop mon-import for the good ones', () => {
  for (const { name, make, message, line, column, skip } of cases) {
    it.skipIf(skip)(`${name}: one line at it, the good file imported, exit 2`, () => {
      const dir = makeProject({ 'in/good.yml': GOOD });
      const bad = make(dir);
      const result = runBin('mon-import', ['in', '--out', 'defs', '--format', 'json'], dir);
      expect(result.stderr).not.toMatch(/internal error|\n\s+at /);
      expect(result.code).toBe(2);
      const diagnostics = (JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number; column: number; message: string }> }).diagnostics;
      const errors = diagnostics.filter((d) => d.rule === 'input/unreadable');
      expect(errors).toHaveLength(1);
      expect(errors[0]).toMatchObject({ file: bad, ...(line === undefined ? {} : { line, column }) });
      expect(errors[0]!.message).toMatch(message);
      expect(readFileSync(path.join(dir, 'defs/in/alerts.ts'), 'utf8')).toContain("alert: 'GoodDown'");

      // Pretty: the one line on stderr, the module written on stdout.
      const pretty = runBin('mon-import', ['in', '--out', 'defs2'], dir);
      expect(pretty.code).toBe(2);
      expect(pretty.stderr.split('\n').filter((text) => /: error: /.test(text))).toEqual([
        expect.stringMatching(new RegExp(`^${bad.replace('.', '\\.')}:\\d+:\\d+: error: .*\\[input/unreadable\\]$`)),
      ]);
      expect(pretty.stdout).toContain('defs2/in/alerts.ts');
      expect(existsSync(path.join(dir, 'defs2/in/alerts.ts'))).toBe(true);
    });
  }

  it('a file of wrong structure still stops the import (what it holds would be imported wrong)', () => {
    const dir = makeProject({ 'in/good.yml': GOOD, 'in/half.yml': 'groups:\n  - rules:\n      - alert: X\n        expr: up == 0\n' });
    const result = runBin('mon-import', ['in', '--out', 'defs'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^in\/half\.yml:2:\d+: error: .*\[input\/invalid\]/m);
    expect(existsSync(path.join(dir, 'defs'))).toBe(false);
  });
});
