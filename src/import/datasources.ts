import type { Diagnostic } from '../model/diagnostic.js';
import { slugify } from '../model/datasource.js';
import type { Locator } from '../model/locator.js';
import { pointer, pointerUnder } from '../model/pointer.js';
import { findSecrets, isLiteralCredential } from '../model/secrets.js';
import { IMPORT_SECRET } from './alertmanager.js';
import { Call, identifierFor, Ref, type Statement } from './print.js';

type Json = Record<string, unknown>;

/** A plain provisioning field (jsonData, extra) whose value is a credential by its name: Grafana keeps those in secureJsonData. */
const CREDENTIAL_KEY = /(password|secret|token|api_?key)$/i;

function isMap(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

interface Declared {
  name: string;
  type: string;
  uid: string;
  identifier: string;
  spec: Json;
  /** Named by a dashboard (or provisioned): printed. */
  used: boolean;
}

/**
 * The datasources of one system, each declared once: those its provisioning files list, then
 * those its dashboards name that no file provisions. Dashboards refer to them by object.
 */
/**
 * The helpers a system's dashboards.ts and datasources.ts import from moncode: a datasource's
 * constant is never named like one (a datasource of uid `prom` would shadow `prom()`).
 */
const HELPER_NAMES = [
  'dashboard',
  'row',
  'datasource',
  'fromFile',
  'fromEnv',
  'prom',
  'loki',
  'jaeger',
  'grafanaPanel',
  'pluginPanel',
  'timeseries',
  'stat',
  'gauge',
  'bargauge',
  'table',
  'piechart',
  'text',
  'logs',
  'heatmap',
  'histogram',
  'barchart',
  'stateTimeline',
  'statusHistory',
  'alertlist',
  'traces',
  'nodeGraph',
  'queryVariable',
  'customVariable',
  'datasourceVariable',
  'intervalVariable',
  'constantVariable',
  'textboxVariable',
  'adhocVariable',
];

export class DatasourceTable {
  private readonly list: Declared[] = [];
  private readonly identifiers = new Set<string>(HELPER_NAMES);
  readonly helpers = new Set<string>(['datasource']);

  /** A declaration for a datasource a dashboard names (by uid, or by name for a legacy string), made when none matches. */
  refer(uid: string, type: string | undefined, name: string = uid): Ref | undefined {
    const found =
      this.list.find((d) => d.uid === uid && (type === undefined || d.type === type)) ??
      this.list.find((d) => d.name === name && (type === undefined || d.type === type)) ??
      this.list.find((d) => d.name === uid && (type === undefined || d.type === type));
    if (found) {
      found.used = true;
      return new Ref(found.identifier);
    }
    if (type === undefined) return undefined;
    const spec: Json = { name, type };
    if (slugify(name) !== uid) spec.uid = uid;
    const declared = { name, type, uid, identifier: identifierFor(name, this.identifiers), spec, used: true };
    this.list.push(declared);
    return new Ref(declared.identifier);
  }

  /** Grafana's datasource provisioning file (`apiVersion: 1`, `datasources:`). */
  provision(config: Json, locator: Locator, file: string, diagnostics: Diagnostic[]): void {
    const where = (at: string) => locator.get(at) ?? locator.get('') ?? { file, start: 0, end: 0 };
    const entries = Array.isArray(config.datasources) ? config.datasources : [];
    entries.forEach((entry, i) => {
      if (!isMap(entry)) return;
      const at = pointer('datasources', i);
      const name = typeof entry.name === 'string' ? entry.name : `datasource-${i + 1}`;
      const type = typeof entry.type === 'string' ? entry.type : '';
      const spec: Json = { name, type };
      const extra: Json = {};
      const secure: Json = {};
      const secret = (key: string, value: unknown, fieldAt: string) => {
        const text = String(value ?? '');
        const file = /^\$__file\{([^}]+)\}$/.exec(text);
        const env = /^\$__env\{(\w+)\}$|^\$\{(\w+)\}$|^\$(\w+)$/.exec(text);
        if (file) {
          this.helpers.add('fromFile');
          secure[key] = new Call('fromFile', [file[1]]);
        } else if (env) {
          this.helpers.add('fromEnv');
          secure[key] = new Call('fromEnv', [env[1] ?? env[2] ?? env[3]]);
        } else {
          const path = `/etc/grafana/secrets/${slugify(name) || 'datasource'}-${key}`;
          this.helpers.add('fromFile');
          secure[key] = new Call('fromFile', [path]);
          diagnostics.push({
            rule: IMPORT_SECRET,
            severity: 'warning',
            message: `\`${key}\` is a literal credential: it is not written into the definition; put it in ${path} (fromFile), which Grafana reads at start-up`,
            where: where(fieldAt),
            subject: name,
          });
        }
      };
      // A credential inside a plain field (a URL's password, a token in jsonData): Grafana expands
      // `$__file{path}` anywhere in a provisioning value, so only the secret part moves to a file.
      const slug = slugify(name) || 'datasource';
      const files = new Set<string>();
      const fileFor = (what: string) => {
        const base = `/etc/grafana/secrets/${slug}-${what.replace(/[^\w.-]+/g, '-').replace(/^[.-]+/, '') || 'secret'}`;
        let file = base;
        for (let n = 2; files.has(file); n++) file = `${base}-${n}`;
        files.add(file);
        return file;
      };
      const moved = (fieldAt: string, field: string, what: string, file: string) =>
        diagnostics.push({
          rule: IMPORT_SECRET,
          severity: 'warning',
          message: `\`${field}\` ${what}: it is not written into the definition; put it in ${file}, which Grafana reads at start-up ($__file{…} in its place)`,
          where: where(fieldAt),
          subject: name,
        });
      const plain = (value: unknown, fieldAt: string, field: string): unknown => {
        if (typeof value === 'string') {
          if (CREDENTIAL_KEY.test(field) && isLiteralCredential(value)) {
            const file = fileFor(field);
            moved(fieldAt, field, 'is a literal credential', file);
            return `$__file{${file}}`;
          }
          const found = findSecrets(value);
          if (found.length === 0) return value;
          let text = '';
          let from = 0;
          for (const finding of found) {
            const file = fileFor(`${field}-${finding.kind}`);
            moved(fieldAt, field, `holds ${finding.what}`, file);
            text += `${value.slice(from, finding.from)}$__file{${file}}`;
            from = finding.to;
          }
          return text + value.slice(from);
        }
        if (Array.isArray(value)) return value.map((item, i) => plain(item, pointerUnder(fieldAt, i), field));
        if (isMap(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v, pointerUnder(fieldAt, k), k)]));
        return value;
      };
      for (const [rawKey, rawValue] of Object.entries(entry)) {
        const key = rawKey;
        const value = rawKey === 'secureJsonData' || rawKey === 'password' || rawKey === 'basicAuthPassword' ? rawValue : plain(rawValue, pointerUnder(at, rawKey), rawKey);
        if (value === undefined || value === null || key === 'name' || key === 'type') continue;
        switch (key) {
          case 'uid':
            if (value !== slugify(name)) spec.uid = value;
            break;
          case 'access':
            if (value !== 'proxy') spec.access = value;
            break;
          case 'orgId':
            if (value !== 1) spec.orgId = value;
            break;
          case 'editable':
            if (value !== false) spec.editable = value;
            break;
          case 'url':
          case 'isDefault':
          case 'basicAuth':
          case 'basicAuthUser':
          case 'user':
          case 'database':
            spec[key] = value;
            break;
          case 'jsonData':
            if (isMap(value) && Object.keys(value).length > 0) spec.jsonData = value;
            break;
          case 'secureJsonData':
            if (isMap(value)) for (const [k, v] of Object.entries(value)) secret(k, v, pointerUnder(at, 'secureJsonData', k));
            break;
          // Fields older provisioning files keep outside secureJsonData.
          case 'password':
          case 'basicAuthPassword':
            secret(key, value, pointerUnder(at, key));
            break;
          default:
            extra[key] = value;
        }
      }
      if (Object.keys(secure).length > 0) spec.secureJsonData = secure;
      if (Object.keys(extra).length > 0) {
        spec.extra = extra;
        diagnostics.push({
          rule: 'import/kept-as-written',
          severity: 'info',
          message: `kept as written through extra (no typed field takes them): ${Object.keys(extra).join(', ')}`,
          where: where(at),
          subject: name,
        });
      }
      const uid = typeof entry.uid === 'string' ? entry.uid : slugify(name);
      this.list.push({ name, type, uid, identifier: identifierFor(name, this.identifiers), spec, used: true });
    });
    if (Array.isArray(config.deleteDatasources) && config.deleteDatasources.length > 0) {
      diagnostics.push({
        rule: 'import/not-imported',
        severity: 'warning',
        message: 'deleteDatasources is not imported: moncode provisions the datasources it declares and deletes none',
        where: where('/deleteDatasources'),
      });
    }
  }

  statements(): Statement[] {
    return this.list
      .filter((d) => d.used)
      .sort((a, b) => (a.identifier < b.identifier ? -1 : a.identifier > b.identifier ? 1 : 0))
      .map((d) => ({ kind: 'const', name: d.identifier, value: new Call('datasource', [d.spec]), exported: true }));
  }
}
