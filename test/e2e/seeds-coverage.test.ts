import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { REPO_ROOT } from '../helpers/project.js';
import { requireTool } from '../helpers/tools.js';

// The seed systems' own rule and routing tests (definitions/<system>/tests.ts), run by the
// real mon-test over the repository, and the figures docs/seeds.md prints of them.

const promtool = requireTool('promtool');
const amtool = requireTool('amtool');

/** The five seed systems: each one's critical alerts fired and silent, every receiver reached. */
const SEEDS = ['agent-api', 'alfred-platform', 'bot-core', 'freeagentics', 'toolboxai'];

interface SystemCoverage {
  system: string;
  alerts: Array<{ alert: string; fired: boolean; silent: boolean }>;
  receivers: Array<{ receiver: string; reached: boolean }>;
}

/** The hand-written critical alerts of a system, as out/ holds them. */
function criticalAlerts(system: string): string[] {
  const file = path.join(REPO_ROOT, 'out', 'prometheus', 'rules', `${system}.rules.yml`);
  const doc = parseYaml(readFileSync(file, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; labels?: Record<string, string> }> }> };
  return doc.groups.flatMap((group) => group.rules.filter((rule) => rule.alert && rule.labels?.severity === 'critical').map((rule) => rule.alert!));
}

function checkPage(report: string): { code: number | null; stderr: string } {
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'seeds-coverage-')), 'report.json');
  writeFileSync(file, report);
  const result = spawnSync(process.execPath, [path.join(REPO_ROOT, 'scripts', 'gen-seeds-coverage.mjs'), '--check', '--from', file], { encoding: 'utf8' });
  return { code: result.status, stderr: result.stderr };
}

describe.skipIf(!promtool || !amtool)('the seeds’ tests', () => {
  let stdout = '';
  let systems: SystemCoverage[] = [];

  beforeAll(() => {
    const result = runBin('mon-test', ['--coverage', '--format', 'json'], REPO_ROOT);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    stdout = result.stdout;
    systems = (JSON.parse(stdout) as { coverage: { systems: SystemCoverage[] } }).coverage.systems;
  }, 180_000);

  it('cover the five seed systems', () => {
    expect(systems.map((s) => s.system).sort()).toEqual(SEEDS);
  });

  it('pass, and docs/seeds.md prints the figures mon-test --coverage reports', () => {
    expect(checkPage(stdout)).toEqual({ code: 0, stderr: '' });
  });

  it('the page check fails when one figure differs', () => {
    const report = JSON.parse(stdout) as { coverage: { systems: SystemCoverage[] } };
    const alert = report.coverage.systems.find((s) => s.system === 'agent-api')!.alerts[0]!;
    alert.fired = !alert.fired;
    expect(checkPage(JSON.stringify(report)).code).toBe(1);
  });

  it.each(SEEDS)('%s: every critical alert has a firing and a silent test, every receiver is reached', (name) => {
    const system = systems.find((s) => s.system === name)!;
    const critical = criticalAlerts(name);
    expect(critical.length).toBeGreaterThan(0);
    const untested = system.alerts.filter((a) => critical.includes(a.alert) && !(a.fired && a.silent)).map((a) => a.alert);
    expect(untested).toEqual([]);
    expect(
      system.alerts
        .filter((a) => critical.includes(a.alert))
        .map((a) => a.alert)
        .sort(),
    ).toEqual([...new Set(critical)].sort());
    expect(system.receivers.length).toBeGreaterThan(0);
    expect(system.receivers.filter((r) => !r.reached).map((r) => r.receiver)).toEqual([]);
  });
});
