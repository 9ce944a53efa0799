import { defineConfig } from 'moncode';

// Mimir's ruler: every rule file becomes a ruler namespace for `mimirtool rules sync`.
export default defineConfig({
  prometheus: { flavor: 'mimir' },
});
