import type { Diagnostic } from '../model/diagnostic.js';
import type { AlertmanagerModel } from '../model/project-model.js';
import { pointer, pointerUnder } from '../model/pointer.js';
import { isMap } from '../read/rule-file.js';
import { commentsAbove, leadingComments } from './comments.js';
import { Call, Cast, Commented, identifierFor, Ref, type Statement } from './print.js';

/** Kept as written through a cast: a field or receiver kind moncode's types do not have (info). */
export const IMPORT_KEPT = 'import/kept-as-written';
/** A literal credential, not written into the definition: it becomes a file reference (warning). */
export const IMPORT_SECRET = 'import/secret-moved';

/**
 * Fields whose credential moncode takes only as `fromFile()`, compiled to the `*_file` field
 * (src/compile/alertmanager/config.ts). Elsewhere a value is printed as it is.
 */
const SECRET_FIELDS = new Set(['api_url', 'slack_api_url', 'routing_key', 'service_key', 'auth_password', 'smtp_auth_password', 'credentials', 'password']);

/**
 * The fields moncode's types have (src/model/alertmanager.ts), by receiver kind; a config with
 * others, or a kind not listed, is kept as written through a cast. Printing itself is generic:
 * whatever a receiver holds is printed, so a receiver kind is never dropped.
 */
const TYPED: Record<string, { type: string; fields: ReadonlySet<string> }> = {
  slack_configs: { type: 'SlackConfig', fields: new Set(['channel', 'api_url', 'send_resolved', 'username', 'icon_emoji', 'title', 'title_link', 'text', 'color']) },
  pagerduty_configs: { type: 'PagerdutyConfig', fields: new Set(['routing_key', 'service_key', 'send_resolved', 'severity', 'description', 'client', 'client_url', 'details']) },
  email_configs: { type: 'EmailConfig', fields: new Set(['to', 'from', 'smarthost', 'auth_username', 'auth_password', 'require_tls', 'send_resolved', 'headers', 'html', 'text']) },
  webhook_configs: { type: 'WebhookConfig', fields: new Set(['url', 'send_resolved', 'max_alerts', 'http_config']) },
};
const GLOBAL_FIELDS = new Set(['resolve_timeout', 'slack_api_url', 'pagerduty_url', 'smtp_smarthost', 'smtp_from', 'smtp_hello', 'smtp_auth_username', 'smtp_auth_password', 'smtp_require_tls']);

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
      const kind = TYPED[key];
      if (!kind) {
        typed = false;
        note(IMPORT_KEPT, 'info', `receiver "${item.name}": moncode's Receiver type has no \`${key}\`; kept as written (the receiver is cast to Receiver)`, pointerUnder(at, key));
      }
      spec[key] = value.map((entry, j) => {
        const entryAt = pointerUnder(at, key, j);
        const converted = isMap(entry) ? secrets(entry, entryAt, String(item.name)) : entry;
        const extra = isMap(entry) ? Object.keys(entry).filter((field) => !kind?.fields.has(field.replace(/_file$/, ''))) : [];
        if (kind && extra.length > 0) {
          module.types.add(kind.type);
          note(
            IMPORT_KEPT,
            'info',
            `receiver "${item.name}": ${extra.map((f) => `\`${f}\``).join(', ')} ${extra.length === 1 ? 'is' : 'are'} not in moncode's ${kind.type} type; kept as written (as ${kind.type})`,
            entryAt,
          );
          return new Cast(converted, kind.type);
        }
        return converted;
      });
    }
    module.helpers.add('receiver');
    let value: unknown = new Call('receiver', [{ name: item.name, ...spec }]);
    if (!typed) {
      module.types.add('Receiver');
      value = new Cast(value, 'Receiver');
    }
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

  function secrets(entry: Record<string, unknown>, at: string, placeholder: string): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(entry)) {
      const fieldAt = pointerUnder(at, key);
      const base = key.replace(/_file$/, '');
      if (key.endsWith('_file') && SECRET_FIELDS.has(base) && typeof value === 'string') {
        module.helpers.add('fromFile');
        out[base] = new Call('fromFile', [value]);
      } else if (SECRET_FIELDS.has(key) && typeof value === 'string' && value !== '') {
        const file = `/etc/alertmanager/secrets/${placeholder}-${key}`.replace(/[^\w./-]+/g, '-');
        module.helpers.add('fromFile');
        out[key] = new Call('fromFile', [file]);
        note(IMPORT_SECRET, 'warning', `\`${key}\` is a literal credential: it is not written into the definition; put it in ${file} (fromFile), which Alertmanager reads`, fieldAt);
      } else if (isMap(value)) {
        out[key] = secrets(value, fieldAt, placeholder);
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
    const extra = Object.keys(config.global).filter((f) => !GLOBAL_FIELDS.has(f.replace(/_file$/, '')));
    const global = secrets(config.global, '/global', 'global');
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
