import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { findOnPath } from './find-tool.js';
import { UnusableInputError, type Diagnostic, type RelatedInformation } from '../model/diagnostic.js';
import type { AlertmanagerModel, OutputFile } from '../model/project-model.js';
import type { RouteTestModel } from '../model/route-test.js';
import { evaluate } from '../routing/evaluate.js';

/** A test that failed: a rule test promtool found failing, a routing test amtool or the evaluator disagrees with. */
export const TEST_FAILED = 'test/failed';

/**
 * Runs each routing test: `amtool config routes test` on the system's compiled
 * alertmanager.yml for the receivers, moncode's evaluator for grouping, inhibition
 * and time intervals. Failures are at the expectation that failed.
 */
export async function runRouteTests(
  tests: readonly RouteTestModel[],
  alertmanagers: readonly AlertmanagerModel[],
  outputs: readonly OutputFile[],
  dir: string,
  amtool?: string,
): Promise<Diagnostic[]> {
  if (tests.length === 0) return [];
  const tool = amtool ?? findAmtool();
  const files = new Map<string, string>();
  for (const system of new Set(tests.map((t) => t.system))) {
    const output = outputs.find((f) => f.path === `alertmanager/${system}/alertmanager.yml`);
    if (!output) continue;
    const full = path.join(dir, output.path);
    mkdirSync(path.dirname(full), { recursive: true });
    writeFileSync(full, output.content);
    files.set(system, full);
  }
  const diagnostics: Diagnostic[] = [];
  for (const test of tests) {
    const am = alertmanagers.find((a) => a.system === test.system);
    const file = files.get(test.system);
    if (!am || !file) continue;
    const fail = (message: string, where: RouteTestModel['where'], related?: RelatedInformation[]) =>
      diagnostics.push({ rule: TEST_FAILED, severity: 'error', message, where: where ?? test.where, subject: test.name, ...(related?.length ? { related } : {}) });
    const verdict = evaluate(am.config, [test.alert, ...test.firing], test.at ?? new Date());
    const routes = verdict.routes[0]!;
    const relatedRoutes = routes.map((r) => ({ message: `the route that takes it (receiver ${r.receiver})`, where: am.locator.get(r.at) })).filter((r) => r.where) as RelatedInformation[];
    const ours = routes.map((r) => r.receiver);
    const theirs = await amtoolReceivers(tool, file, test.alert);
    const expected = test.expect.join(',');
    if (theirs !== expected) {
      fail(`${describe(test.alert)} is routed to ${theirs || 'no receiver'}, expected ${expected || 'none'} (amtool config routes test)`, test.expectWhere, relatedRoutes);
    } else if (ours.join(',') !== theirs) {
      fail(
        `moncode's routing evaluator routes ${describe(test.alert)} to ${ours.join(',')} where amtool says ${theirs}: grouping, inhibition and time verdicts of this test cannot be trusted (report it)`,
        test.expectWhere,
      );
      continue;
    }
    if (test.grouping) {
      const want = [...test.grouping].sort().join(',');
      const wrong = routes.map((route) => ({ receiver: route.receiver, got: [...route.groupBy].sort().join(',') })).filter((r) => r.got !== want);
      if (wrong.length > 0) fail(`${describe(test.alert)} is grouped by ${wrong.map((r) => `[${r.got}] at ${r.receiver}`).join(', ')}, expected [${want}]`, test.groupingWhere, relatedRoutes);
    }
    if (test.inhibited !== undefined) {
      const by = verdict.inhibitedBy[0]!;
      if (test.inhibited && by.length === 0) fail(`${describe(test.alert)} is not inhibited by the alerts firing with it: no inhibit rule mutes it`, test.inhibitedWhere);
      if (!test.inhibited && by.length > 0) {
        const rule = by[0]!;
        const where = am.locator.get(`/inhibit_rules/${rule.rule}`);
        fail(
          `${describe(test.alert)} is inhibited by ${describe([test.alert, ...test.firing][rule.by]!)} (inhibit rule ${rule.rule + 1})`,
          test.inhibitedWhere,
          where ? [{ message: 'the inhibit rule', where }] : [],
        );
      }
    }
    if (test.at) {
      // A receiver another route still notifies at the instant is not muted: Alertmanager sends it the alert.
      const groups = verdict.groups.filter((g) => g.alerts.includes(0));
      const notified = new Set(groups.filter((g) => !g.mutedByTime).map((g) => g.route.receiver));
      const muted = [...new Set(groups.filter((g) => g.mutedByTime && !notified.has(g.route.receiver)).map((g) => g.route.receiver))].sort();
      const want = [...new Set(test.muted ?? [])].sort();
      if (muted.join(',') !== want.join(',')) {
        fail(
          `at ${test.at.toISOString()}, time intervals mute ${muted.length ? muted.join(',') : 'no receiver'} of ${describe(test.alert)}, expected ${want.length ? want.join(',') : 'none'}`,
          test.mutedWhere,
          relatedRoutes,
        );
      }
    }
  }
  return diagnostics;
}

function describe(labels: Record<string, string>): string {
  return `{${Object.entries(labels)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ')}}`;
}

/** The receivers amtool resolves for one alert, comma-separated as it prints them. */
function amtoolReceivers(amtool: string, file: string, labels: Record<string, string>): Promise<string> {
  const args = ['config', 'routes', 'test', `--config.file=${file}`, ...Object.entries(labels).map(([k, v]) => `${k}=${JSON.stringify(v)}`)];
  return new Promise((resolve, reject) => {
    execFile(amtool, args, { encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) {
        reject(new UnusableInputError(`amtool config routes test failed on ${path.basename(path.dirname(file))}'s alertmanager.yml: ${(stderr || error.message).trim().split('\n').slice(-1)[0]}`));
        return;
      }
      resolve(
        stdout
          .split('\n')
          .map((line) => line.trim())
          .find((line) => line !== '') ?? '',
      );
    });
  });
}

function findAmtool(): string {
  return findOnPath(
    'amtool',
    "amtool is not installed (mon-test runs `amtool config routes test` for routeTest()s): install Alertmanager's amtool (Debian: apt install prometheus-alertmanager) and put it on PATH",
  );
}
