import type { Diagnostic } from '../model/diagnostic.js';
import { originOf, whereOf, type Origin } from '../model/source-location.js';

/**
 * Definitions run in a worker thread (see evaluate.ts); what they built comes
 * back as a table of plain nodes and is rebuilt here with the same sharing and
 * the same hidden marks (where each object was written, its resource kind,
 * its positional arguments).
 *
 * Only plain data crosses: objects, arrays, strings, numbers, booleans, null
 * and undefined. Anything else (a function, a Promise, a class instance, a
 * getter that throws) would otherwise vanish from out/ without a word, so it is
 * a `definition/invalid` error at the object that holds it. So is a cycle (an
 * object holding itself, directly or deeper): out/ is a tree, and the compiler
 * would recurse without end.
 */

const ORIGIN = Symbol.for('moncode.origin');

/** A value in the table: a primitive, or (as `[index]`) a reference to a node. */
type Slot = string | number | boolean | null | undefined | bigint | [number];

interface Node {
  /** Array elements, or the object's `[key, value]` pairs. */
  array?: Slot[];
  entries?: Array<[string, Slot]>;
  /** moncode's hidden marks (`Symbol.for('moncode.…')` properties): where it was written, its resource kind, … */
  marks?: Array<[string, unknown, boolean]>;
  frozen?: boolean;
}

export interface Encoded {
  nodes: Node[];
  roots: Slot[];
  /** The files origins name, each once: a structured clone copies every string it meets, and 100,000 origins name a few hundred files. */
  files: string[];
}

/** An origin as it crosses: `[node, file index, start, end, seq (or -1), via's length (or -1), ...each call site's file index, start, end, callee]`. */
type PackedOrigin = Array<string | number>;

/** Encodes `roots` (and everything they reach); problems found are added to `problems`. */
export function encode(roots: readonly unknown[], problems: Diagnostic[], fallbackFile: string): Encoded {
  const nodes: Node[] = [];
  const files: string[] = [];
  const fileIds = new Map<string, number>();
  const fileId = (file: string): number => {
    let id = fileIds.get(file);
    if (id === undefined) fileIds.set(file, (id = files.push(file) - 1));
    return id;
  };
  const index = new Map<object, number>();
  /** Each node waiting to be filled in, with the nearest object (itself or one holding it) that knows where it was written. */
  const pending: Array<[object, number, object | undefined]> = [];
  let located: object | undefined;

  const problem = (owner: object | undefined, property: string | undefined, message: string): void => {
    const where = (owner && originOf(owner) ? whereOf(owner, property) : located && whereOf(located)) ?? { file: fallbackFile, start: 0, end: 0 };
    problems.push({ rule: 'definition/invalid', severity: 'error', message, where });
  };

  const slot = (value: unknown, owner: object | undefined, property: string | undefined): Slot => {
    switch (typeof value) {
      case 'string':
      case 'number':
      case 'boolean':
      case 'undefined':
      case 'bigint':
        return value;
      case 'function':
        problem(owner, property, `${describe(property)} is a function: definitions export data (objects, arrays, strings, numbers); call it and use its result`);
        return undefined;
      case 'symbol':
        problem(owner, property, `${describe(property)} is a symbol, which has no place in the output`);
        return undefined;
    }
    if (value === null) return null;
    const object = value as object;
    const known = index.get(object);
    if (known !== undefined) return [known];
    let thenable: boolean;
    try {
      thenable = isThenable(object);
    } catch {
      thenable = false;
    }
    if (thenable) {
      problem(owner, property, `${describe(property)} is a Promise: await it where it is made (top-level await works in definitions)`);
      return undefined;
    }
    const prototype = Object.getPrototypeOf(object);
    if (!Array.isArray(object) && prototype !== Object.prototype && prototype !== null) {
      const name = (prototype as { constructor?: { name?: string } } | null)?.constructor?.name ?? 'object';
      problem(owner, property, `${describe(property)} is a ${name}, not a plain object: write the value as an object, array, string or number`);
      return undefined;
    }
    const id = nodes.length;
    nodes.push({});
    index.set(object, id);
    pending.push([object, id, originOf(object) ? object : located]);
    return [id];
  };

  const cycles = backReferences(roots);
  for (const [owner, { keys, located: nearest }] of cycles) {
    for (const [key, path] of keys) {
      const message = `\`${path}\` refers back to an object that holds it (a cycle): definitions export trees of data; refer to it by name instead`;
      if (originOf(owner) || !nearest) problem(owner, key, message);
      else problem(nearest, undefined, message);
    }
  }
  const field = (object: object, key: string): unknown => (cycles.get(object)?.keys.has(key) ? undefined : read(object, key, problem));

  const encodedRoots = roots.map((root) => slot(root, undefined, undefined));
  while (pending.length > 0) {
    const [object, id, nearest] = pending.pop()!;
    located = nearest;
    const node = nodes[id]!;
    for (const symbol of Object.getOwnPropertySymbols(object)) {
      const key = Symbol.keyFor(symbol);
      if (!key?.startsWith('moncode.')) continue;
      const mark = (object as Record<symbol, unknown>)[symbol];
      const plain = symbol === ORIGIN ? packOrigin(mark as Origin, fileId) : Array.isArray(mark) ? mark.filter((item) => typeof item !== 'object') : mark;
      if (typeof plain === 'object' && plain !== null && symbol !== ORIGIN && !Array.isArray(plain)) continue;
      (node.marks ??= []).push([key, plain, Object.getOwnPropertyDescriptor(object, symbol)?.enumerable ?? false]);
    }
    if (Object.isFrozen(object)) node.frozen = true;
    if (Array.isArray(object)) {
      node.array = [];
      for (let i = 0; i < object.length; i++) node.array.push(slot(field(object, String(i)), object, String(i)));
      continue;
    }
    node.entries = [];
    let keys: string[];
    try {
      keys = Object.keys(object);
    } catch (error) {
      problem(object, undefined, `listing the fields of an object threw: ${firstLine(error instanceof Error ? error.message : String(error))}`);
      keys = [];
    }
    for (const key of keys) node.entries.push([key, slot(field(object, key), object, key)]);
  }
  return { nodes, roots: encodedRoots, files };
}

/** Rebuilds the values `encode` took apart. */
export function decode(encoded: Encoded): unknown[] {
  const objects: object[] = encoded.nodes.map((node) => (node.array ? [] : {}));
  const value = (item: Slot): unknown => (Array.isArray(item) ? objects[item[0]!] : item);
  encoded.nodes.forEach((node, id) => {
    const target = objects[id]! as Record<string, unknown> & unknown[];
    if (node.array) node.array.forEach((item, i) => (target[i] = value(item)));
    for (const [key, item] of node.entries ?? []) {
      // As an own data property, also for `__proto__` (an assignment would set the prototype); assigning the
      // others makes the same property at a fraction of defineProperty's cost.
      if (key === '__proto__') Object.defineProperty(target, key, { value: value(item), enumerable: true, writable: true, configurable: true });
      else target[key] = value(item);
    }
    for (const [key, mark, enumerable] of node.marks ?? []) {
      const value = key === ORIGIN_KEY ? unpackOrigin(mark as PackedOrigin, encoded.files) : mark;
      Object.defineProperty(target, Symbol.for(key), { value, enumerable, configurable: true });
    }
  });
  encoded.nodes.forEach((node, id) => {
    if (node.frozen) Object.freeze(objects[id]);
  });
  return encoded.roots.map(value);
}

/**
 * An `Encoded` as it is posted from the worker: its JSON text, and beside it the few values JSON would change
 * (undefined, -0, NaN, ±Infinity, a bigint; a function or symbol among a mark's items, which posting rejects as
 * before), each with where it goes back. Posting the table itself clones its hundreds of thousands of small
 * arrays one by one, at about ten times the CPU of writing and parsing the same table as JSON.
 */
export interface Wire {
  json: string;
  /** `[node (-1: the roots), part, index, item (-1: the whole mark), value]`. */
  exceptions: Array<[number, 'array' | 'entries' | 'marks' | 'roots', number, number, unknown]>;
}

/** Whether JSON gives `value` back as it is (arrays are looked into by the caller). */
function jsonExact(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0);
    case 'object':
      return true;
    default:
      return false;
  }
}

export function toWire(encoded: Encoded): Wire {
  const exceptions: Wire['exceptions'] = [];
  const slots = (list: Slot[], node: number, part: 'array' | 'roots'): Slot[] => {
    let copy: Slot[] | undefined;
    for (let i = 0; i < list.length; i++) {
      if (jsonExact(list[i])) continue;
      exceptions.push([node, part, i, -1, list[i]]);
      (copy ??= [...list])[i] = null;
    }
    return copy ?? list;
  };
  let nodes: Node[] | undefined;
  const replace = (id: number, node: Node): void => {
    (nodes ??= [...encoded.nodes])[id] = node;
  };
  encoded.nodes.forEach((node, id) => {
    if (node.array) {
      const array = slots(node.array, id, 'array');
      if (array !== node.array) replace(id, { ...node, array });
    }
    node.entries?.forEach(([key, item], i) => {
      if (jsonExact(item)) return;
      exceptions.push([id, 'entries', i, -1, item]);
      const current = nodes?.[id] ?? node;
      const entries = current.entries === node.entries ? [...node.entries!] : current.entries!;
      entries[i] = [key, null];
      replace(id, { ...current, entries });
    });
    node.marks?.forEach(([key, mark, enumerable], i) => {
      const items = Array.isArray(mark) ? (mark as unknown[]) : undefined;
      // A mark is a primitive or an array of primitives (see encode).
      const odd = items ? items.flatMap((item, j) => (jsonExact(item) ? [] : [j])) : jsonExact(mark) ? [] : [-1];
      if (odd.length === 0) return;
      for (const j of odd) exceptions.push([id, 'marks', i, j, j === -1 ? mark : items![j]]);
      const current = nodes?.[id] ?? node;
      const marks = current.marks === node.marks ? [...node.marks!] : current.marks!;
      marks[i] = [key, items ? items.map((item, j) => (odd.includes(j) ? null : item)) : null, enumerable];
      replace(id, { ...current, marks });
    });
  });
  const roots = slots(encoded.roots, -1, 'roots');
  return { json: JSON.stringify({ nodes: nodes ?? encoded.nodes, roots, files: encoded.files }), exceptions };
}

/** The `Encoded` that `toWire` was given. */
export function fromWire(wire: Wire): Encoded {
  const encoded = JSON.parse(wire.json) as Encoded;
  for (const [id, part, i, j, value] of wire.exceptions) {
    if (part === 'roots') encoded.roots[i] = value as Slot;
    else if (part === 'array') encoded.nodes[id]!.array![i] = value as Slot;
    else if (part === 'entries') encoded.nodes[id]!.entries![i]![1] = value as Slot;
    else if (j === -1) encoded.nodes[id]!.marks![i]![1] = value;
    else (encoded.nodes[id]!.marks![i]![1] as unknown[])[j] = value;
  }
  return encoded;
}

/**
 * The properties that close a cycle (their value is an object the walk from a
 * root is still inside), by the object holding them. Depth-first without
 * recursion, over arrays and plain objects, never calling getters; an object
 * shared by two others is not a cycle. `located` is the nearest object on the
 * way that knows where it was written (an array pushed to has no place of its own),
 * and each property's path from it (`rules[1]`).
 */
function backReferences(roots: readonly unknown[]): Map<object, { keys: Map<string, string>; located: object | undefined }> {
  const found = new Map<object, { keys: Map<string, string>; located: object | undefined }>();
  const open = new Set<object>();
  const done = new Set<object>();
  const stack: Array<{ object: object; keys: string[]; next: number; located: object | undefined; path: string }> = [];
  const pathTo = (from: { object: object; path: string }, key: string): string => (Array.isArray(from.object) ? `${from.path}[${key}]` : from.path ? `${from.path}.${key}` : key);
  const enter = (value: unknown, holder: object | undefined, path: string): void => {
    if (typeof value !== 'object' || value === null || open.has(value) || done.has(value)) return;
    const prototype = Object.getPrototypeOf(value);
    if (!Array.isArray(value) && prototype !== Object.prototype && prototype !== null) return;
    let keys: string[];
    try {
      keys = Object.keys(value);
    } catch {
      keys = [];
    }
    open.add(value);
    const located = originOf(value) ? value : holder;
    stack.push({ object: value, keys, next: 0, located, path: located === value ? '' : path });
  };
  for (const root of roots) {
    enter(root, undefined, '');
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      if (top.next >= top.keys.length) {
        stack.pop();
        open.delete(top.object);
        done.add(top.object);
        continue;
      }
      const key = top.keys[top.next++]!;
      let value: unknown;
      try {
        const descriptor = Object.getOwnPropertyDescriptor(top.object, key);
        value = descriptor && !descriptor.get ? descriptor.value : undefined;
      } catch {
        continue;
      }
      if (typeof value === 'object' && value !== null && open.has(value)) {
        let entry = found.get(top.object);
        if (!entry) found.set(top.object, (entry = { keys: new Map(), located: top.located }));
        entry.keys.set(key, pathTo(top, key));
        continue;
      }
      enter(value, top.located, pathTo(top, key));
    }
  }
  return found;
}

/** A property's value; a getter that throws is reported at the object and reads as undefined. */
function read(object: object, key: string, problem: (owner: object, property: string, message: string) => void): unknown {
  const descriptor = Object.getOwnPropertyDescriptor(object, key);
  if (!descriptor) return undefined;
  if (!descriptor.get) return descriptor.value;
  try {
    return descriptor.get.call(object);
  } catch (error) {
    problem(object, key, `reading \`${key}\` threw: ${firstLine(error instanceof Error ? error.message : String(error))}`);
    return undefined;
  }
}

const ORIGIN_KEY = 'moncode.origin';

function packOrigin(origin: Origin, fileId: (file: string) => number): PackedOrigin {
  const { node, file, start, end, seq, via } = origin;
  const packed: PackedOrigin = [node, fileId(file), start, end, seq ?? -1, via ? via.length : -1];
  for (const site of via ?? []) packed.push(fileId(site.file), site.start, site.end, site.callee);
  return packed;
}

/** The origin `packOrigin` packed, with the fields in the order moncode writes them (seq and via only when present). */
function unpackOrigin(packed: PackedOrigin, files: readonly string[]): Origin {
  const [node, file, start, end, seq] = packed as [Origin['node'], number, number, number, number];
  const via: Array<{ file: string; start: number; end: number; callee: string }> = [];
  for (let i = 6; i + 3 < packed.length; i += 4) via.push({ file: files[packed[i] as number]!, start: packed[i + 1] as number, end: packed[i + 2] as number, callee: packed[i + 3] as string });
  return { node, file: files[file]!, start, end, ...(seq === -1 ? {} : { seq }), ...(packed[5] === -1 ? {} : { via }) };
}

export function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function describe(property: string | undefined): string {
  return property === undefined ? 'the export' : /^\d+$/.test(property) ? `item ${property}` : `\`${property}\``;
}

function firstLine(text: string): string {
  return text.split('\n')[0]!.trim();
}
