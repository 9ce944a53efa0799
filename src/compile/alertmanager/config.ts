import type { AlertmanagerModel, LoadedResource, ScopedSuppression } from '../../model/project-model.js';
import type { Alertmanager, GlobalConfig, InhibitRule, Receiver, Route, TimeInterval } from '../../model/alertmanager.js';
import { timeRangeProblems } from './time-intervals.js';
import { isSecretRef } from '../../model/datasource.js';
import { durationMessage } from '../../model/duration.js';
import { quoteValue } from '../../model/describe-value.js';
import { Locator } from '../../model/locator.js';
import { whereOf, type Where } from '../../model/source-location.js';
import { matcherProblem } from '../../model/matcher.js';
import { INVALID, UNSUPPORTED, type Problems } from '../../model/diagnostic.js';
import { pointer, pointerUnder } from '../../model/pointer.js';
import { alertmanagerRelease, ALERTMANAGER_VERSIONS, sinceRelease, shapeAt, VALIDATED_ALERTMANAGER_VERSION, type Section } from './versions.js';

/** Info: fields of a newer Alertmanager that moncode checked against its config structs, but no real validator here did. */
export const UNVALIDATED = 'alertmanager/unvalidated';

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** Inside structs from outside Alertmanager's config (http_config's, from prometheus/common): the `*_file` field a file reference compiles to. */
const SECRET_FIELDS: Record<string, string> = {
  api_url: 'api_url_file',
  slack_api_url: 'slack_api_url_file',
  routing_key: 'routing_key_file',
  service_key: 'service_key_file',
  auth_password: 'auth_password_file',
  smtp_auth_password: 'smtp_auth_password_file',
  credentials: 'credentials_file',
  password: 'password_file',
  // oauth2's (prometheus/common).
  client_secret: 'client_secret_file',
};

interface Context {
  problems: Problems;
  locator: Locator;
  subject: string;
  receivers: Map<string, Receiver>;
  intervals: Map<string, TimeInterval>;
  /** The release whose config structs the output is checked against. */
  release: string;
  version: string;
  /** Output fields the validated release (amtool here) lacks, by path. */
  unvalidated: Set<string>;
}

/**
 * Compiles a system's Alertmanager definition to alertmanager.yml's shape, checking what
 * `amtool check-config` would reject (unknown receivers and time intervals, bad matchers
 * and durations) at the line that wrote it.
 */
export function compileAlertmanager(resource: LoadedResource<Alertmanager>, problems: Problems, version = VALIDATED_ALERTMANAGER_VERSION): AlertmanagerModel {
  const spec = resource.value;
  const locator = new Locator();
  locator.set('', whereOf(spec));
  const known = alertmanagerRelease(version);
  const subject = `alertmanager of ${resource.system}`;
  if (!known) {
    problems.error(
      UNSUPPORTED,
      `Alertmanager ${version} is not a version moncode compiles for (${ALERTMANAGER_VERSIONS[0]}–${ALERTMANAGER_VERSIONS[ALERTMANAGER_VERSIONS.length - 1]}): set alertmanager.version in mon.config.ts`,
      whereOf(spec),
      subject,
    );
  }
  const release = known ?? VALIDATED_ALERTMANAGER_VERSION;
  const ctx: Context = { problems, locator, subject, receivers: new Map(), intervals: new Map(), release, version, unvalidated: new Set() };
  const suppressions: ScopedSuppression[] = spec.lint ? [{ pointer: '', suppression: spec.lint, where: whereOf(spec, 'lint') }] : [];

  // Receivers and intervals: those listed, then those the routes refer to by object.
  for (const item of spec.receivers ?? []) register(ctx.receivers, item, whereOf(item) ?? whereOf(spec, 'receivers'), 'receiver', ctx);
  for (const item of spec.time_intervals ?? []) register(ctx.intervals, item, whereOf(item) ?? whereOf(spec, 'time_intervals'), 'time interval', ctx);
  collectReferences(spec.route, ctx);

  unknownFields(spec, SPEC_FIELDS, 'an Alertmanager configuration', ctx);
  const config: Record<string, unknown> = {};
  if (spec.global) config.global = compileGlobal(spec.global, ctx);
  config.route = compileRoute(spec.route, '/route', ctx, true);
  if (spec.inhibit_rules?.length) config.inhibit_rules = spec.inhibit_rules.map((rule, index) => compileInhibit(rule, pointer('inhibit_rules', index), ctx));
  config.receivers = [...ctx.receivers.values()].map((item, index) => compileReceiver(item, pointer('receivers', index), ctx));
  if (ctx.intervals.size > 0) {
    config.time_intervals = [...ctx.intervals.values()].map((interval, index) => {
      locator.set(pointer('time_intervals', index), whereOf(interval));
      for (const range of interval.time_intervals ?? []) {
        for (const problem of timeRangeProblems(range))
          problems.error(INVALID, `time interval ${interval.name}: ${problem.message}`, whereOf(range, problem.field) ?? whereOf(range) ?? whereOf(interval), subject);
      }
      return { name: interval.name, time_intervals: interval.time_intervals.map((range) => withoutUndefined(range)) };
    });
  }
  if (spec.templates?.length) {
    config.templates = spec.templates;
    locator.set('/templates', whereOf(spec, 'templates'));
  }
  if (ctx.unvalidated.size > 0) {
    const fields = [...ctx.unvalidated];
    problems.list.push({
      rule: UNVALIDATED,
      severity: 'info',
      message: `no real validator checked ${fields.length === 1 ? 'this field' : `these ${fields.length} fields`} of Alertmanager ${version}: ${fields.join(', ')} (amtool here reads ${VALIDATED_ALERTMANAGER_VERSION}); moncode checked them against Alertmanager ${release}'s config structs`,
      where: whereOf(spec),
      subject,
    });
  }
  return { system: resource.system, file: resource.module, from: 'ts', config, locator, suppressions };
}

function register<T extends { name: string }>(into: Map<string, T>, item: T, where: Where | undefined, what: string, ctx: Context): void {
  const existing = into.get(item.name);
  if (existing && existing !== item) ctx.problems.error(INVALID, `${what} "${item.name}" is defined twice; names must be unique`, where, ctx.subject);
  else into.set(item.name, item);
}

function collectReferences(route: Route, ctx: Context): void {
  if (typeof route.receiver === 'object') register(ctx.receivers, route.receiver, whereOf(route.receiver) ?? whereOf(route, 'receiver'), 'receiver', ctx);
  for (const list of [route.mute_time_intervals, route.active_time_intervals]) {
    for (const interval of list ?? []) if (typeof interval === 'object') register(ctx.intervals, interval, whereOf(interval) ?? whereOf(route), 'time interval', ctx);
  }
  for (const child of route.routes ?? []) collectReferences(child, ctx);
}

function compileGlobal(global: GlobalConfig, ctx: Context): Record<string, unknown> {
  ctx.locator.set('/global', whereOf(global));
  if (global.resolve_timeout !== undefined) duration(global, 'resolve_timeout', ctx);
  return withSecrets(global, '/global', ctx, { section: 'global', path: [], what: 'global' });
}

function compileRoute(route: Route, at: string, ctx: Context, root: boolean): Record<string, unknown> {
  ctx.locator.set(at, whereOf(route));
  deprecatedMatch(route, ['match', 'match_re'], 'matchers', ctx);
  unknownFields(route, ROUTE_FIELDS, 'a route', ctx);
  const json: Record<string, unknown> = {};
  if (route.receiver !== undefined) {
    const name = typeof route.receiver === 'string' ? route.receiver : route.receiver.name;
    ctx.locator.set(pointerUnder(at, 'receiver'), whereOf(route, 'receiver'));
    if (!ctx.receivers.has(name)) {
      ctx.problems.error(INVALID, `receiver "${name}" is not defined: add it to \`receivers\` or refer to the receiver object`, whereOf(route, 'receiver'), ctx.subject);
    }
    json.receiver = name;
  } else if (root) {
    ctx.problems.error(INVALID, 'the root route needs a receiver: it catches every alert no other route takes', whereOf(route), ctx.subject);
  }
  if (route.group_by) {
    ctx.locator.set(pointerUnder(at, 'group_by'), whereOf(route, 'group_by'));
    for (const label of route.group_by) if (label !== '...' && !LABEL_NAME.test(label)) ctx.problems.error(INVALID, `group_by "${label}" is not a label name`, whereOf(route, 'group_by'), ctx.subject);
    json.group_by = route.group_by;
  }
  if (route.matchers) json.matchers = matchers(route, 'matchers', pointerUnder(at, 'matchers'), ctx);
  for (const field of ['group_wait', 'group_interval', 'repeat_interval'] as const) {
    if (route[field] === undefined) continue;
    duration(route, field, ctx);
    json[field] = route[field];
  }
  if (route.continue !== undefined) json.continue = route.continue;
  for (const field of ['mute_time_intervals', 'active_time_intervals'] as const) {
    const list = route[field];
    if (!list) continue;
    json[field] = list.map((interval) => {
      const name = typeof interval === 'string' ? interval : interval.name;
      if (!ctx.intervals.has(name)) ctx.problems.error(INVALID, `time interval "${name}" is not defined: add it to \`time_intervals\``, whereOf(route, field), ctx.subject);
      return name;
    });
  }
  if (route.routes?.length) json.routes = route.routes.map((child, index) => compileRoute(child, pointerUnder(at, 'routes', index), ctx, false));
  return json;
}

function compileInhibit(rule: InhibitRule, at: string, ctx: Context): Record<string, unknown> {
  ctx.locator.set(at, whereOf(rule));
  deprecatedMatch(rule, ['source_match', 'source_match_re'], 'source_matchers', ctx);
  deprecatedMatch(rule, ['target_match', 'target_match_re'], 'target_matchers', ctx);
  unknownFields(rule, INHIBIT_FIELDS, 'an inhibit rule', ctx);
  const json: Record<string, unknown> = {};
  if (rule.name !== undefined) {
    ctx.locator.set(pointerUnder(at, 'name'), whereOf(rule, 'name'));
    if (versionGate('inhibit_rule', ['name'], '`name` of an inhibit rule', whereOf(rule, 'name'), ctx)) {
      json.name = rule.name;
      if (ctx.release !== VALIDATED_ALERTMANAGER_VERSION) ctx.unvalidated.add('inhibit_rules[].name');
    }
  }
  Object.assign(json, {
    source_matchers: matchers(rule, 'source_matchers', pointerUnder(at, 'source_matchers'), ctx),
    target_matchers: matchers(rule, 'target_matchers', pointerUnder(at, 'target_matchers'), ctx),
  });
  if (rule.equal) {
    ctx.locator.set(pointerUnder(at, 'equal'), whereOf(rule, 'equal'));
    for (const label of rule.equal) if (!LABEL_NAME.test(label)) ctx.problems.error(INVALID, `equal "${label}" is not a label name`, whereOf(rule, 'equal'), ctx.subject);
    json.equal = rule.equal;
  }
  return json;
}

function compileReceiver(item: Receiver, at: string, ctx: Context): Record<string, unknown> {
  ctx.locator.set(at, whereOf(item));
  const json: Record<string, unknown> = { name: item.name };
  const kinds = new Set(ALERTMANAGER_VERSIONS.flatMap((release) => Object.keys(shapeAt(release, 'receiver', []) as object)).filter((key) => key.endsWith('_configs')));
  unknownFields(item, new Set(['name', ...kinds]), 'a receiver', ctx, `receiver kinds of Alertmanager: ${[...kinds].sort().join(', ')}`);
  for (const kind of [...kinds].sort()) {
    const list = (item as unknown as Record<string, object[] | undefined>)[kind];
    if (!list?.length) continue;
    ctx.locator.set(pointerUnder(at, kind), whereOf(item, kind));
    if (!versionGate('receiver', [kind], `\`${kind}\``, whereOf(item, kind), ctx)) continue;
    if (ctx.release !== VALIDATED_ALERTMANAGER_VERSION && shapeAt(VALIDATED_ALERTMANAGER_VERSION, 'receiver', [kind]) === undefined) ctx.unvalidated.add(kind);
    json[kind] = list.map((config, index) => withSecrets(config, pointerUnder(at, kind, index), ctx, { section: 'receiver', path: [kind], what: kind }));
  }
  return json;
}

/** A config object with `fromFile()` references turned into `*_file` fields, and undefined fields dropped. */
function withSecrets(source: object, at: string, ctx: Context, facts: { section: Section; path: string[]; what: string }): Record<string, unknown> {
  ctx.locator.set(at, whereOf(source));
  const json: Record<string, unknown> = {};
  // Inside a struct Alertmanager's config defines, each field is checked against the release; below it (http_config's), the known secrets only.
  const checked = typeof shapeAt(ctx.release, facts.section, facts.path) === 'object';
  for (const [key, value] of Object.entries(source)) {
    if (value === undefined) continue;
    ctx.locator.set(pointerUnder(at, key), whereOf(source, key));
    const fileKey = `${key}_file`;
    const field = isSecretRef(value) && checked ? fileKey : key;
    if (checked) {
      const shown = `\`${field}\` of ${facts.what}`;
      if (isSecretRef(value) && sinceRelease(facts.section, [...facts.path, fileKey]) === undefined) {
        ctx.problems.error(INVALID, `\`${key}\` of ${facts.what} cannot be read from a file in any Alertmanager (there is no \`${fileKey}\`)`, whereOf(source, key), ctx.subject);
        continue;
      }
      if (!versionGate(facts.section, [...facts.path, field], shown, whereOf(source, key), ctx)) continue;
      // A field of a struct 0.25 lacks as a whole is covered by that struct's entry.
      const parentKnown = shapeAt(VALIDATED_ALERTMANAGER_VERSION, facts.section, facts.path) !== undefined;
      if (ctx.release !== VALIDATED_ALERTMANAGER_VERSION && parentKnown && shapeAt(VALIDATED_ALERTMANAGER_VERSION, facts.section, [...facts.path, field]) === undefined) {
        ctx.unvalidated.add(`${facts.what}.${field}`);
      }
    }
    if (isSecretRef(value)) {
      const fileField = checked ? fileKey : SECRET_FIELDS[key];
      if (!fileField || value.from !== 'file') {
        ctx.problems.error(
          INVALID,
          `\`${key}\` cannot be read from ${value.from === 'env' ? 'the environment: Alertmanager does not expand environment variables; use fromFile()' : 'a file'}`,
          whereOf(source, key),
          ctx.subject,
        );
        continue;
      }
      if (typeof value.name !== 'string' || value.name.trim() === '') {
        // Alertmanager reads an empty `*_file` as unset, and the receiver then has no credential at all.
        ctx.problems.error(INVALID, `\`${key}\`: fromFile() needs the path of the secret file, not an empty string`, whereOf(source, key), ctx.subject);
        continue;
      }
      json[fileField] = value.name;
    } else if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      json[key] = withSecrets(value, pointerUnder(at, key), ctx, { ...facts, path: [...facts.path, key], what: `${facts.what}.${key}` });
    } else {
      json[key] = value;
    }
  }
  return json;
}

function matchers(owner: object, field: string, at: string, ctx: Context): string[] {
  const list = (owner as Record<string, unknown>)[field] as string[];
  ctx.locator.set(at, whereOf(owner, field));
  list.forEach((text, index) => {
    ctx.locator.set(pointerUnder(at, index), whereOf(owner, field));
    const problem = matcherProblem(text);
    if (problem) ctx.problems.error(INVALID, problem, whereOf(owner, field), ctx.subject);
  });
  return list;
}

function duration(owner: object, field: string, ctx: Context): void {
  const value = (owner as Record<string, unknown>)[field];
  const message = typeof value === 'string' ? durationMessage(field, value) : `\`${field}\` is ${quoteValue(value)}, not a duration such as 30s, 5m or 4h`;
  if (message) ctx.problems.error(INVALID, message, whereOf(owner, field), ctx.subject);
}

/** Whether the declared release has the field; an error at it when not, naming the release that brought it. */
function versionGate(section: Section, path: readonly string[], shown: string, where: Where | undefined, ctx: Context): boolean {
  if (shapeAt(ctx.release, section, path) !== undefined) return true;
  const since = sinceRelease(section, path);
  ctx.problems.error(
    UNSUPPORTED,
    since && Number(since.split('.')[1]) > Number(ctx.release.split('.')[1])
      ? `${shown} needs Alertmanager ${since} or later; the target is ${ctx.version} (set alertmanager.version in mon.config.ts)`
      : `${shown} is not in Alertmanager ${ctx.version}${since ? ` (it was in ${since})` : ''}`,
    where,
    ctx.subject,
  );
  return false;
}

/** `match`/`match_re` (and the inhibit rules' `source_match*`/`target_match*`): deprecated in Alertmanager, "Remove before v1.0". */
function deprecatedMatch(owner: object, fields: readonly string[], instead: string, ctx: Context): void {
  for (const field of fields) {
    const value = (owner as Record<string, unknown>)[field];
    if (value === undefined) continue;
    const example = value && typeof value === 'object' ? Object.entries(value as Record<string, unknown>)[0] : undefined;
    const hint = example ? `, e.g. ${instead}: ['${example[0]}${field.endsWith('_re') ? '=~' : '='}"${String(example[1])}"']` : '';
    ctx.problems.error(INVALID, `\`${field}\` is deprecated in Alertmanager ("Remove before v1.0") and moncode does not write it: use \`${instead}\`${hint}`, whereOf(owner, field), ctx.subject);
  }
}

const ROUTE_FIELDS = new Set(['receiver', 'matchers', 'group_by', 'group_wait', 'group_interval', 'repeat_interval', 'continue', 'routes', 'mute_time_intervals', 'active_time_intervals']);
const INHIBIT_FIELDS = new Set(['name', 'source_matchers', 'target_matchers', 'equal']);
const SPEC_FIELDS = new Set(['global', 'route', 'receivers', 'inhibit_rules', 'time_intervals', 'templates', 'lint']);

/** A field the model does not know would be dropped from the output without a word: it is an error at its line. */
function unknownFields(owner: object, known: ReadonlySet<string>, what: string, ctx: Context, hint?: string): void {
  for (const [key, value] of Object.entries(owner)) {
    if (known.has(key) || value === undefined || /^(source_|target_)?match(_re)?$/.test(key)) continue;
    const expected = hint ?? `fields moncode compiles: ${[...known].join(', ')}`;
    ctx.problems.error(INVALID, `\`${key}\` is not a field of ${what} that moncode compiles (${expected}); it would be missing from alertmanager.yml`, whereOf(owner, key), ctx.subject);
  }
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
