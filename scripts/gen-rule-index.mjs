#!/usr/bin/env node
// Writes docs/rules/README.md from the lint rules' metadata (in dist/: run after `npm run build`).
// `test/docs/rule-pages.test.ts` fails when it is stale.
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ALL_RULES } from '../dist/lint/rules/index.js';
import { renderRuleIndex } from '../dist/lint/rule-index.js';

const target = fileURLToPath(new URL('../docs/rules/README.md', import.meta.url));
writeFileSync(target, renderRuleIndex(ALL_RULES.map((rule) => rule.meta)));
