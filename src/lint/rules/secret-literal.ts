import type { Container } from '../problem.js';
import { defineRule } from '../types.js';
import { isMap } from '../alertmanager.js';
import { CREDENTIAL_HEADERS, findPathTokens, findSecrets, isLiteralCredential, isPlaceholder, type SecretFinding } from '../../model/secrets.js';
import { pointer } from '../../model/pointer.js';

/** Alertmanager fields that hold credentials; each has a `_file` twin (or a credentials file) to use instead. */
const SECRET_FIELDS = new Map<string, string>([
  ['slack_api_url', 'slack_api_url_file'],
  ['api_url', 'api_url_file'],
  ['service_key', 'service_key_file'],
  ['routing_key', 'routing_key_file'],
  ['smtp_auth_password', 'smtp_auth_password_file'],
  ['smtp_auth_secret', 'smtp_auth_secret_file'],
  ['auth_password', 'auth_password_file'],
  ['auth_secret', 'auth_secret_file'],
  ['opsgenie_api_key', 'opsgenie_api_key_file'],
  ['api_key', 'api_key_file'],
  ['victorops_api_key', 'victorops_api_key_file'],
  ['wechat_api_secret', 'api_secret_file'],
  ['api_secret', 'api_secret_file'],
  ['bot_token', 'bot_token_file'],
  ['token', 'token_file'],
  ['user_key', 'user_key_file'],
  ['webhook_url', 'webhook_url_file'],
  ['password', 'password_file'],
  ['bearer_token', 'bearer_token_file'],
  ['credentials', 'credentials_file'],
  ['client_secret', 'client_secret_file'],
  ['secret_key', 'a credentials file'],
  ['telegram_bot_token', 'bot_token_file'],
]);

/** Where a URL is an outgoing webhook: its path may be the credential. */
const WEBHOOK_URL_FIELD = /^(url|api_url|webhook_url|slack_api_url|.*_webhook_url)$/;

/** Grafana datasource fields written in plain text that hold credentials. */
const DATASOURCE_SECRET_FIELDS = ['password', 'basicAuthPassword'];
/** jsonData fields that belong in secureJsonData (`httpHeaderValue1`, AWS keys, tokens). */
const JSONDATA_SECRET = /^(httpHeaderValue\d*|secretKey|accessKey|password|basicAuthPassword|token|apiKey|api_key|clientSecret|privateKey|tlsClientKey|tlsCACert_?key|sigV4SecretKey|sigV4AccessKey)$/;
const GRAFANA_REFERENCE = /^\$__(file|env)\{[^}]+\}$/;

interface Visit {
  key: string;
  value: string;
  at: string;
  /** Keys from the document root down to this value. */
  keys: readonly string[];
}

type Report = (container: Container, at: string, message: string, subject: string, within?: { value: string; from: number; to: number }) => void;

export default defineRule({
  meta: {
    id: 'secret/literal',
    defaultSeverity: 'error',
    scope: 'container',
    summary: 'A credential written literally: a password, token or key in a field, a URL (userinfo, query, webhook path), a header, a label or an annotation.',
  },
  check({ model, report }) {
    // One problem per value: the first reason found is enough to move it out.
    const reported = new Set<string>();
    const once: Report = (container, at, message, subject, within) => {
      const key = `${container.file}\0${at}`;
      if (reported.has(key)) return;
      reported.add(key);
      report({ in: container, at, subject, message, within });
    };

    for (const am of model.alertmanagers) {
      walkStrings(am.config, (visit) => {
        // VictorOps' routing_key names a routing rule, not a credential (it has no routing_key_file; api_key is its secret).
        const twin = visit.key === 'routing_key' && visit.keys.includes('victorops_configs') ? undefined : SECRET_FIELDS.get(visit.key);
        // `<secret>` is how Alertmanager itself prints a hidden value; an API base URL is no webhook.
        const credentialField = twin && visit.value.trim() !== '' && visit.value !== '<secret>' && !(visit.key === 'api_url' && !hasSecret(visit) && !isPlaceholder(visit.value));
        if (credentialField) {
          once(am, visit.at, alertmanagerField(visit.key, visit.value, twin), visit.key);
          return;
        }
        if (underHeader(visit)) return headerProblem(am, visit, once);
        contentProblem(am, visit, visit.key, once, WEBHOOK_URL_FIELD.test(visit.key), 'alertmanager');
      });
    }

    for (const file of model.provisioning) {
      const datasources = file.config.datasources;
      if (!Array.isArray(datasources)) continue;
      datasources.forEach((ds, i) => {
        if (!isMap(ds)) return;
        const name = String(ds.name ?? i);
        walkStrings(ds, (visit) => {
          const at = pointer('datasources', i) + visit.at;
          const [top, second] = visit.keys;
          if (visit.keys.length === 1 && DATASOURCE_SECRET_FIELDS.includes(visit.key) && !isPlaceholder(visit.value)) {
            once(file, at, `datasource "${name}" has its ${visit.key} written in the file: move it to secureJsonData as $__file{…} or $__env{…}`, name);
          } else if (top === 'secureJsonData' && visit.keys.length === 2 && !GRAFANA_REFERENCE.test(visit.value.trim()) && visit.value !== '') {
            once(file, at, `secureJsonData.${second} of "${name}" is written literally: use $__file{/path} or $__env{NAME}`, name);
          } else if (top === 'jsonData' && visit.keys.length === 2 && JSONDATA_SECRET.test(second!) && isLiteralCredential(visit.value)) {
            once(file, at, `jsonData.${second} of "${name}" is a credential in plain text (jsonData is readable by every Grafana user): move it to secureJsonData as $__file{…} or $__env{…}`, name);
          } else if (underHeader(visit)) {
            headerProblem(file, { key: visit.key, value: visit.value, keys: visit.keys, at }, once, name);
          } else {
            contentProblem(file, { key: visit.key, value: visit.value, keys: visit.keys, at }, name, once, false, 'grafana');
          }
        });
      });
    }

    for (const dashboard of model.dashboards) {
      walkStrings(dashboard.json, (visit) => contentProblem(dashboard, visit, dashboard.title, once, false, 'grafana'));
    }
    for (const group of model.ruleGroups) {
      walkStrings({ labels: group.labels, rules: group.rules }, (visit) => {
        const rule = /^\/rules\/(\d+)/.exec(visit.at);
        const subject = rule ? (group.rules[Number(rule[1])]?.alert ?? group.rules[Number(rule[1])]?.record ?? group.name) : group.name;
        contentProblem(group, visit, subject, once, false, 'rules');
      });
    }
    for (const slo of model.slos) {
      // TS SLOs are checked in the rules they generate; SLOs read from files are checked here.
      if (slo.from === 'ts') continue;
      walkStrings({ runbook: slo.runbook, labels: slo.labels, alertLabels: slo.alertLabels, alertAnnotations: slo.alertAnnotations }, (visit) =>
        contentProblem(slo, visit, `SLO ${slo.name}`, once, false, 'rules'),
      );
    }
  },
});

/**
 * A credential field of Alertmanager: a literal is a leak, and a placeholder is no better,
 * since Alertmanager expands no `${VAR}` and sends (or, for URLs, refuses) it as written.
 */
function alertmanagerField(key: string, value: string, twin: string): string {
  if (/^\s*\$\{?[A-Za-z_][A-Za-z0-9_]*\}?\s*$/.test(value)) {
    return `${key} is "${value}": Alertmanager does not expand environment variables, so this is sent literally; put the secret in a file and use ${twin}`;
  }
  if (isPlaceholder(value) || /^\s*(YOUR_|CHANGE|REPLACE|XXX)/i.test(value)) return `${key} holds a placeholder written into the config; keep credentials out of it with ${twin}`;
  return `${key} is written literally in the config, where anyone who can read it can use it: put it in a file and use ${twin}`;
}

function hasSecret(visit: Visit): boolean {
  return findSecrets(visit.value).length > 0 || findPathTokens(visit.value).length > 0;
}

/** A value of a credential header: `Authorization: Bearer …`, `X-Api-Key`, Prometheus' `http_headers: { Authorization: { values: […] } }`. */
function underHeader(visit: Visit): boolean {
  const index = visit.keys.findIndex((key) => CREDENTIAL_HEADERS.test(key));
  if (index < 0) return false;
  // Prometheus' and Alertmanager's `authorization: { type: Bearer, credentials… }`: the scheme is no credential.
  if (visit.key === 'type' && visit.keys.length === index + 2) return false;
  // `files:` lists and `*_file` fields name files, which is the way to do it.
  return !visit.keys.slice(index + 1).some((key) => key === 'files' || key.endsWith('_file'));
}

function headerProblem(container: Container, visit: Visit, report: Report, subject = visit.key): void {
  if (!isLiteralCredential(visit.value)) return;
  const header = visit.keys.find((key) => CREDENTIAL_HEADERS.test(key))!;
  report(container, visit.at, `the ${header} header is written literally: read it from a file (credentials_file, a files: entry, or $__file{…} in secureJsonData)`, subject);
}

/** What reads the file, which decides how a credential can be kept out of it. */
type Reader = 'alertmanager' | 'grafana' | 'rules';

function contentProblem(container: Container, visit: Visit, subject: string, report: Report, webhook: boolean, reader: Reader): void {
  const findings: SecretFinding[] = findSecrets(visit.value);
  if (findings.length === 0 && webhook) findings.push(...findPathTokens(visit.value));
  const first = findings[0];
  if (!first) return;
  const where = visit.keys.length ? `${visit.keys[visit.keys.length - 1]}` : 'this value';
  // A key is pointed at by its header line, so a code frame shows no line of its body.
  const header = first.kind === 'private-key' ? /-----BEGIN [A-Z0-9 ]*-----/.exec(visit.value) : null;
  const span = header ? { from: header.index, to: header.index + header[0].length } : first;
  report(container, visit.at, `${where} holds ${first.what}, written literally: ${advice(first, reader)}`, subject, { value: visit.value, from: span.from, to: span.to });
}

function advice(finding: SecretFinding, reader: Reader): string {
  if (finding.kind === 'webhook-token') return 'a webhook URL is a credential; read it from a file (api_url_file, webhook_url_file, url_file)';
  switch (reader) {
    case 'alertmanager':
      // Alertmanager expands no variables: only its *_file fields keep a secret out of the config.
      if (finding.kind === 'private-key') return 'keep keys in files Alertmanager reads (tls_config key_file)';
      if (finding.kind === 'aws-access-key' || finding.kind === 'aws-secret-key') return 'use an IAM role (sigv4 without keys) or the SDK credentials file';
      return "put it in a file and use the field's *_file twin (Alertmanager does not expand environment variables)";
    case 'grafana':
      if (finding.kind === 'private-key') return 'keep keys in files Grafana reads ($__file{…} in secureJsonData)';
      if (finding.kind === 'aws-access-key' || finding.kind === 'aws-secret-key') return 'use an IAM role, or secureJsonData with $__file{…}/$__env{…}';
      return 'read it from a file or the environment ($__file{…} or $__env{…} in secureJsonData), never from a dashboard or jsonData';
    case 'rules':
      return 'labels and annotations travel with every alert to every receiver and UI: keep the credential out of the rule, and link to where it is kept instead';
  }
}

/**
 * A string met by `walkStrings`. Its pointer and key list are made only when read, and read only while the visitor
 * runs (the walk's path changes after): most strings hold no credential, and making both for each of them was
 * most of this rule's time on a tree of a thousand dashboards.
 */
class StringVisit implements Visit {
  private pointer: string | undefined;
  private keyList: string[] | undefined;

  constructor(
    readonly key: string,
    readonly value: string,
    private readonly segments: ReadonlyArray<string | number>,
    private readonly path: readonly string[],
  ) {}

  get at(): string {
    return (this.pointer ??= pointer(...this.segments));
  }

  get keys(): readonly string[] {
    return (this.keyList ??= [...this.path]);
  }
}

/** Calls `visit` for every string below `value`, with its JSON pointer and the keys leading to it. */
function walkStrings(value: unknown, visit: (visit: Visit) => void): void {
  const budget = { left: 200_000 };
  const segments: Array<string | number> = [];
  const keys: string[] = [];
  const walk = (node: unknown): void => {
    if (budget.left-- <= 0) return;
    if (typeof node === 'string') {
      visit(new StringVisit(keys[keys.length - 1] ?? '', node, segments, keys));
      return;
    }
    if (Array.isArray(node)) {
      node.forEach((item, i) => {
        segments.push(i);
        walk(item);
        segments.pop();
      });
      return;
    }
    if (!isMap(node)) return;
    for (const [key, child] of Object.entries(node)) {
      segments.push(key);
      keys.push(key);
      walk(child);
      keys.pop();
      segments.pop();
    }
  };
  walk(value);
}

export type { Container };
