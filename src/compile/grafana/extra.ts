import type { Locator } from '../../model/locator.js';
import { parentPointer, pointerUnder } from '../../model/pointer.js';
import { whereOf } from '../../model/source-location.js';

/** Per compiled document (by its locator): the JSON pointers written through `extra`. */
const written = new WeakMap<Locator, Set<string>>();

/**
 * Writes a definition's `extra` fields over the JSON compiled for it: objects are merged key by
 * key (so `extra: { fieldConfig: { defaults: { links: [] } } }` keeps the compiled unit), anything
 * else replaces what was compiled. Copies, so one `extra` object shared by two panels stays intact.
 * With `at` (where `json` is in its document), each field written is remembered with where the
 * definition wrote it: no type proves these fields, so the compiled document is checked against
 * Grafana's schema there (`extraPointers`).
 */
export function mergeExtra(json: Record<string, unknown>, extra: Record<string, unknown>, at?: { locator: Locator; pointer: string }): void {
  for (const [key, value] of Object.entries(extra)) {
    if (value === undefined) continue;
    const current = json[key];
    const here = at && { locator: at.locator, pointer: pointerUnder(at.pointer, key) };
    if (here) here.locator.set(here.pointer, whereOf(extra, key) ?? whereOf(value));
    if (isPlainObject(current) && isPlainObject(value)) {
      const merged = { ...current };
      mergeExtra(merged, value, here);
      json[key] = merged;
    } else {
      json[key] = structuredClone(value);
      if (here) record(here.locator, here.pointer, value);
    }
  }
}

/** `value` was written whole at `at`: remembered, with where each part of it was written. */
function record(locator: Locator, at: string, value: unknown): void {
  let pointers = written.get(locator);
  if (!pointers) written.set(locator, (pointers = new Set()));
  pointers.add(at);
  const visit = (owner: object, key: string, item: unknown, here: string): void => {
    locator.set(here, whereOf(owner, key) ?? whereOf(item));
    children(item, here);
  };
  const children = (item: unknown, here: string): void => {
    if (Array.isArray(item)) item.forEach((element, i) => visit(item, String(i), element, pointerUnder(here, i)));
    else if (isPlainObject(item)) for (const [k, v] of Object.entries(item)) if (v !== undefined) visit(item, k, v, pointerUnder(here, k));
  };
  children(value, at);
}

/** Whether the field at `pointer` (or one it lies in) was written through `extra`. */
export function writtenByExtra(locator: Locator, pointer: string): boolean {
  const pointers = written.get(locator);
  if (!pointers) return false;
  for (let current = pointer; ; current = parentPointer(current)) {
    if (pointers.has(current)) return true;
    if (current === '') return false;
  }
}

/** Whether anything of the document was written through `extra`. */
export function hasExtra(locator: Locator): boolean {
  return (written.get(locator)?.size ?? 0) > 0;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
