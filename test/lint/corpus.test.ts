import os from 'node:os';
import { beforeAll, describe, expect, it } from 'vitest';
import { SourceIndex } from '../../src/source/source-index.js';
import { runLint, type LintRun } from '../../src/commands/lint.js';
import { formatJson } from '../../src/report/json.js';
import { resolveDiagnostics, summarize, type ReportedDiagnostic } from '../../src/report/resolve.js';
import { requireShared } from '../helpers/shared.js';

// The real-world corpus (shared/corpus, read in place, never copied). docs/corpus-findings.md
// reviews what this run finds.
const { path: CORPUS, present } = requireShared('corpus');

/** research/corpus-and-perf.md §6: defects confirmed by reading the rules. */
const KNOWN_DEFECTS: Array<[file: string, rule: string, subject: string]> = [
  ['prometheus-operator-kube-prometheus__alertmanager-prometheusRule.yaml', 'label/template-missing', 'AlertmanagerClusterDown'],
  ['prometheus-operator-kube-prometheus__alertmanager-prometheusRule.yaml', 'label/template-missing', 'AlertmanagerClusterCrashlooping'],
  ['prometheus-operator-kube-prometheus__alertmanager-prometheusRule.yaml', 'label/template-missing', 'AlertmanagerConfigInconsistent'],
  ['prometheus-operator-kube-prometheus__alertmanager-prometheusRule.yaml', 'label/template-missing', 'AlertmanagerClusterFailedToSendAlerts'],
  ['monitoring-mixins-website__gitlab.alerts.yaml', 'label/vector-mismatch', 'GitLabHigh5xxResponses'],
  ['monitoring-mixins-website__gitlab.alerts.yaml', 'label/vector-mismatch', 'GitLabHigh4xxResponses'],
  ['monitoring-mixins-website__f5-bigip.alerts.yaml', 'label/vector-mismatch', 'BigIPHighConnectionQueueDepth'],
  ['monitoring-mixins-website__f5-bigip.alerts.yaml', 'promql/counter-rate', 'BigIPHighConnectionQueueDepth'],
  ['monitoring-mixins-website__nodejs.alerts.yaml', 'label/template-missing', 'NodejsDown'],
  ['monitoring-mixins-website__harbor.alerts.yaml', 'label/template-missing', 'HarborHighErrorRate'],
  ['monitoring-mixins-website__jaeger.alerts.yaml', 'label/template-missing', 'JaegerCollectorPersistenceSlow'],
  ['monitoring-mixins-website__jaeger.alerts.yaml', 'label/template-missing', 'JaegerQueryReqsFailing'],
  ['monitoring-mixins-website__jaeger.alerts.yaml', 'label/template-missing', 'JaegerCassandraWritesFailing'],
  ['monitoring-mixins-website__jaeger.alerts.yaml', 'label/template-missing', 'JaegerCassandraReadsFailing'],
  ['monitoring-mixins-website__cilium-enterprise.alerts.yaml', 'label/template-missing', 'CiliumOperatorExhaustedIpamIps'],
  ['monitoring-mixins-website__cilium-enterprise.alerts.yaml', 'label/template-missing', 'CiliumAgentApiHighErrorRate'],
  ['monitoring-mixins-website__cilium-enterprise.alerts.yaml', 'label/template-missing', 'CiliumKvstoremeshErrors'],
  ['monitoring-mixins-website__presto.alerts.yaml', 'promql/counter-rate', 'PrestoHighQueuedTaskCount'],
  ['monitoring-mixins-website__presto.alerts.yaml', 'promql/counter-rate', 'PrestoHighBlockedNodes'],
  ['monitoring-mixins-website__nodejs.nodejs-overview.json', 'dashboard/undefined-variable', 'Node.js / Node.js Restarts'],
  ['monitoring-mixins-website__nginx.nginx-logs.json', 'dashboard/undefined-variable', 'NGINX Logs / Top 10 HTTP Referers'],
  ['monitoring-mixins-website__nginx.nginx-logs.json', 'dashboard/duplicate-uid', 'NGINX Logs / $cluster'],
  // Found beyond the research list (docs/corpus-findings.md).
  ['monitoring-mixins-website__cilium-enterprise.alerts.yaml', 'alert/no-condition', 'CiliumAgentEndpointFailures'],
  ['monitoring-mixins-website__cortex.alerts.yaml', 'promql/unit-mismatch', 'CortexRulerMissedEvaluations'],
  ['wikimedia-operations-alerts__team-sre.resources.yaml', 'rule/duplicate', 'DiskSpace'],
  ['monitoring-mixins-website__awx.awx.json', 'label/vector-mismatch', 'AWX / Hosts'],
  ['monitoring-mixins-website__nomad.nomad-jobs.json', 'dashboard/datasource', 'Nomad jobs / CPU total ticks'],
];

describe.skipIf(!present)('the corpus, linted in one run', () => {
  let run: LintRun;
  let found: ReportedDiagnostic[];
  beforeAll(async () => {
    run = await runLint({ cwd: os.tmpdir(), paths: [CORPUS] });
    found = resolveDiagnostics(run.diagnostics, new SourceIndex(), os.tmpdir());
  }, 60_000);

  it('reads every file: no input is unusable, and the JSON report parses', () => {
    expect(run.files.length).toBe(460);
    expect(run.unusable).toBe(false);
    expect(found.filter((d) => d.rule.startsWith('input/'))).toEqual([]);
    const report = JSON.parse(formatJson(found, summarize(found, run.files.length)));
    expect(report.summary.files).toBe(460);
  });

  it.each(KNOWN_DEFECTS)('finds the known defect in %s: %s on %s', (file, rule, subject) => {
    expect(found.some((d) => d.file?.endsWith(file) && d.rule === rule && d.subject === subject)).toBe(true);
  });

  it('gives every finding a position in its file', () => {
    expect(found.filter((d) => !d.file || !((d.line ?? 0) >= 1) || !((d.column ?? 0) >= 1))).toEqual([]);
  });
});
