/**
 * Where a model object came from.
 *
 * Readers record spans as character offsets into a file's text; they become
 * 1-based line/column pairs only when a diagnostic is reported
 * (`source/source-index.ts`), so recording a location costs next to nothing.
 */

/** A range of a source file, as UTF-16 offsets into its text. */
export interface Span {
  /** Absolute path; reports show it relative to the working directory. */
  readonly file: string;
  readonly start: number;
  readonly end: number;
}

/** A span resolved for people: 1-based lines and columns; the end column is exclusive. */
export interface SourceLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly endLine: number;
  readonly endColumn: number;
}

/**
 * The TS expression a definition object was written as: an object literal, or a
 * call of a moncode helper (`prom('…')`). The loader's transform records it.
 */
export interface Origin extends Span {
  readonly node: 'object' | 'call';
  /**
   * The calls of the project's own helpers (functions imported from another
   * definitions file) that built the object, innermost first: a problem in an
   * alert that `definitions/shared/hosts.ts` writes for every system also
   * names the system's call.
   */
  readonly via?: readonly CallSite[];
  /** Order of creation: a helper call claims only the objects made while it ran. */
  readonly seq?: number;
}

/** A call of a helper imported from another definitions file. */
interface CallSite extends Span {
  /** The helper's name as the caller wrote it: `hostAlerts`, `hosts.hostAlerts`. */
  readonly callee: string;
}

const ORIGIN = Symbol.for('moncode.origin');
let created = 0;
const ARGUMENTS = Symbol.for('moncode.arguments');

function setOrigin(value: unknown, origin: Origin): void {
  if (typeof value === 'object' && value !== null && Object.isExtensible(value)) {
    Object.defineProperty(value, ORIGIN, { value: origin, enumerable: false, configurable: true });
  }
}

/** Called by transpiled definitions around every object literal. */
export function __mcLoc<T>(value: T, file: string, start: number, end: number): T {
  setOrigin(value, { node: 'object', file, start, end, seq: ++created });
  return value;
}

/** Called by transpiled definitions around every call of a moncode helper. */
export function __mcCall<T>(value: T, file: string, start: number, end: number): T {
  setOrigin(value, { node: 'call', file, start, end, seq: ++created });
  return value;
}

/** A call of one of the authoring API's resource factories, as a definition wrote it (see `load/unexported.ts`). */
export interface Made {
  readonly value: object;
  /** The factory's name as moncode exports it (`dashboard`, `alertRule`). */
  readonly factory: string;
  readonly origin: Origin;
  /** Spread into another object (`{ ...panel, gridPos }`): its fields live on in the copy. */
  spread?: boolean;
}

const made = new Map<object, Made>();

/** Called by transpiled definitions around every call of a resource factory: `__mcCall`, and the result is recorded. */
export function __mcMade<T>(value: T, file: string, start: number, end: number, factory: string): T {
  __mcCall(value, file, start, end);
  const origin = originOf(value);
  if (typeof value === 'object' && value !== null && origin && !made.has(value)) made.set(value, { value, factory, origin });
  return value;
}

/** Called by transpiled definitions around what an object literal spreads (`{ ...x }`). */
export function __mcSpread<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    const entry = made.get(value);
    if (entry) entry.spread = true;
  }
  return value;
}

/** The resource factory calls recorded since the last `forgetMade()`, in order, with the origin each has now (helper calls add to it). */
export function madeSoFar(): Made[] {
  return [...made.values()].map((entry) => ({ ...entry, origin: originOf(entry.value) ?? entry.origin }));
}

export function forgetMade(): void {
  made.clear();
}

const ran = new Set<string>();

/** Called by each transpiled definitions module as its body starts. */
export function __mcRan(file: string): void {
  ran.add(file);
}

/** Whether a definitions module (by the path its transform was given) has run in this process. */
export function hasRun(file: string): boolean {
  return ran.has(file);
}

/** Called by transpiled definitions just before a call of a function imported from another definitions file. */
export function __mcSeq(): number {
  return created;
}

/**
 * Called by transpiled definitions around every call of a function imported
 * from another definitions file (`since` is `__mcSeq()` from just before it):
 * the objects the call made elsewhere remember the call. Objects the caller
 * wrote itself, and objects made before the call (a shared datasource, a
 * constant), are left alone and not entered.
 */
export function __mcVia<T>(since: number, value: T, file: string, start: number, end: number, callee: string): T {
  const site: CallSite = { file, start, end, callee };
  const seen = new Set<object>();
  const visit = (item: unknown): void => {
    if (typeof item !== 'object' || item === null || seen.has(item)) return;
    seen.add(item);
    const origin = originOf(item);
    if (origin && ((origin.seq ?? 0) <= since || origin.file === file)) return;
    if (origin && !origin.via?.some((known) => known.file === file && known.start === start)) {
      setOrigin(item, { ...origin, via: [...(origin.via ?? []), site] });
    }
    if (Array.isArray(item)) {
      for (const element of item) visit(element);
      return;
    }
    const prototype = Object.getPrototypeOf(item);
    if (prototype !== Object.prototype && prototype !== null) return;
    for (const key of Object.keys(item)) visit((item as Record<string, unknown>)[key]);
  };
  visit(value);
  return value;
}

export function originOf(value: unknown): Origin | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  return (value as { [ORIGIN]?: Origin })[ORIGIN];
}

/** Gives `target` the origin of `source` (helpers that copy an object keep where it was written). */
export function copyOrigin<T>(source: unknown, target: T): T {
  const origin = originOf(source);
  if (origin) setOrigin(target, origin);
  return target;
}

/**
 * Records that a helper took some properties positionally (`prom(expr)` → `expr`
 * is argument 0), so a diagnostic about `expr` points at that argument.
 */
export function markArguments<T>(value: T, names: readonly string[]): T {
  if (typeof value === 'object' && value !== null && Object.isExtensible(value)) {
    Object.defineProperty(value, ARGUMENTS, { value: names, enumerable: false, configurable: true });
  }
  return value;
}

/**
 * A location that may still need resolving: a concrete span, or a property
 * (or positional argument) of a TS expression, resolved by parsing the file
 * only when a diagnostic is reported.
 */
export type Where = Span | { readonly origin: Origin; readonly property?: string; readonly argument?: number };

export function isSpan(where: Where): where is Span {
  return (where as { origin?: Origin }).origin === undefined;
}

/** The helper calls that built the object a location belongs to (none for YAML/JSON input). */
export function callSitesOf(where: Where): readonly CallSite[] {
  const origin = isSpan(where) ? where : where.origin;
  return (origin as Partial<Origin>).via ?? [];
}

/** Where a property of a definition object was written, falling back to the object itself. */
export function whereOf(value: unknown, property?: string): Where | undefined {
  const origin = originOf(value);
  if (!origin) return undefined;
  if (property === undefined) return origin;
  if (origin.node === 'call') {
    const names = (value as { [ARGUMENTS]?: readonly string[] })[ARGUMENTS];
    const index = names?.indexOf(property) ?? -1;
    if (index >= 0) return { origin, argument: index };
  }
  return { origin, property };
}
