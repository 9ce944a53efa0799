import { defineConfig } from 'moncode';

// The Loki ruler: LogQL rules in out/loki/rules/<tenant>/, its local rule storage layout.
export default defineConfig({
  prometheus: { flavor: 'loki', tenant: 'platform' },
});
