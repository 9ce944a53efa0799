import { defineConfig } from 'moncode';

// Alertmanager 0.34: receivers and fields 0.25 lacks (Teams workflows), named inhibit rules.
export default defineConfig({
  alertmanager: { version: '0.34' },
});
