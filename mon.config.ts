import { defineConfig } from 'moncode';

export default defineConfig({
  systems: {
    // Seed 003: Prometheus 2.40, scraping and evaluating every 15s.
    'agent-api': { prometheus: { version: '2.40', scrapeInterval: '15s', evaluationInterval: '15s' } },
  },
});
