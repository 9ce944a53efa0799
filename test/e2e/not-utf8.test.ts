import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';

const rules = (label: Buffer) =>
  Buffer.concat([Buffer.from('groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: sum by (job) (up)\n        labels:\n          x: '), label, Buffer.from('\n')]);
const dashboard = (title: Buffer) => Buffer.concat([Buffer.from('{\n  "uid": "d",\n  "title": "'), title, Buffer.from('",\n  "panels": []\n}\n')]);
const bytes = (...parts: Array<string | number[]>) => Buffer.concat(parts.map((part) => (typeof part === 'string' ? Buffer.from(part) : Buffer.from(part))));

// Files read by mon-lint: where the first byte that is not UTF-8 is (line, column), or null for valid UTF-8.
const FILES: Array<{ name: string; file: string; content: Buffer; at: [number, number] | null }> = [
  { name: 'bytes 0xff 0xfe in a YAML value', file: 'r.rules.yml', content: rules(bytes('ab', [0xff, 0xfe])), at: [7, 16] },
  { name: 'a Latin-1 é after multi-byte text', file: 'r.rules.yml', content: rules(bytes('ü€😀', [0xe9])), at: [7, 18] },
  { name: 'an overlong encoding of /', file: 'r.rules.yml', content: rules(bytes('a', [0xc0, 0xaf])), at: [7, 15] },
  { name: 'an encoded surrogate', file: 'r.rules.yml', content: rules(bytes('a', [0xed, 0xa0, 0x80])), at: [7, 15] },
  { name: 'a sequence cut at the end of the file', file: 'r.rules.yml', content: Buffer.concat([rules(Buffer.from('a')), Buffer.from([0xe2, 0x82])]), at: [8, 1] },
  { name: 'a Latin-1 é in a JSON dashboard', file: 'd.json', content: dashboard(bytes('Caf', [0xe9])), at: [3, 16] },
  { name: 'valid multi-byte text', file: 'r.rules.yml', content: rules(bytes('"ü€😀"')), at: null },
];

describe('input that is not UTF-8', () => {
  it.each(FILES)(
    'mon-lint: $name',
    ({ file, content, at }) => {
      const dir = makeProject({});
      writeFileSync(path.join(dir, file), content);
      const result = runBin('mon-lint', ['--format', 'json', file], dir);
      const found = (JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; line: number; column: number; endLine: number; endColumn: number; message: string }> }).diagnostics;
      if (!at) {
        expect(found).toEqual([]);
        expect(result.code).toBe(0);
        return;
      }
      expect(found.map(({ rule, line, column, endLine, endColumn }) => ({ rule, line, column, endLine, endColumn }))).toEqual([
        { rule: 'input/unreadable', line: at[0], column: at[1], endLine: at[0], endColumn: at[1] },
      ]);
      expect(found[0]!.message).toMatch(/^not UTF-8: byte 0x[0-9a-f]{2}/);
      expect(result.code).toBe(2);
    },
    60_000,
  );

  it.each([
    { name: 'a Latin-1 é in a string of a system file', file: 'definitions/shop/alerts.ts', at: '2:40' },
    { name: 'a Latin-1 é in a library file', file: 'definitions/lib/names.ts', at: '2:40' },
  ])(
    'mon-build and mon-lint: $name',
    ({ file, at }) => {
      const dir = makeProject({ 'definitions/shop/ok.ts': `import { ruleGroup } from 'moncode';\nexport const ok = ruleGroup({ name: 'ok', rules: [] });\n` });
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(
        path.join(dir, file),
        Buffer.concat([Buffer.from("import { ruleGroup } from 'moncode';\nexport const g = ruleGroup({ name: 'caf"), Buffer.from([0xe9]), Buffer.from("', rules: [] });\n")]),
      );
      for (const bin of ['mon-build', 'mon-lint'] as const) {
        const result = runBin(bin, [], dir);
        expect(result.stderr.trim(), bin).toBe(`${file}:${at}: error: not UTF-8: byte 0xe9 is no UTF-8 character; save the file as UTF-8`);
        expect(result.code, bin).toBe(2);
      }
      expect(existsSync(path.join(dir, 'out'))).toBe(false);
    },
    120_000,
  );
});
