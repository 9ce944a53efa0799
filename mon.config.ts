import { defineConfig } from 'moncode';

export default defineConfig({
  // All five systems provision one Grafana: one default datasource for its organisation.
  grafana: { defaultDatasource: 'agent-api-prometheus' },
  systems: {
    // Seed 003: Prometheus 2.40, scraping and evaluating every 15s.
    'agent-api': { prometheus: { version: '2.40', scrapeInterval: '15s', evaluationInterval: '15s' } },
    // Seed 000: Prometheus 2.48.1, 15s scrape and evaluation.
    'alfred-platform': { prometheus: { version: '2.48', scrapeInterval: '15s', evaluationInterval: '15s' } },
    // Seed 001: scrapes every 15s, evaluates alert rules every 30s.
    'bot-core': { prometheus: { scrapeInterval: '15s', evaluationInterval: '30s' } },
    // Seed 002: 15s scrape and evaluation (10s for the FastAPI backend).
    toolboxai: { prometheus: { scrapeInterval: '15s', evaluationInterval: '15s' } },
    // Seed 004: 15s scrape and evaluation (the API every 10s, workers every 30s).
    freeagentics: { prometheus: { scrapeInterval: '15s', evaluationInterval: '15s' } },
  },
  lint: {
    // Runbook URLs under this prefix are pages of this repository: mon-lint checks they exist.
    runbookBaseUrls: ['https://github.com/moncode/moncode/blob/main/'],
  },
});
