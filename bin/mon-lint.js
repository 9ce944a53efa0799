#!/usr/bin/env node
import { existsSync } from 'node:fs';
import module from 'node:module';

// Node ≥ 22.1 keeps dist/'s compiled code between runs (in the temporary folder); Node 20 has no such cache for ES modules.
module.enableCompileCache?.();

const entry = new URL('../dist/cli/mon-lint.js', import.meta.url);
if (!existsSync(entry)) {
  process.stderr.write('mon-lint: moncode is not built: run `npm install` (or `npm run build`) in the moncode folder\n');
  process.exit(2);
}
const argv = process.argv.slice(2);
// A pre-commit hook: the repository's resident process may hold the answer for this very index (src/cli/lint-client.ts).
const client = new URL('../dist/cli/lint-client.js', import.meta.url);
const answered = argv.includes('--staged') && existsSync(client) && (await (await import(client.href)).answeredByDaemon(argv));
if (!answered) {
  const { main } = await import(entry.href);
  await main(argv);
}
