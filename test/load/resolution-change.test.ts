import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listDefinitionFiles } from '../../src/load/collect.js';
import { typecheck } from '../../src/load/typecheck.js';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree, writeFiles } from '../helpers/project.js';

/**
 * A new file that changes where an unchanged import resolves, no file the last check read having
 * changed: `lib/x.ts` created beside `lib/x/index.ts`, a package shadowed by a nearer node_modules.
 * The type-check's stamp and the build cache must both notice (the paths resolution looked for and
 * did not find are inputs); the oracle is a check and a build with the cache cleared.
 */
const caches: string[] = [];
afterAll(() => {
  for (const dir of caches) rmSync(dir, { recursive: true, force: true });
});

function cacheDir(): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-rc-'));
  caches.push(dir);
  return dir;
}

const DASHBOARD = (specifier: string) => `import { dashboard, prom, timeseries } from 'moncode';
import { title } from '${specifier}';

export default dashboard({
  title,
  panels: [timeseries({ title: 'Requests', targets: [prom('sum(rate(http_requests_total[5m]))')] })],
});
`;

const CASES: Array<{ name: string; files: Record<string, string>; added: Record<string, string>; errorsAfter: number }> = [
  {
    name: 'lib/x.ts created where lib/x/index.ts resolved',
    files: { 'definitions/web/dashboard.ts': DASHBOARD('../../lib/x'), 'lib/x/index.ts': "export const title: string = 'Index';\n" },
    added: { 'lib/x.ts': 'export const title: number = 5;\n' },
    errorsAfter: 1,
  },
  {
    name: 'lib/y.ts created where lib/y.d.ts resolved',
    files: { 'definitions/web/dashboard.ts': DASHBOARD('../../lib/y'), 'lib/y.d.ts': 'export declare const title: string;\n' },
    added: { 'lib/y.ts': 'export const title = 5;\n' },
    errorsAfter: 1,
  },
  {
    name: 'a package shadowed by a nearer node_modules',
    files: {
      'definitions/web/dashboard.ts': DASHBOARD('thing'),
      'node_modules/thing/package.json': JSON.stringify({ name: 'thing', version: '1.0.0', types: 'index.d.ts' }),
      'node_modules/thing/index.d.ts': 'export declare const title: string;\n',
    },
    added: {
      'definitions/node_modules/thing/package.json': JSON.stringify({ name: 'thing', version: '2.0.0', types: 'index.d.ts' }),
      'definitions/node_modules/thing/index.d.ts': 'export declare const title: number;\n',
    },
    errorsAfter: 1,
  },
];

function check(dir: string, cache: string) {
  const definitions = path.join(dir, 'definitions');
  const { systems, libraries } = listDefinitionFiles(definitions);
  const result = typecheck([...systems, ...libraries], definitions, cache);
  const shown = result.diagnostics.map((d) => `${d.where && 'file' in d.where ? `${path.relative(dir, d.where.file)}:${d.where.start}-${d.where.end}` : ''} ${d.message}`).sort();
  return { ...result, shown };
}

describe('a file that changes where an unchanged import resolves', () => {
  it.each(CASES)('type-check: $name', ({ files, added, errorsAfter }) => {
    const dir = makeProject(files);
    const cache = cacheDir();
    expect(check(dir, cache).shown).toEqual([]);
    expect(check(dir, cache).cached).toBe(true);
    writeFiles(dir, added);
    const incremental = check(dir, cache);
    const clean = check(dir, cacheDir());
    expect(incremental.cached).toBe(false);
    expect(incremental.shown).toEqual(clean.shown);
    expect(incremental.shown).toHaveLength(errorsAfter);
    expect(incremental.files.sort()).toEqual(clean.files.sort());
  });

  it('mon-build: lib/x.ts created beside lib/x/index.ts is built, not replayed from the cache', () => {
    const dir = makeProject({ 'definitions/web/dashboard.ts': DASHBOARD('../../lib/x'), 'lib/x/index.ts': "export const title = 'Index';\n" });
    mkdirSync(path.join(dir, 'node_modules'));
    const build = () => {
      const result = runBin('mon-build', [], dir);
      expect(result.code, result.stdout + result.stderr).toBe(0);
      return readTree(path.join(dir, 'out'));
    };
    const before = build();
    expect(JSON.stringify(before)).toContain('Index');
    writeFileSync(path.join(dir, 'lib/x.ts'), "export const title = 'File';\n");
    const after = build();
    rmSync(path.join(dir, 'node_modules', '.cache'), { recursive: true, force: true });
    rmSync(path.join(dir, 'out'), { recursive: true, force: true });
    const clean = build();
    expect(JSON.stringify(clean)).toContain('File');
    expect(after).toEqual(clean);
  });
});
