#!/usr/bin/env node
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 keeps dist/'s compiled code between runs (in the temporary folder); Node 20 has no such cache for ES modules.
module.enableCompileCache?.();

const entry = new URL('../dist/cli/mon-init.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('mon-init: moncode is not built: run `npm install` (or `npm run build`) in the moncode folder\n');
  process.exit(2);
}
const { main } = await import(entry.href);
await main(process.argv.slice(2));
