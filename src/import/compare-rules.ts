import { parseAllDocuments } from 'yaml';
import type { Diagnostic } from '../model/diagnostic.js';
import type { RuleGroupModel } from '../model/project-model.js';
import { pointer, pointerUnder } from '../model/pointer.js';

/**
 * Rule files read against the rule files a build of their import wrote, as Prometheus reads
 * them: what differs after normalising what carries no meaning — key order, `for: 0s`,
 * `keep_firing_for: 0s`, `limit: 0`, empty or absent `labels`/`annotations`, an
 * expression's surrounding whitespace, numbers against strings in label maps, YAML merge keys
 * (resolved as Prometheus resolves them). Every other field of the input is compared, also
 * those moncode does not model, so a field the import cannot carry shows as a difference.
 */

type Json = Record<string, unknown>;

/** A difference a round trip shows (info, at the input's field). */
export const IMPORT_ROUND_TRIP = 'import/round-trip';

/** Why a group field of the input cannot come back (every field the reader accepts is modelled today). */
const NOT_MODELLED: Record<string, string> = {};

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isEmpty(value: unknown): boolean {
  return value === undefined || value === null || (Array.isArray(value) && value.length === 0) || (isMap(value) && Object.keys(value).length === 0);
}

function textMap(map: Json): Json {
  return Object.fromEntries(
    Object.entries(map)
      .map(([k, v]) => [k, v === null ? '' : String(v)] as const)
      .sort(([a], [b]) => (a < b ? -1 : 1)),
  );
}

const ZERO_DURATION = /^0+(ms|s|m|h|d|w|y)?$/;

/** A rule group as Prometheus means it: defaults and empty fields left out, maps sorted. */
export function normalizeRuleGroup(group: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(group).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (key === 'rules' || isEmpty(value)) continue;
    if (key === 'limit' && value === 0) continue;
    if (key === 'labels' && isMap(value)) out.labels = textMap(value);
    // Thanos reads the strategy in either case; the Prometheus Operator's CRD takes either, and '' for none.
    else if (key === 'partial_response_strategy' && typeof value === 'string') {
      if (value !== '') out[key] = value.toLowerCase();
    } else out[key] = typeof value === 'number' && key !== 'limit' ? String(value) : value;
  }
  out.rules = (Array.isArray(group.rules) ? group.rules : []).map((rule) => (isMap(rule) ? normalizeRule(rule) : rule));
  return out;
}

function normalizeRule(rule: Json): Json {
  const out: Json = {};
  for (const [key, value] of Object.entries(rule).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isEmpty(value)) continue;
    if ((key === 'for' || key === 'keep_firing_for') && ZERO_DURATION.test(String(value))) continue;
    if (key === 'expr') out.expr = String(value).trim();
    else if ((key === 'labels' || key === 'annotations') && isMap(value)) out[key] = textMap(value);
    else out[key] = value;
  }
  return out;
}

/** The rule groups of a rule file's text: `groups:` (plain, Thanos, Mimir, Loki) or a PrometheusRule's `spec.groups`, every document. */
export function ruleGroupsOf(text: string): Json[] {
  const groups: Json[] = [];
  for (const doc of parseAllDocuments(text, { merge: true })) {
    if (doc.errors.length > 0) continue;
    const value = doc.toJS({ maxAliasCount: -1 }) as unknown;
    if (!isMap(value)) continue;
    const list = value.kind === 'PrometheusRule' && isMap(value.spec) ? value.spec.groups : value.groups;
    if (Array.isArray(list)) for (const group of list) if (isMap(group)) groups.push(group);
  }
  return groups;
}

const show = (value: unknown): string => (value === undefined ? 'absent' : JSON.stringify(value));

/**
 * Each imported group against the built group of the same name: `import/round-trip`
 * infos at the input's field. `built` holds the groups of every rule file the build wrote (rule files
 * are named by system or by `file:`, so a group is found by its name, and its value among equal names).
 */
export function compareRuleGroups(models: readonly RuleGroupModel[], textOf: (file: string) => string | undefined, built: readonly Json[]): Diagnostic[] {
  const found: Diagnostic[] = [];
  const consumed = new Set<Json>();
  const rawByFile = new Map<string, Json[]>();
  const seen = new Map<string, number>();
  for (const model of models) {
    if (!rawByFile.has(model.file)) rawByFile.set(model.file, ruleGroupsOf(textOf(model.file) ?? ''));
    // The k-th group of a name in the file is the k-th model of that name (names repeat only across documents).
    const key = `${model.file}\0${model.name}`;
    const k = seen.get(key) ?? 0;
    seen.set(key, k + 1);
    const raw = rawByFile.get(model.file)!.filter((g) => g.name === model.name)[k];
    const where = (at: string) => model.locator.get(at) ?? model.locator.get('');
    const note = (at: string, message: string) => found.push({ rule: IMPORT_ROUND_TRIP, severity: 'info', message, where: where(at), subject: model.name });
    if (!raw) {
      note('', `group "${model.name}" could not be read again from its file to compare`);
      continue;
    }
    const want = normalizeRuleGroup(raw);
    const wantText = JSON.stringify(want);
    const candidates = built.filter((g) => !consumed.has(g) && g.name === model.name);
    const exact = candidates.find((g) => JSON.stringify(normalizeRuleGroup(g)) === wantText);
    if (exact) {
      consumed.add(exact);
      continue;
    }
    const near = candidates[0];
    if (!near) {
      note('', `group "${model.name}" is not in the built rule files`);
      continue;
    }
    consumed.add(near);
    const got = normalizeRuleGroup(near);
    for (const key of [...new Set([...Object.keys(want), ...Object.keys(got)])].sort()) {
      if (key === 'rules' || JSON.stringify(want[key]) === JSON.stringify(got[key])) continue;
      const why = want[key] !== undefined && got[key] === undefined ? NOT_MODELLED[key] : undefined;
      note(want[key] !== undefined ? pointer(key) : '', `group "${model.name}": \`${key}\` is ${show(want[key])} in the input, ${show(got[key])} in the build${why ? ` (${why})` : ''}`);
    }
    const wantRules = want.rules as Json[];
    const gotRules = got.rules as Json[];
    for (let i = 0; i < Math.max(wantRules.length, gotRules.length); i++) {
      const a = wantRules[i];
      const b = gotRules[i];
      const at = pointer('rules', i);
      const name = String(a?.alert ?? a?.record ?? b?.alert ?? b?.record);
      if (!a || !b) {
        note(a ? at : '', `group "${model.name}": rule "${name}" is ${a ? 'missing from the build' : 'in the build only'}`);
        continue;
      }
      for (const key of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
        if (JSON.stringify(a[key]) === JSON.stringify(b[key])) continue;
        note(a[key] !== undefined ? pointerUnder(at, key) : at, `rule "${name}": \`${key}\` is ${show(a[key])} in the input, ${show(b[key])} in the build`);
      }
    }
  }
  return found;
}
