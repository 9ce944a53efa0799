import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { typescript, type TS } from '../source/typescript.js';

/**
 * What a field of the authoring types accepts, read from moncode's own declarations with the
 * TypeScript checker (never a hand-kept list): mon-import writes a value into a typed field only
 * when it type-checks there, and keeps the rest through `extra`, so every imported module
 * compiles and nothing is dropped.
 */
export type Shape =
  | { kind: 'any' }
  | { kind: 'never' }
  | { kind: 'string' | 'number' | 'boolean' | 'null' }
  | { kind: 'literal'; value: string | number | boolean }
  | { kind: 'template'; pattern: RegExp }
  | { kind: 'union'; of: Shape[] }
  | { kind: 'array'; of: Shape }
  | { kind: 'object'; props: Map<string, Shape>; required: Set<string>; index?: Shape; numberIndex?: Shape };

/** Type expressions (over the module `M`, moncode's authoring API) whose shapes the importer asks for. */
export type ShapeQuery = string;

let probe: { checker: TS.TypeChecker; source: TS.SourceFile; cache: Map<TS.Type, Shape>; byQuery: Map<string, Shape> } | undefined;
const queries = new Map<string, number>();

function authoringModule(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const ts = path.join(here, '..', 'index.ts');
  return existsSync(ts) ? ts : path.join(here, '..', 'index.d.ts');
}

/** The shapes of `types` (type expressions over `M`), read in one program. */
export function shapesOf(types: readonly ShapeQuery[]): Map<ShapeQuery, Shape> {
  const ts = typescript();
  if (!probe || types.some((t) => !probe!.byQuery.has(t))) {
    for (const type of types) if (!queries.has(type)) queries.set(type, queries.size);
    const entry = authoringModule();
    const probeFile = path.join(path.dirname(entry), '__moncode_import_probe__.ts');
    const text = `import type * as M from './${path.basename(entry).replace(/\.d\.ts$|\.ts$/, '.js')}';\n` + [...queries].map(([type, i]) => `export type Q${i} = NonNullable<${type}>;`).join('\n');
    const options: TS.CompilerOptions = {
      strict: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      skipLibCheck: true,
      noEmit: true,
      // The authoring types need ES2022's lib only: the default lib adds the DOM, and no @types package is read.
      lib: ['lib.es2022.d.ts'],
      types: [],
    };
    const host = ts.createCompilerHost(options);
    const read = host.readFile.bind(host);
    const exists = host.fileExists.bind(host);
    host.readFile = (file) => (path.resolve(file) === probeFile ? text : read(file));
    host.fileExists = (file) => path.resolve(file) === probeFile || exists(file);
    const getSource = host.getSourceFile.bind(host);
    host.getSourceFile = (file, lang, onError, create) => (path.resolve(file) === probeFile ? ts.createSourceFile(file, text, lang, true) : getSource(file, lang, onError, create));
    const program = ts.createProgram([probeFile], options, host);
    const source = program.getSourceFile(probeFile)!;
    probe = { checker: program.getTypeChecker(), source, cache: new Map(), byQuery: new Map() };
    for (const statement of source.statements) {
      if (!ts.isTypeAliasDeclaration(statement)) continue;
      const index = Number(statement.name.text.slice(1));
      const query = [...queries].find(([, i]) => i === index)![0];
      probe.byQuery.set(query, shapeOfType(probe.checker.getTypeAtLocation(statement.name)));
    }
  }
  return new Map(types.map((t) => [t, probe!.byQuery.get(t)!]));
}

function shapeOfType(type: TS.Type): Shape {
  const ts = typescript();
  const { checker, cache } = probe!;
  const known = cache.get(type);
  if (known) return known;
  const f = type.flags;
  if (f & (ts.TypeFlags.Any | ts.TypeFlags.Unknown)) return { kind: 'any' };
  if (f & ts.TypeFlags.Never) return { kind: 'never' };
  // An enum member takes no plain literal (`'palette-classic'` is no `FieldColorModeId`).
  if (f & ts.TypeFlags.EnumLiteral && !(f & ts.TypeFlags.Union)) return { kind: 'never' };
  if (f & ts.TypeFlags.StringLiteral) return { kind: 'literal', value: (type as TS.StringLiteralType).value };
  if (f & ts.TypeFlags.NumberLiteral) return { kind: 'literal', value: (type as TS.NumberLiteralType).value };
  if (f & ts.TypeFlags.BooleanLiteral) return { kind: 'literal', value: checker.typeToString(type) === 'true' };
  if (f & ts.TypeFlags.TemplateLiteral) {
    const template = type as TS.TemplateLiteralType;
    const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const hole = (t: TS.Type): string => {
      if (t.flags & ts.TypeFlags.BigInt) return '-?\\d+';
      if (t.flags & ts.TypeFlags.Number) return '-?\\d+(?:\\.\\d+)?';
      if (t.flags & ts.TypeFlags.StringLiteral) return escape((t as TS.StringLiteralType).value);
      if (t.isUnion()) return `(?:${t.types.map(hole).join('|')})`;
      return '[^]*';
    };
    return { kind: 'template', pattern: new RegExp(`^${template.texts.map((text, i) => escape(text) + (template.types[i] ? hole(template.types[i]!) : '')).join('')}$`) };
  }
  if (f & (ts.TypeFlags.String | ts.TypeFlags.StringMapping)) return { kind: 'string' };
  if (f & ts.TypeFlags.Number) return { kind: 'number' };
  if (f & ts.TypeFlags.Boolean) return { kind: 'boolean' };
  if (f & ts.TypeFlags.Null) return { kind: 'null' };
  if (f & (ts.TypeFlags.Undefined | ts.TypeFlags.Void)) return { kind: 'never' };
  if (type.isUnion()) {
    const shape: Shape = { kind: 'union', of: [] };
    cache.set(type, shape);
    shape.of.push(...type.types.map(shapeOfType));
    return shape;
  }
  if (checker.isArrayType(type) || checker.isTupleType(type)) {
    const element = checker.getTypeArguments(type as TS.TypeReference)[0];
    const shape: Shape = { kind: 'array', of: { kind: 'any' } };
    cache.set(type, shape);
    shape.of = element ? shapeOfType(element) : { kind: 'any' };
    return shape;
  }
  if (f & ts.TypeFlags.Object || type.isIntersection()) {
    const shape: Shape = { kind: 'object', props: new Map(), required: new Set() };
    cache.set(type, shape);
    for (const symbol of checker.getPropertiesOfType(type)) {
      // Symbol-keyed brands (resources, secrets) are no JSON field.
      if (symbol.name.startsWith('__@')) continue;
      shape.props.set(symbol.name, shapeOfType(checker.getTypeOfSymbolAtLocation(symbol, probe!.source)));
      if (!(symbol.flags & ts.SymbolFlags.Optional)) shape.required.add(symbol.name);
    }
    const index = checker.getIndexInfosOfType(type);
    for (const info of index) {
      if (info.keyType.flags & ts.TypeFlags.String) shape.index = shapeOfType(info.type);
      else if (info.keyType.flags & ts.TypeFlags.Number) shape.numberIndex = shapeOfType(info.type);
      // `custom.${string}` keys (override properties)
      else if (info.keyType.flags & ts.TypeFlags.TemplateLiteral) shape.index = shapeOfType(info.type);
    }
    return shape;
  }
  return { kind: 'any' };
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A value the importer built to type-check where it goes (a helper call, a reference to a declaration). */
function isOpaque(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) !== Object.prototype && Object.getPrototypeOf(value) !== null;
}

/** Whether `value`, written as a literal, type-checks as `shape`. */
export function accepts(shape: Shape, value: unknown): boolean {
  if (isOpaque(value)) return shape.kind !== 'never';
  switch (shape.kind) {
    case 'any':
      return true;
    case 'never':
      return false;
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
    case 'literal':
      return value === shape.value;
    case 'template':
      return typeof value === 'string' && shape.pattern.test(value);
    case 'union':
      return shape.of.some((member) => accepts(member, value));
    case 'array':
      return Array.isArray(value) && value.every((item) => accepts(shape.of, item));
    case 'object': {
      if (!isPlainObject(value)) return false;
      for (const key of shape.required) if (value[key] === undefined) return false;
      return Object.entries(value).every(([key, item]) => {
        const prop = shape.props.get(key) ?? (/^-?\d+(\.\d+)?$/.test(key) ? (shape.numberIndex ?? shape.index) : shape.index);
        return prop !== undefined && accepts(prop, item);
      });
    }
  }
}

/**
 * `value` split into what type-checks as `shape` and the rest (same paths), for `extra`.
 * Objects are split key by key; any other value is wholly typed or wholly rest.
 */
export function split(shape: Shape, value: unknown): { typed?: unknown; rest?: unknown } {
  if (accepts(shape, value)) return { typed: value };
  const object = objectShape(shape);
  if (!object || !isPlainObject(value)) return { rest: value };
  const typed: Record<string, unknown> = {};
  const rest: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(value)) {
    const prop = object.props.get(key) ?? object.index;
    if (!prop) {
      rest[key] = item;
      continue;
    }
    const part = split(prop, item);
    if (part.typed !== undefined) typed[key] = part.typed;
    if (part.rest !== undefined) rest[key] = part.rest;
  }
  // Without a field the type requires, the typed part would not type-check: all of it is rest.
  if ([...object.required].some((key) => typed[key] === undefined)) return { rest: value };
  return { typed: Object.keys(typed).length > 0 ? typed : undefined, rest: Object.keys(rest).length > 0 ? rest : undefined };
}

function objectShape(shape: Shape): Extract<Shape, { kind: 'object' }> | undefined {
  if (shape.kind === 'object') return shape;
  if (shape.kind === 'union') return shape.of.map(objectShape).find((s) => s !== undefined);
  return undefined;
}
