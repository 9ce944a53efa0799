import { createHash } from 'node:crypto';
import { deserialize, serialize } from 'node:v8';
import type { Diagnostic } from '../model/diagnostic.js';
import { Locator } from '../model/locator.js';
import type { DashboardModel, RuleGroupModel } from '../model/project-model.js';
import type { Where } from '../model/source-location.js';

/**
 * What one build's compile keeps for the next (mon-build; compile-records.ts keeps it in the cache):
 * each system's dashboards and rule groups as compiled from its resources, with the problems each
 * gave, valid while its key is (the digest of its evaluated resources, its target, the project's
 * datasources: everything compiling them reads), and files of out/ by the digest of what they were
 * rendered from. The rest of the compile (SLOs, Alertmanager, provisioning, the checks across
 * systems) runs every time.
 */
export class CompileMemo {
  /** Records read from the last build, by system. */
  readonly systems = new Map<string, SystemCompileRecord>();
  /** Records this compile made (its systems' keys changed), by system. */
  readonly written = new Map<string, SystemCompileRecord>();
  /** Systems whose record this compile used. */
  readonly reused = new Set<string>();
  /** Rendered files by `renderKey`, as read. */
  readonly rendered = new Map<string, string>();
  /** Rendered files this compile used or made: what the next one can reuse. */
  readonly renderedNow = new Map<string, string>();
}

export interface SystemCompileRecord {
  key: string;
  /** `serialize` of `RecordedCompile`, taken before later steps (runbook URLs) change the models. */
  payload: Uint8Array;
}

/** One resource's compile: its model (none when it could not be compiled) and the problems it gave. */
export interface RecordedResource<M> {
  model?: M;
  diagnostics: Diagnostic[];
}

interface RecordedCompile {
  dashboards: Array<RecordedResource<Stored<DashboardModel>>>;
  ruleGroups: Array<RecordedResource<Stored<RuleGroupModel>>>;
}

type Stored<M> = Omit<M, 'locator'> & { locator: Array<[string, Where]> };

export interface SystemCompile {
  dashboards: Array<RecordedResource<DashboardModel>>;
  ruleGroups: Array<RecordedResource<RuleGroupModel>>;
}

/** The record of a system's compile, or undefined when a model cannot be recorded (a locator that answers on demand). */
export function recordCompile(key: string, compiled: SystemCompile): SystemCompileRecord | undefined {
  const store = <M extends { locator: Locator }>(list: Array<RecordedResource<M>>): Array<RecordedResource<Stored<M>>> | undefined => {
    const stored: Array<RecordedResource<Stored<M>>> = [];
    for (const { model, diagnostics } of list) {
      if (!model) {
        stored.push({ diagnostics });
        continue;
      }
      const locator = model.locator.recordable();
      if (!locator) return undefined;
      stored.push({ model: { ...model, locator }, diagnostics });
    }
    return stored;
  };
  const dashboards = store(compiled.dashboards);
  const ruleGroups = store(compiled.ruleGroups);
  if (!dashboards || !ruleGroups) return undefined;
  try {
    return { key, payload: serialize({ dashboards, ruleGroups } satisfies RecordedCompile) };
  } catch {
    // A value v8 cannot copy: compiled afresh next time.
    return undefined;
  }
}

/** The system's compile from its record, or undefined when the record is damaged. */
export function replayCompile(record: SystemCompileRecord): SystemCompile | undefined {
  try {
    const stored = deserialize(record.payload) as RecordedCompile;
    if (!Array.isArray(stored?.dashboards) || !Array.isArray(stored.ruleGroups)) return undefined;
    const restore = <M extends { locator: Locator }>(list: Array<RecordedResource<Stored<M>>>): Array<RecordedResource<M>> =>
      list.map(({ model, diagnostics }) => {
        if (!Array.isArray(diagnostics)) throw new TypeError('damaged record');
        if (!model) return { diagnostics };
        if (!Array.isArray(model.locator)) throw new TypeError('damaged record');
        return { model: { ...model, locator: Locator.fromEntries(model.locator) } as unknown as M, diagnostics };
      });
    return { dashboards: restore<DashboardModel>(stored.dashboards), ruleGroups: restore<RuleGroupModel>(stored.ruleGroups) };
  } catch {
    return undefined;
  }
}

/** A key of everything a system's compile reads. */
export function compileKey(parts: unknown): string {
  return createHash('sha1').update(JSON.stringify(parts)).digest('hex');
}

/**
 * The key of a rendering of `value`: its JSON with what JSON would lose or merge (undefined in an
 * array, non-finite numbers, -0, Maps, Sets) told apart, so equal keys render equal text.
 */
export function renderKey(kind: string, value: unknown, header = ''): string {
  const text = JSON.stringify(value, (_key, item: unknown) => {
    if (typeof item === 'number' && (!Number.isFinite(item) || Object.is(item, -0))) return `\0number:${String(item)}${Object.is(item, -0) ? '-0' : ''}`;
    if (item === undefined) return '\0undefined';
    if (item instanceof Map) return ['\0map', ...item];
    if (item instanceof Set) return ['\0set', ...item];
    if (typeof item === 'bigint' || typeof item === 'function' || typeof item === 'symbol') return `\0${typeof item}:${String(item)}`;
    if (typeof item === 'string' && item.startsWith('\0')) return `\0string:${item}`;
    return item;
  });
  return createHash('sha1').update(kind).update('\0').update(header).update('\0').update(text).digest('hex');
}

/** `render(value)` from the memo when the same value was rendered before. */
export function memoRender(memo: CompileMemo | undefined, kind: string, value: unknown, header: string | undefined, render: () => string): string {
  if (!memo) return render();
  const key = renderKey(kind, value, header);
  const content = memo.renderedNow.get(key) ?? memo.rendered.get(key) ?? render();
  memo.renderedNow.set(key, content);
  return content;
}
