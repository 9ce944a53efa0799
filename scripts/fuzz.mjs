#!/usr/bin/env node
// `npm run fuzz [-- --seed N --inputs N --definitions N --minutes N]`: the fault harness (test/fuzz/harness.mjs).
// Exits 1 when it finds a crash, a hang, a diagnostic without a location, raw control characters or
// hidden results; 2 when ../shared/corpus is missing.
import { parseArgs } from 'node:util';
import { corpusFiles, formatReport, runHarness } from '../test/fuzz/harness.mjs';

const { values } = parseArgs({
  options: {
    seed: { type: 'string', default: '1' },
    inputs: { type: 'string', default: '2000' },
    definitions: { type: 'string', default: '1000' },
    minutes: { type: 'string', default: '45' },
    owner: { type: 'string', multiple: true },
    quiet: { type: 'boolean', default: false },
  },
});

try {
  corpusFiles();
} catch (error) {
  process.stderr.write(`fuzz: ${error.message}\n`);
  process.exit(2);
}
let last = 0;
const report = await runHarness({
  seed: Number(values.seed),
  inputs: Number(values.inputs),
  definitions: Number(values.definitions),
  timeLimitMs: Number(values.minutes) * 60_000,
  owners: values.owner,
  log: (line) => {
    if (values.quiet || Date.now() - last < 10_000) return;
    last = Date.now();
    process.stderr.write(`  … ${line}\n`);
  },
});
process.stdout.write(formatReport(report));
process.exitCode = report.failures.length || report.timedOut ? 1 : 0;
