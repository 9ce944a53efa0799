import { defineConfig } from 'moncode';

// Grafana 13: dashboards as schema v2 resources, also as dashboard.grafana.app resources for Git Sync;
// alerting Grafana-managed: rules, contact points, policies and mute timings as alerting provisioning.
export default defineConfig({
  grafana: { version: '13.0', dashboardSchema: 'v2', alerting: 'grafana' },
  deployment: { kubernetes: { namespace: 'monitoring', dashboards: 'grafana' } },
});
