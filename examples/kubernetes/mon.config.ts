import { defineConfig } from 'moncode';

// Prometheus Operator and Grafana's dashboard sidecar: every rule file becomes a PrometheusRule the
// kube-prometheus-stack Prometheus selects (its ruleSelector matches release), every dashboard a ConfigMap.
export default defineConfig({
  prometheus: { version: '3.5' },
  deployment: { kubernetes: { namespace: 'monitoring', labels: { release: 'kube-prometheus-stack' } } },
});
