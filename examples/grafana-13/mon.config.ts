import { defineConfig } from 'moncode';

// Grafana 13: dashboards as schema v2 resources, also as dashboard.grafana.app resources for Git Sync.
export default defineConfig({
  grafana: { version: '13.0', dashboardSchema: 'v2' },
  deployment: { kubernetes: { namespace: 'monitoring', dashboards: 'grafana' } },
});
