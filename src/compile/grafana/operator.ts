import type { ErrorObject, ValidateFunction } from 'ajv';
import { Ajv } from 'ajv';
import type { KubernetesDeployment } from '../../model/config.js';
import type { DashboardModel, OutputFile } from '../../model/project-model.js';
import { kubernetesName } from '../prometheus/deploy.js';
import { stableJson, yamlDocument } from '../serialize.js';

/** The grafana-operator examples' instance label; a `Grafana` resource labelled so imports the dashboards. */
const DEFAULT_INSTANCE_SELECTOR = { dashboards: 'grafana' };

const DNS_SUBDOMAIN = '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$';
const DNS_LABEL = '^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$';
const STRING_MAP = { type: 'object', additionalProperties: { type: 'string' } };
const CONFIG_MAP_KEY_SELECTOR = {
  type: 'object',
  required: ['key'],
  additionalProperties: false,
  properties: { key: { type: 'string' }, name: { type: 'string' }, optional: { type: 'boolean' } },
};

/**
 * The `GrafanaDashboard` resource (grafana.integreatly.org/v1beta1) as moncode writes it. No npm
 * package carries the grafana-operator's CRD, so this schema is written by hand from the facts of
 * its openAPIV3Schema (config/crd/bases/grafana.integreatly.org_grafanadashboards.yaml in
 * grafana/grafana-operator, v5.24): the fields moncode emits and the ones the CRD requires
 * (`spec.instanceSelector`; `key` of a ConfigMap key selector), the `resyncPeriod` pattern, and
 * one source of dashboard JSON. Anything else is refused (`additionalProperties: false`), so a
 * field moncode starts writing has to be added here from the CRD first.
 */
export const GRAFANA_DASHBOARD_SCHEMA = {
  type: 'object',
  required: ['apiVersion', 'kind', 'metadata', 'spec'],
  additionalProperties: false,
  properties: {
    apiVersion: { const: 'grafana.integreatly.org/v1beta1' },
    kind: { const: 'GrafanaDashboard' },
    metadata: {
      type: 'object',
      required: ['name', 'namespace'],
      additionalProperties: false,
      properties: {
        name: { type: 'string', maxLength: 253, pattern: DNS_SUBDOMAIN },
        namespace: { type: 'string', pattern: DNS_LABEL },
        labels: STRING_MAP,
        annotations: STRING_MAP,
      },
    },
    spec: {
      type: 'object',
      required: ['instanceSelector'],
      additionalProperties: false,
      properties: {
        instanceSelector: { type: 'object', additionalProperties: false, properties: { matchLabels: STRING_MAP } },
        allowCrossNamespaceImport: { type: 'boolean' },
        folder: { type: 'string' },
        resyncPeriod: { type: 'string', pattern: '^([0-9]+(\\.[0-9]+)?(ns|us|µs|ms|s|m|h))+$' },
        json: { type: 'string' },
        configMapRef: CONFIG_MAP_KEY_SELECTOR,
      },
      oneOf: [{ required: ['json'] }, { required: ['configMapRef'] }],
    },
  },
} as const;

let validate: ValidateFunction | undefined;

/** Problems of a resource against {@link GRAFANA_DASHBOARD_SCHEMA}, as `path: message` lines; empty when it conforms. */
export function grafanaDashboardProblems(resource: unknown): string[] {
  validate ??= new Ajv({ allErrors: true, strict: false }).compile(GRAFANA_DASHBOARD_SCHEMA);
  if (validate(resource)) return [];
  return (validate.errors ?? []).map((e: ErrorObject) => `${e.instancePath || '/'}: ${e.message ?? e.keyword}`);
}

/**
 * A dashboard as grafana-operator resources: the `GrafanaDashboard` the operator imports into
 * every `Grafana` its instance selector matches (through Grafana's /api/dashboards/db, so v1 JSON),
 * into the folder of that title; with `content: 'configMapRef'` also the ConfigMap holding the
 * JSON (no sidecar labels: the operator, not the sidecar, reads it, from the same namespace).
 */
export function operatorDashboardFiles(dashboard: DashboardModel, kubernetes: KubernetesDeployment, header: string): { files: OutputFile[]; invalid: string[] } {
  const options = kubernetes.grafanaOperator ?? {};
  const name = kubernetesName(`dashboard-${dashboard.uid}`);
  const metadata: Record<string, unknown> = { name, namespace: kubernetes.namespace };
  if (kubernetes.labels && Object.keys(kubernetes.labels).length > 0) metadata.labels = kubernetes.labels;
  if (kubernetes.annotations && Object.keys(kubernetes.annotations).length > 0) metadata.annotations = kubernetes.annotations;
  const json = stableJson(dashboard.json);
  const key = `${dashboard.uid}.json`;
  const spec: Record<string, unknown> = { instanceSelector: { matchLabels: options.instanceSelector ?? DEFAULT_INSTANCE_SELECTOR }, folder: dashboard.folder };
  if (options.resyncPeriod !== undefined) spec.resyncPeriod = options.resyncPeriod;
  if (options.allowCrossNamespaceImport !== undefined) spec.allowCrossNamespaceImport = options.allowCrossNamespaceImport;
  const files: OutputFile[] = [];
  if (options.content === 'configMapRef') {
    spec.configMapRef = { name, key };
    files.push({
      path: `kubernetes/${dashboard.system}/configmap-${name}.yaml`,
      content: yamlDocument({ apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [key]: json } }, `${header} The GrafanaDashboard ${name} reads it; apply both.`),
    });
  } else spec.json = json;
  const resource = { apiVersion: 'grafana.integreatly.org/v1beta1', kind: 'GrafanaDashboard', metadata, spec };
  files.push({
    path: `kubernetes/${dashboard.system}/grafanadashboard-${name}.yaml`,
    content: yamlDocument(resource, `${header} Apply: kubectl apply --server-side -f <this file>; the grafana-operator imports it.`),
  });
  return { files, invalid: grafanaDashboardProblems(resource) };
}
