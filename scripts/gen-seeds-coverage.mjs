#!/usr/bin/env node
// Writes the test coverage figures of the seed systems into docs/seeds.md, between the
// coverage markers, from `mon-test --coverage --format json` over this repository (run
// after `npm run build`). `--check` only compares and exits 1 when the page is stale;
// `--from FILE` reads that JSON report instead of running mon-test.
// test/e2e/seeds-coverage.test.ts runs it with --check.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const page = fileURLToPath(new URL('../docs/seeds.md', import.meta.url));
const BEGIN = '<!-- coverage:begin (scripts/gen-seeds-coverage.mjs) -->';
const END = '<!-- coverage:end -->';

const FIGURES = [
  ['alertsFired', 'alerts some test expects firing'],
  ['alertsSilent', 'alerts some test expects silent'],
  ['records', 'recording rules read by a test'],
  ['receivers', 'receivers a routing test reaches'],
  ['routes', 'routes a routing test takes'],
  ['inhibitRules', 'inhibit rules exercised'],
];

function count(items, flag) {
  return { covered: items.filter((item) => item[flag]).length, total: items.length };
}

function cell({ covered, total }) {
  return total === 0 ? '–' : `${covered}/${total}`;
}

function render(report) {
  const lines = [BEGIN, ''];
  for (const system of report.coverage.systems) {
    const figures = {
      alertsFired: count(system.alerts, 'fired'),
      alertsSilent: count(system.alerts, 'silent'),
      records: count(system.records, 'checked'),
      receivers: count(system.receivers, 'reached'),
      routes: count(system.routes, 'reached'),
      inhibitRules: count(system.inhibitRules, 'exercised'),
    };
    lines.push(`### ${system.system}`, '', '| figure | covered |', '|---|---:|');
    for (const [key, label] of FIGURES) lines.push(`| ${label} | ${cell(figures[key])} |`);
    lines.push('');
  }
  lines.push(END);
  return lines.join('\n');
}

function main(args) {
  const from = args.indexOf('--from');
  const json =
    from >= 0
      ? readFileSync(args[from + 1], 'utf8')
      : (() => {
          try {
            return execFileSync(process.execPath, ['bin/mon-test.js', '--coverage', '--format', 'json'], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
          } catch (error) {
            return error.stdout;
          }
        })();
  const section = render(JSON.parse(json));
  const text = readFileSync(page, 'utf8');
  const start = text.indexOf(BEGIN);
  const end = text.indexOf(END);
  if (start < 0 || end < start) {
    console.error(`docs/seeds.md: the coverage markers are missing (${BEGIN} … ${END})`);
    process.exit(2);
  }
  const next = text.slice(0, start) + section + text.slice(end + END.length);
  if (args.includes('--check')) {
    if (next !== text) {
      console.error('docs/seeds.md: the coverage figures differ from mon-test --coverage; run node scripts/gen-seeds-coverage.mjs');
      process.exit(1);
    }
    return;
  }
  writeFileSync(page, next);
}

main(process.argv.slice(2));
