import { pointerUnder } from '../model/pointer.js';
import type { Difference } from './compare.js';

/**
 * An Alertmanager configuration read against the one a build of its import wrote, as
 * Alertmanager reads them. Not differences:
 *
 * - key order; receivers and time intervals in another order (they are matched by name);
 * - a field absent on one side and empty on the other (`null`, `[]`, `{}`);
 * - `match` / `match_re` (and an inhibit rule's `source_match*` / `target_match*`) against the
 *   same matchers in `matchers` (the import writes the deprecated forms as matchers), in any order;
 * - top-level `mute_time_intervals` against `time_intervals` (Alertmanager reads both alike);
 * - a literal credential `x` against `x_file`: the import moves credentials out of the
 *   definition into a file (`import/secret-moved` says where), so the value is there, elsewhere.
 *
 * Everything else is compared, fields moncode does not model included.
 */

type Json = Record<string, unknown>;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
}

function quoted(value: unknown): string {
  return `"${String(value).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`;
}

/** The matchers a route or an inhibit rule's side holds in every form, sorted, with spaces around operators dropped. */
function matchersOf(node: Json, prefix: string): string[] {
  const list = Array.isArray(node[`${prefix}matchers`]) ? (node[`${prefix}matchers`] as unknown[]).map((m) => String(m).replace(/^\s*([\w]+)\s*(=~|!~|!=|=)\s*/, '$1$2')) : [];
  if (isMap(node[`${prefix}match`])) for (const [label, v] of Object.entries(node[`${prefix}match`] as Json)) list.push(`${label}=${quoted(v)}`);
  if (isMap(node[`${prefix}match_re`])) for (const [label, v] of Object.entries(node[`${prefix}match_re`] as Json)) list.push(`${label}=~${quoted(v)}`);
  // An unquoted value (`severity=critical`) means the same as a quoted one.
  return list.map((m) => m.replace(/^(\w+)(=~|!~|!=|=)(?![~"])(.*)$/, (_, l: string, op: string, v: string) => `${l}${op}${quoted(v)}`)).sort();
}

function withMatchers(node: Json, prefixes: string[]): Json {
  const out: Json = { ...node };
  for (const prefix of prefixes) {
    const list = matchersOf(node, prefix);
    delete out[`${prefix}match`];
    delete out[`${prefix}match_re`];
    delete out[`${prefix}matchers`];
    if (list.length > 0) out[`${prefix}matchers`] = list;
  }
  return out;
}

function route(node: unknown): unknown {
  if (!isMap(node)) return node;
  const out = withMatchers(node, ['']);
  if (Array.isArray(out.routes)) out.routes = out.routes.map(route);
  return out;
}

/** The config with matchers in one form and time intervals in one list. */
function normalize(config: Json): Json {
  const out: Json = { ...config };
  out.route = route(config.route);
  if (Array.isArray(config.inhibit_rules)) out.inhibit_rules = config.inhibit_rules.map((rule) => (isMap(rule) ? withMatchers(rule, ['source_', 'target_']) : rule));
  const intervals = [...(Array.isArray(config.time_intervals) ? config.time_intervals : []), ...(Array.isArray(config.mute_time_intervals) ? config.mute_time_intervals : [])];
  delete out.mute_time_intervals;
  if (intervals.length > 0) out.time_intervals = intervals;
  else delete out.time_intervals;
  return out;
}

const show = (value: unknown): string => (value === undefined ? 'absent' : JSON.stringify(value));

/** Lists compared by `name` where every item has one (receivers, time intervals); by position otherwise. */
function byName(list: unknown[]): Map<string, { item: unknown; index: number }> | undefined {
  if (!list.every((item) => isMap(item) && typeof item.name === 'string')) return undefined;
  return new Map(list.map((item, index) => [String((item as Json).name), { item, index }]));
}

function compare(want: unknown, got: unknown, at: string, out: Difference[]): void {
  if (isEmpty(want) && isEmpty(got)) return;
  if (isMap(want) && isMap(got)) {
    for (const key of [...new Set([...Object.keys(want), ...Object.keys(got)])].sort()) {
      const file = `${key}_file`;
      // A credential moved to a file: `x` in the input, `x_file` in the build.
      if (!key.endsWith('_file') && want[key] !== undefined && got[key] === undefined && typeof got[file] === 'string' && want[file] === undefined) continue;
      if (key.endsWith('_file') && got[key] !== undefined && want[key] === undefined && want[key.slice(0, -'_file'.length)] !== undefined) continue;
      compare(want[key], got[key], pointerUnder(at, key), out);
    }
    return;
  }
  if (Array.isArray(want) && Array.isArray(got)) {
    const wantNames = byName(want);
    const gotNames = byName(got);
    if (wantNames && gotNames) {
      for (const [name, { item, index }] of wantNames) {
        const other = gotNames.get(name);
        if (!other) out.push({ at: pointerUnder(at, index), message: `"${name}" is not in the build` });
        else compare(item, other.item, pointerUnder(at, index), out);
      }
      for (const name of gotNames.keys()) if (!wantNames.has(name)) out.push({ at, message: `"${name}" is in the build only` });
      return;
    }
    for (let i = 0; i < Math.max(want.length, got.length); i++) compare(want[i], got[i], pointerUnder(at, i), out);
    return;
  }
  if (JSON.stringify(want) === JSON.stringify(got)) return;
  // Scalars YAML reads differently (`30` against `"30"`) mean the same to Alertmanager's unmarshalling of strings.
  if (!isMap(want) && !isMap(got) && !Array.isArray(want) && !Array.isArray(got) && want !== undefined && got !== undefined && String(want) === String(got)) return;
  out.push({ at, message: `${show(want)} in the input, ${show(got)} in the build` });
}

/** What a build of an imported Alertmanager configuration does not reproduce, at pointers into the input. */
export function compareAlertmanager(input: Json, built: Json): Difference[] {
  const out: Difference[] = [];
  compare(normalize(input), normalize(built), '', out);
  return out;
}
