import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { documentedLayers, folderOf, importCycles, layerViolations, readImportGraph, type ImportGraph } from './architecture/import-graph.js';
import { REPO_ROOT } from './helpers/project.js';

const SRC = path.join(REPO_ROOT, 'src');
const layers = documentedLayers(readFileSync(path.join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8'));
const graph = readImportGraph(SRC);

const synthetic = (edges: Record<string, string[]>): ImportGraph => new Map(Object.entries(edges));

describe('the import graph of src/', () => {
  it('reads every import, also type-only ones, re-exports and import()', () => {
    expect(graph.get('commands/lint.ts')).toEqual(expect.arrayContaining(['lint/engine.ts', 'model/project-model.ts', 'commands/project.ts']));
    expect(graph.get('lint/types.ts')).toEqual(expect.arrayContaining(['model/project-model.ts']));
  });

  it('gives every folder of src/ a layer in docs/architecture.md', () => {
    const folders = new Set([...graph.keys()].map(folderOf));
    expect([...folders].filter((f) => !layers.has(f)).sort()).toEqual([]);
    expect([...layers.keys()].filter((f) => !folders.has(f)).sort()).toEqual([]);
  });

  it('gives every folder of src/ a paragraph in docs/architecture.md', () => {
    const docs = readFileSync(path.join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
    const folders = [...new Set([...graph.keys()].filter((f) => f.includes('/')).map(folderOf))];
    expect(folders.filter((f) => !docs.includes(`- **\`${f}/\`**`)).sort()).toEqual([]);
  });

  it('has no import running back up the pipeline or across one layer', () => {
    expect(layerViolations(graph, layers)).toEqual([]);
  });

  it('has no import cycles', () => {
    expect(importCycles(graph)).toEqual([]);
  });
});

describe('the import-graph checks', () => {
  const testLayers = new Map([
    ['model', 0],
    ['load', 1],
    ['read', 1],
    ['compile', 2],
  ]);

  it('find a back-arrow, an import across a layer and a folder without a layer', () => {
    const found = layerViolations(
      synthetic({
        'compile/a.ts': ['model/x.ts', 'load/b.ts', 'compile/c.ts'],
        'model/x.ts': ['compile/a.ts'],
        'read/r.ts': ['load/b.ts'],
        'extra/e.ts': ['model/x.ts'],
      }),
      testLayers,
    );
    expect(found).toEqual([
      'model/x.ts -> compile/a.ts: model/ (layer 0) may not import compile/ (layer 2)',
      'read/r.ts -> load/b.ts: read/ (layer 1) may not import load/ (layer 1)',
      'extra/e.ts -> model/x.ts: extra/ has no layer',
    ]);
  });

  it('find cycles, and only cycles', () => {
    const cycles = importCycles(
      synthetic({
        'lint/analysis.ts': ['lint/types.ts'],
        'lint/types.ts': ['lint/analysis.ts', 'model/m.ts'],
        'model/m.ts': [],
        'model/self.ts': ['model/self.ts'],
        'model/a.ts': ['model/b.ts'],
        'model/b.ts': ['model/c.ts'],
        'model/c.ts': ['model/a.ts'],
      }),
    );
    expect(cycles).toEqual([['lint/analysis.ts', 'lint/types.ts'], ['model/a.ts', 'model/b.ts', 'model/c.ts'], ['model/self.ts']]);
  });

  it('read the layer table of the docs', () => {
    expect(documentedLayers('| layer | folders |\n| --- | --- |\n| 0 | `model` | x |\n| 3 | `load`, `read` | y |\n')).toEqual(
      new Map([
        ['model', 0],
        ['load', 3],
        ['read', 3],
      ]),
    );
  });
});
