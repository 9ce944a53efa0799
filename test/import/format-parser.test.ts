import { readdirSync } from 'node:fs';
import path from 'node:path';
import * as prettier from 'prettier';
import { describe, expect, it } from 'vitest';
import { runImport } from '../../src/commands/import.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

/**
 * mon-import formats its modules with prettier's babel-ts parser, which is faster than its
 * typescript parser: that is right only while the two print what the importer writes the same.
 * Formatting each imported module again with the typescript parser must change nothing.
 */

const seeds = path.join(REPO_ROOT, 'test/fixtures/seeds');
const STYLE = { singleQuote: true, trailingComma: 'all', printWidth: 140 } as const;

describe('imported modules print the same with the typescript parser', () => {
  it.each(readdirSync(seeds).filter((name) => /^\d{3}-/.test(name)))('seed %s', async (seed) => {
    const dir = makeProject({});
    const imported = await runImport({ cwd: dir, paths: [path.join(seeds, seed)], dryRun: true });
    const modules = imported.files.filter((f) => f.path.endsWith('.ts'));
    expect(modules.length).toBeGreaterThan(0);
    for (const module of modules) expect(await prettier.format(module.content, { ...STYLE, parser: 'typescript' }), module.path).toBe(module.content);
  });
});
