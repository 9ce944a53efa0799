import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { LoadedResource } from '../model/project-model.js';
import { kindOf } from '../model/resource.js';

/**
 * Definition files: every `.ts` under the folder. Folders named `shared` and
 * files or folders starting with `_` are libraries: type-checked and imported
 * by others, but their exports are not resources of a system. `yaml` are the YAML
 * files outside libraries: OpenSLO and Sloth specs among them are SLOs of the
 * system whose folder holds them.
 */
export function listDefinitionFiles(definitionsDir: string): { systems: string[]; libraries: string[]; yaml: string[] } {
  const systems: string[] = [];
  const libraries: string[] = [];
  const yaml: string[] = [];
  const walk = (dir: string, library: boolean): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      const full = path.join(dir, entry.name);
      const isLibrary = library || entry.name.startsWith('_') || (entry.isDirectory() && entry.name === 'shared');
      if (entry.isDirectory()) walk(full, isLibrary);
      else if (/\.m?ts$/.test(entry.name) && !entry.name.endsWith('.d.ts')) (isLibrary ? libraries : systems).push(full);
      else if (!isLibrary && entry.isFile() && /\.ya?ml$/i.test(entry.name)) yaml.push(full);
    }
  };
  walk(definitionsDir, false);
  return { systems, libraries, yaml };
}

export function systemOf(definitionsDir: string, file: string): string {
  const segments = path.relative(definitionsDir, file).split(path.sep);
  return segments.length > 1 ? segments[0]! : segments[0]!.replace(/\.m?ts$/, '');
}

/**
 * Every resource reachable from a module's exports, also inside exported arrays
 * and plain objects, in a stable order. A resource exported twice counts once.
 */
export function collectResources(
  exports: Record<string, unknown>,
  module: string,
  system: string,
  seen: Set<unknown>,
  threw: (error: unknown, at: string) => void = () => undefined,
): LoadedResource[] {
  const found: LoadedResource[] = [];
  const visit = (value: unknown, at: string, depth: number): void => {
    if (typeof value !== 'object' || value === null || depth > 8) return;
    let kind: ReturnType<typeof kindOf>;
    try {
      kind = kindOf(value);
    } catch (error) {
      // A Proxy whose traps throw: reported at the throw, the other exports are still collected.
      threw(error, at);
      return;
    }
    if (kind) {
      if (!seen.has(value)) {
        seen.add(value);
        found.push({ value, kind, system, module, exportPath: at });
      }
      return;
    }
    if (seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, `${at}[${i}]`, depth + 1));
      return;
    }
    let keys: string[];
    try {
      const prototype = Object.getPrototypeOf(value);
      if (prototype !== Object.prototype && prototype !== null) return;
      keys = Object.keys(value);
    } catch (error) {
      threw(error, at);
      return;
    }
    for (const key of keys) {
      let field: unknown;
      try {
        field = (value as Record<string, unknown>)[key];
      } catch (error) {
        threw(error, `${at}.${key}`);
        continue;
      }
      visit(field, `${at}.${key}`, depth + 1);
    }
  };
  const names = Object.keys(exports);
  // `default` first, then named exports in their (alphabetical) namespace order.
  for (const name of names.includes('default') ? ['default', ...names.filter((n) => n !== 'default')] : names) {
    visit(exports[name], name, 0);
  }
  return found;
}
