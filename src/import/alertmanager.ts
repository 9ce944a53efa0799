import { ALERTMANAGER_FIELDS, type FieldShape } from '../model/alertmanager-fields.gen.js';
import type { Receiver } from '../model/alertmanager.js';
import type { Diagnostic } from '../model/diagnostic.js';
import type { AlertmanagerModel } from '../model/project-model.js';
import { findPathTokens, findSecrets } from '../model/secrets.js';
import { shapesOf, type Shape } from './shapes.js';
import { pointer, pointerUnder } from '../model/pointer.js';
import { isMap } from '../read/rule-file.js';
import { commentsAbove, leadingComments } from './comments.js';
import { Call, Cast, Commented, identifierFor, Ref, type Statement } from './print.js';

/** Kept as written through a cast: a field or receiver kind moncode's types do not have (info). */
export const IMPORT_KEPT = 'import/kept-as-written';
/** A literal credential, not written into the definition: it becomes a file reference (warning). */
export const IMPORT_SECRET = 'import/secret-moved';

/** The type a receiver kind's configs have (exported by moncode, for the casts of fields it lacks). */
const CONFIG_TYPES: Record<Exclude<keyof Receiver, 'name'>, string> = {
  slack_configs: 'SlackConfig',
  pagerduty_configs: 'PagerdutyConfig',
  email_configs: 'EmailConfig',
  webhook_configs: 'WebhookConfig',
  msteams_configs: 'MsTeamsConfig',
  msteamsv2_configs: 'MsTeamsV2Config',
  discord_configs: 'DiscordConfig',
  webex_configs: 'WebexConfig',
  telegram_configs: 'TelegramConfig',
  opsgenie_configs: 'OpsgenieConfig',
  victorops_configs: 'VictorOpsConfig',
  pushover_configs: 'PushoverConfig',
  sns_configs: 'SnsConfig',
  wechat_configs: 'WechatConfig',
  jira_configs: 'JiraConfig',
  rocketchat_configs: 'RocketchatConfig',
  incidentio_configs: 'IncidentioConfig',
  mattermost_configs: 'MattermostConfig',
};

/**
 * Credentials inside structs from outside Alertmanager's config (`http_config`'s, from
 * prometheus/common) that mon-build writes as their `*_file` field. `bearer_token` is written
 * as `authorization.credentials` (the same Bearer header).
 */
const HTTP_FILE_FIELDS = new Set(['password', 'credentials', 'client_secret']);
/** A field whose value is a credential by its name alone. */
const CREDENTIAL_NAME = /(^|_)(password|secret|token|api_key|apikey|credentials|secret_key|user_key|token_id)$/;
/** Fields with a file form that are no credential. */
const NOT_CREDENTIAL = new Set(['chat_id']);

type Section = 'receiver' | 'global';

const ALERTMANAGER_VERSIONS = Object.keys(ALERTMANAGER_FIELDS);

/** The first Alertmanager release whose config structs have this field path, if any. */
function fieldSince(section: Section, path: readonly string[]): string | undefined {
  return Object.keys(ALERTMANAGER_FIELDS).find((release) => {
    let shape: FieldShape | undefined = ALERTMANAGER_FIELDS[release]![section];
    for (const part of path) {
      if (shape === undefined || shape === true) return false;
      shape = shape[part];
    }
    return shape !== undefined;
  });
}

/** Alertmanager's config structs define this path (some release): its fields are checked, and a `fromFile()` becomes `<field>_file`. */
function inConfigStruct(section: Section, path: readonly string[]): boolean {
  return Object.keys(ALERTMANAGER_FIELDS).some((release) => {
    let shape: FieldShape | undefined = ALERTMANAGER_FIELDS[release]![section];
    for (const part of path) {
      if (shape === undefined || shape === true) return false;
      shape = shape[part];
    }
    return typeof shape === 'object';
  });
}

type ObjectShape = Extract<Shape, { kind: 'object' }>;

/** The object a shape holds (through unions and arrays): a receiver kind's config, a nested struct. */
function objectIn(shape: Shape | undefined): ObjectShape | undefined {
  if (!shape) return undefined;
  if (shape.kind === 'object') return shape;
  if (shape.kind === 'array') return objectIn(shape.of);
  if (shape.kind === 'union') for (const member of shape.of) if (objectIn(member)) return objectIn(member);
  return undefined;
}

/** Dotted paths of the fields of `value` that `shape` (moncode's type) has no field for, nested ones included. */
function untypedFields(value: unknown, shape: ObjectShape | undefined, prefix = ''): string[] {
  if (!shape || !isMap(value) || shape.index) return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const field = shape.props.get(key);
    if (!field) return [`${prefix}${key}`];
    if (item instanceof Call) return [];
    if (Array.isArray(item)) return item.flatMap((element, i) => untypedFields(element, objectIn(field), `${prefix}${key}.${i}.`));
    return untypedFields(item, objectIn(field), `${prefix}${key}.`);
  });
}

/** moncode's own Receiver and GlobalConfig types, read with the TypeScript checker (src/import/shapes.ts). */
function modelShapes(): { receiver: ObjectShape; global: ObjectShape } {
  const shapes = shapesOf(['M.Receiver', 'M.GlobalConfig']);
  return { receiver: objectIn(shapes.get('M.Receiver'))!, global: objectIn(shapes.get('M.GlobalConfig'))! };
}

export interface AlertmanagerModule {
  statements: Statement[];
  helpers: Set<string>;
  types: Set<string>;
  diagnostics: Diagnostic[];
}

/**
 * An Alertmanager configuration as `alertmanager({ … })`: receivers and time intervals
 * declared once (`receiver()`, `timeInterval()`) and referred to by object from routes;
 * `match`/`match_re` (deprecated) as `matchers`; `*_file` credentials as `fromFile()`.
 */
export function importAlertmanager(model: AlertmanagerModel, text: string | undefined, used: Set<string>): AlertmanagerModule {
  const config = model.config;
  const module: AlertmanagerModule = { statements: [], helpers: new Set(['alertmanager']), types: new Set(), diagnostics: [] };
  const where = (at: string) => model.locator.get(at);
  const note = (rule: string, severity: 'info' | 'warning', message: string, at: string) =>
    module.diagnostics.push({ rule, severity, message, where: where(at), subject: `alertmanager of ${model.system}` });
  const comments = (at: string) => (text ? commentsAbove(text, where(at), () => false) : []);

  const shapes = modelShapes();
  const placeholders = new Set<string>();
  const receivers = new Map<string, string>();
  const receiverList = Array.isArray(config.receivers) ? config.receivers : [];
  receiverList.forEach((item, i) => {
    if (!isMap(item) || typeof item.name !== 'string') return;
    const at = pointer('receivers', i);
    const name = identifierFor(item.name, used);
    receivers.set(item.name, name);
    const spec: Record<string, unknown> = {};
    let typed = true;
    for (const [key, value] of Object.entries(item)) {
      if (key === 'name' || !Array.isArray(value)) {
        spec[key] = value;
        continue;
      }
      const type = (CONFIG_TYPES as Record<string, string | undefined>)[key];
      const fields = objectIn(shapes.receiver.props.get(key));
      if (!type || !fields) {
        typed = false;
        note(IMPORT_KEPT, 'info', `receiver "${item.name}": moncode's Receiver type has no \`${key}\`; kept as written (the receiver is cast to Receiver)`, pointerUnder(at, key));
      }
      spec[key] = value.map((entry, j) => {
        const entryAt = pointerUnder(at, key, j);
        if (!isMap(entry)) return entry;
        const converted = secrets(entry, entryAt, `${item.name}${value.length > 1 ? `-${j + 1}` : ''}`, 'receiver', [key]);
        const extra = fields ? untypedFields(converted, fields) : [];
        if (type && fields && extra.length > 0) {
          module.types.add(type);
          note(
            IMPORT_KEPT,
            'info',
            `receiver "${item.name}": ${extra.map((f) => `\`${f}\``).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in moncode's ${type} type; kept as written (as ${type})`,
            entryAt,
          );
          return new Cast(converted, type);
        }
        return converted;
      });
    }
    module.helpers.add('receiver');
    const receiverSpec = { name: item.name, ...spec };
    // The argument is cast, not the call's result: receiver() type-checks what it is given.
    const value = new Call('receiver', [typed ? receiverSpec : new Cast(receiverSpec, 'Receiver')]);
    if (!typed) module.types.add('Receiver');
    module.statements.push({ kind: 'const', name, value, exported: false, comments: comments(at) });
  });

  const intervals = new Map<string, string>();
  const intervalFields = ['time_intervals', 'mute_time_intervals'] as const;
  for (const field of intervalFields) {
    const list = Array.isArray(config[field]) ? (config[field] as unknown[]) : [];
    list.forEach((item, i) => {
      if (!isMap(item) || typeof item.name !== 'string') return;
      const name = identifierFor(item.name, used);
      intervals.set(item.name, name);
      module.helpers.add('timeInterval');
      const ranges = Array.isArray(item.time_intervals) ? item.time_intervals : [];
      module.statements.push({ kind: 'const', name, value: new Call('timeInterval', [item.name, ...ranges]), exported: false, comments: comments(pointer(field, i)) });
    });
  }

  /** A file for a moved credential that no other one uses. */
  function placeholderFile(owner: string, key: string): string {
    // Names come from the input: only word characters, dots and dashes, so a name cannot lead elsewhere.
    const part = (text: string) => text.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'secret';
    const base = `/etc/alertmanager/secrets/${part(owner)}-${part(key)}`;
    let file = base;
    for (let n = 2; placeholders.has(file); n++) file = `${base}-${n}`;
    placeholders.add(file);
    return file;
  }

  /**
   * A receiver config's or global's fields with credentials as file references: `x_file` becomes
   * `x: fromFile(path)`; a literal credential (a field named for one, or with a file form that
   * holds one; a URL with a password, token or webhook key in it) is never printed: it becomes
   * `fromFile(<placeholder>)` with an `import/secret-moved` warning saying what to put there.
   */
  function secrets(entry: Record<string, unknown>, at: string, owner: string, section: Section, path: string[]): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const checked = inConfigStruct(section, path);
    const fileForm = (key: string): string | undefined => (checked ? fieldSince(section, [...path, `${key}_file`]) : HTTP_FILE_FIELDS.has(key) ? ALERTMANAGER_VERSIONS[0] : undefined);
    const move = (key: string, fieldAt: string, what: string): void => {
      const since = fileForm(key);
      if (since === undefined) {
        // No file form: a reference would not build and a literal would land in alertmanager.yml.
        const advice = path.includes('sigv4')
          ? 'without it Alertmanager signs with the AWS credentials of its environment (or set role_arn)'
          : "write it by hand where Alertmanager reads it from a file (http_config's authorization or basic_auth take *_file credentials)";
        note(
          IMPORT_SECRET,
          'warning',
          `\`${key}\` ${what}: left out of the definition, since no Alertmanager reads \`${key}\` from a file and a literal would be written into alertmanager.yml; ${advice}`,
          fieldAt,
        );
        return;
      }
      const file = placeholderFile(owner, key);
      module.helpers.add('fromFile');
      out[key] = new Call('fromFile', [file]);
      const reads = since === ALERTMANAGER_VERSIONS[0] ? 'which Alertmanager reads' : `which Alertmanager ${since}+ reads (\`${key}_file\`)`;
      note(IMPORT_SECRET, 'warning', `\`${key}\` ${what}: it is not written into the definition; put it in ${file} (fromFile), ${reads}`, fieldAt);
    };
    for (const [key, value] of Object.entries(entry)) {
      const fieldAt = pointerUnder(at, key);
      const base = key.replace(/_file$/, '');
      if (key.endsWith('_file') && typeof value === 'string' && (checked || HTTP_FILE_FIELDS.has(base))) {
        module.helpers.add('fromFile');
        out[base] = new Call('fromFile', [value]);
      } else if (!checked && key === 'bearer_token_file' && typeof value === 'string') {
        module.helpers.add('fromFile');
        out.authorization = { credentials: new Call('fromFile', [value]) };
      } else if (typeof value === 'string' && value !== '' && !key.endsWith('_file')) {
        const named = CREDENTIAL_NAME.test(key) || (fileForm(key) !== undefined && !NOT_CREDENTIAL.has(key) && !(key === 'url' && path[0] === 'webhook_configs'));
        const inside = [...findSecrets(value), ...(/url$/.test(key) ? findPathTokens(value) : [])];
        if (!checked && key === 'bearer_token') {
          const file = placeholderFile(owner, key);
          module.helpers.add('fromFile');
          out.authorization = { credentials: new Call('fromFile', [file]) };
          note(
            IMPORT_SECRET,
            'warning',
            `\`bearer_token\` is a literal credential: it is not written into the definition; put it in ${file} (authorization.credentials, fromFile), which Alertmanager reads`,
            fieldAt,
          );
        } else if (named) move(key, fieldAt, 'is a literal credential');
        else if (inside.length > 0) move(key, fieldAt, `holds ${inside[0]!.what}`);
        else out[key] = value;
      } else if (isMap(value)) {
        out[key] = secrets(value, fieldAt, owner, section, [...path, key]);
      } else {
        out[key] = value;
      }
    }
    return out;
  }

  const route = (node: unknown, at: string): unknown => {
    if (!isMap(node)) return node;
    const out: Record<string, unknown> = {};
    const matchers: string[] = [];
    for (const [key, value] of Object.entries(node)) {
      if (key === 'receiver' && typeof value === 'string') out.receiver = receivers.has(value) ? new Ref(receivers.get(value)!) : value;
      else if (key === 'match' && isMap(value)) matchers.push(...Object.entries(value).map(([label, v]) => matcher(label, '=', String(v))));
      else if (key === 'match_re' && isMap(value)) matchers.push(...Object.entries(value).map(([label, v]) => matcher(label, '=~', String(v))));
      else if (key === 'matchers' && Array.isArray(value)) matchers.unshift(...value.map(String));
      else if ((key === 'mute_time_intervals' || key === 'active_time_intervals') && Array.isArray(value))
        out[key] = value.map((v) => (typeof v === 'string' && intervals.has(v) ? new Ref(intervals.get(v)!) : v));
      else if (key === 'routes' && Array.isArray(value)) out.routes = value.map((child, i) => withComments(route(child, pointerUnder(at, 'routes', i)), comments(pointerUnder(at, 'routes', i))));
      else out[key] = value;
    }
    if (matchers.length > 0) out.matchers = matchers;
    return order(out, ['receiver', 'matchers', 'group_by', 'group_wait', 'group_interval', 'repeat_interval', 'continue', 'mute_time_intervals', 'active_time_intervals', 'routes']);
  };

  const spec: Record<string, unknown> = {};
  if (isMap(config.global)) {
    const global = secrets(config.global, '/global', 'global', 'global', []);
    const extra = untypedFields(global, shapes.global);
    if (extra.length > 0) {
      module.types.add('GlobalConfig');
      note(IMPORT_KEPT, 'info', `global: ${extra.map((f) => `\`${f}\``).join(', ')} not in moncode's GlobalConfig type; kept as written (as GlobalConfig)`, '/global');
      spec.global = new Cast(global, 'GlobalConfig');
    } else spec.global = global;
  }
  spec.route = route(config.route, '/route');
  // Receivers no route names would be missing from alertmanager.yml: list them all, as the file did.
  const referenced = new Set<string>();
  const walk = (node: unknown): void => {
    if (!isMap(node)) return;
    if (typeof node.receiver === 'string') referenced.add(node.receiver);
    if (Array.isArray(node.routes)) node.routes.forEach(walk);
  };
  walk(config.route);
  if ([...receivers.keys()].some((name) => !referenced.has(name))) spec.receivers = [...receivers.values()].map((name) => new Ref(name));
  if (Array.isArray(config.inhibit_rules)) {
    spec.inhibit_rules = config.inhibit_rules.map((rule) => {
      if (!isMap(rule)) return rule;
      const out: Record<string, unknown> = {};
      for (const side of ['source', 'target'] as const) {
        const list = [
          ...(Array.isArray(rule[`${side}_matchers`]) ? (rule[`${side}_matchers`] as unknown[]).map(String) : []),
          ...(isMap(rule[`${side}_match`]) ? Object.entries(rule[`${side}_match`] as object).map(([l, v]) => matcher(l, '=', String(v))) : []),
          ...(isMap(rule[`${side}_match_re`]) ? Object.entries(rule[`${side}_match_re`] as object).map(([l, v]) => matcher(l, '=~', String(v))) : []),
        ];
        out[`${side}_matchers`] = list;
      }
      for (const [key, value] of Object.entries(rule)) if (!/^(source|target)_(matchers|match|match_re)$/.test(key)) out[key] = value;
      return out;
    });
  }
  const allIntervals = [...intervals.keys()];
  const referencedIntervals = new Set<string>();
  const walkIntervals = (node: unknown): void => {
    if (!isMap(node)) return;
    for (const field of ['mute_time_intervals', 'active_time_intervals']) if (Array.isArray(node[field])) for (const v of node[field] as unknown[]) referencedIntervals.add(String(v));
    if (Array.isArray(node.routes)) node.routes.forEach(walkIntervals);
  };
  walkIntervals(config.route);
  if (allIntervals.some((name) => !referencedIntervals.has(name))) spec.time_intervals = allIntervals.map((name) => new Ref(intervals.get(name)!));
  if (config.templates !== undefined) spec.templates = config.templates;
  for (const [key, value] of Object.entries(config)) {
    if (['global', 'route', 'receivers', 'inhibit_rules', 'time_intervals', 'mute_time_intervals', 'templates'].includes(key)) continue;
    spec[key] = value;
    note(IMPORT_KEPT, 'info', `\`${key}\` is not a field of moncode's AlertmanagerSpec; kept as written`, pointer(key));
  }
  const header = text ? leadingComments(text) : [];
  module.statements.push({ kind: 'default', value: new Call('alertmanager', [spec]), comments: [...header, `Alertmanager configuration of ${model.system}.`] });
  return module;
}

/** `label="value"` in Alertmanager's matcher syntax (the value quoted and escaped as it unescapes it). */
function matcher(label: string, op: '=' | '=~', value: string): string {
  const escaped = value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
  return `${label}${op}"${escaped}"`;
}

function withComments(value: unknown, comments: string[]): unknown {
  return comments.length > 0 ? new Commented(value, comments) : value;
}

function order(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const key of keys) if (key in object) out[key] = object[key];
  for (const [key, value] of Object.entries(object)) if (!(key in out)) out[key] = value;
  return out;
}
