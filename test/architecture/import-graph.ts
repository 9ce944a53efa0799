import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** File → the files it imports (relative imports only; `import type`, re-exports and `import()` included). */
export type ImportGraph = Map<string, string[]>;

/** The import graph of every `.ts` file under `root`, paths relative to `root` with `/`. */
export function readImportGraph(root: string): ImportGraph {
  const graph: ImportGraph = new Map();
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.ts')) {
        const from = path.relative(root, full).split(path.sep).join('/');
        const imports = ts
          .preProcessFile(readFileSync(full, 'utf8'), true, true)
          .importedFiles.map((f) => f.fileName)
          .filter((name) => name.startsWith('.'))
          .map((name) => path.posix.normalize(path.posix.join(path.posix.dirname(from), name)).replace(/\.js$/, '.ts'));
        graph.set(from, imports);
      }
    }
  };
  walk(root);
  return graph;
}

/** The folder a file belongs to: its first path segment, or its own name for a top-level file. */
export function folderOf(file: string): string {
  const [first, ...rest] = file.split('/');
  return rest.length > 0 ? first! : first!.replace(/\.ts$/, '');
}

/** Imports that break the layering: to a higher layer, to another folder of the same layer, or from/to a folder with no layer. */
export function layerViolations(graph: ImportGraph, layers: ReadonlyMap<string, number>): string[] {
  const found: string[] = [];
  for (const [from, imports] of graph) {
    const source = folderOf(from);
    for (const to of imports) {
      const target = folderOf(to);
      if (source === target) continue;
      const a = layers.get(source);
      const b = layers.get(target);
      if (a === undefined || b === undefined) found.push(`${from} -> ${to}: ${a === undefined ? source : target}/ has no layer`);
      else if (b >= a) found.push(`${from} -> ${to}: ${source}/ (layer ${a}) may not import ${target}/ (layer ${b})`);
    }
  }
  return found;
}

/** Every import cycle, each as the files around it (strongly connected components of two or more files, or a file importing itself). */
export function importCycles(graph: ImportGraph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, next);
    low.set(file, next);
    next++;
    stack.push(file);
    onStack.add(file);
    for (const to of graph.get(file) ?? []) {
      if (!graph.has(to)) continue;
      if (!index.has(to)) {
        visit(to);
        low.set(file, Math.min(low.get(file)!, low.get(to)!));
      } else if (onStack.has(to)) low.set(file, Math.min(low.get(file)!, index.get(to)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || (graph.get(file) ?? []).includes(file)) cycles.push(component.sort());
  };
  for (const file of [...graph.keys()].sort()) if (!index.has(file)) visit(file);
  return cycles;
}

/** The layer table of docs/architecture.md: `| 3 | \`load\`, \`read\` | … |` gives load → 3, read → 3. */
export function documentedLayers(markdown: string): Map<string, number> {
  const layers = new Map<string, number>();
  for (const row of markdown.matchAll(/^\|\s*(\d+)\s*\|([^|]*)\|/gm)) {
    for (const folder of row[2]!.matchAll(/`([^`]+)`/g)) layers.set(folder[1]!, Number(row[1]));
  }
  return layers;
}
