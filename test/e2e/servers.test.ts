import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { writeOut } from '../../src/emit/out-dir.js';
import { REPO_ROOT } from '../helpers/project.js';
import { eventually, startServer, type RunningServer } from '../helpers/servers.js';
import { requireTool, runTool } from '../helpers/tools.js';

// The real servers are the last word on out/: a Prometheus loads every rule file mon-build wrote
// and evaluates every rule, and an Alertmanager loads each system's config and routes each of the
// system's alerts to the receivers amtool's route test names. Both listen on 127.0.0.1 and are
// stopped by the test.

interface RuleFile {
  groups: Array<{ name: string; rules: Array<{ alert?: string; record?: string; labels?: Record<string, string> }> }>;
}

interface ApiRule {
  name: string;
  health: string;
  lastError?: string;
  lastEvaluation: string;
}

let scratch: string;
let outDir: string;

beforeAll(async () => {
  const result = await build({ cwd: REPO_ROOT, check: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  scratch = mkdtempSync(path.join(os.tmpdir(), 'moncode-servers-'));
  outDir = path.join(scratch, 'out');
  writeOut(outDir, result.outputs);
}, 180_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

function ruleFiles(): Array<{ file: string; parsed: RuleFile }> {
  const dir = path.join(outDir, 'prometheus', 'rules');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.yml'))
    .map((f) => ({ file: path.join(dir, f), parsed: parseYaml(readFileSync(path.join(dir, f), 'utf8')) as RuleFile }));
}

const prometheus = requireTool('prometheus');
describe.skipIf(!prometheus)('a real Prometheus', () => {
  let server: RunningServer | undefined;
  afterAll(async () => server?.stop());

  it('loads every rule file of out/ and evaluates every rule without an error', async () => {
    const files = ruleFiles();
    expect(files.length).toBeGreaterThan(0);
    const config = path.join(scratch, 'prometheus.yml');
    // A 1s evaluation interval so groups without their own interval evaluate at once.
    writeFileSync(config, `global:\n  evaluation_interval: 1s\nrule_files:\n${files.map((f) => `  - ${JSON.stringify(f.file)}\n`).join('')}`);
    server = await startServer(prometheus!, (port) => [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${path.join(scratch, 'tsdb')}`], '/-/ready');

    const expected = files.flatMap((f) => f.parsed.groups.map((g) => `${g.name}: ${g.rules.map((r) => r.alert ?? r.record).join(', ')}`)).sort();
    const groups = await eventually(
      async () => {
        const body = (await (await fetch(`${server!.url}/api/v1/rules`)).json()) as { data: { groups: Array<{ name: string; rules: ApiRule[] }> } };
        const all = body.data.groups;
        // Every rule has been evaluated once (groups with a 30s interval take up to 30 s).
        return all.every((g) => g.rules.every((r) => !r.lastEvaluation.startsWith('0001-'))) ? all : undefined;
      },
      90_000,
      'every rule evaluated',
    );
    expect(groups.map((g) => `${g.name}: ${g.rules.map((r) => r.name).join(', ')}`).sort()).toEqual(expected);
    const failing = groups.flatMap((g) => g.rules.filter((r) => r.health !== 'ok').map((r) => `${g.name}/${r.name}: ${r.health} ${r.lastError ?? ''}`));
    expect(failing, server.log()).toEqual([]);
  }, 150_000);
});

const alertmanager = requireTool('prometheus-alertmanager') ?? requireTool('alertmanager');
const amtool = requireTool('amtool');
describe.skipIf(!alertmanager || !amtool)('a real Alertmanager', () => {
  it('loads each system config and routes every alert of the system as amtool config routes test does', async () => {
    const systems = readdirSync(path.join(outDir, 'alertmanager'));
    expect(systems.length).toBeGreaterThan(0);
    for (const system of systems) {
      const config = path.join(outDir, 'alertmanager', system, 'alertmanager.yml');
      const server = await startServer(
        alertmanager!,
        (port) => [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', `--storage.path=${path.join(scratch, `am-${system}`)}`],
        '/-/ready',
      );
      try {
        const status = (await (await fetch(`${server.url}/api/v2/status`)).json()) as { config: { original: string } };
        expect(status.config.original, system).toContain('route:');

        const alerts = ruleFiles()
          .filter((f) => path.basename(f.file).startsWith(`${system}.`) || path.basename(f.file).startsWith(`${system}-slos.`))
          .flatMap((f) => f.parsed.groups.flatMap((g) => g.rules))
          .filter((r) => r.alert)
          .map((r) => ({ ...r.labels, alertname: r.alert! }));
        expect(alerts.length, system).toBeGreaterThan(0);
        const posted = await fetch(`${server.url}/api/v2/alerts`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(alerts.map((labels) => ({ labels, annotations: { summary: 'test' } }))),
        });
        expect(posted.status, await posted.text()).toBe(200);

        const routed = await eventually(
          async () => {
            const body = (await (await fetch(`${server.url}/api/v2/alerts?active=true&silenced=true&inhibited=true`)).json()) as Array<{
              labels: Record<string, string>;
              receivers: Array<{ name: string }>;
            }>;
            return body.length >= new Set(alerts.map((a) => JSON.stringify(a))).size ? body : undefined;
          },
          30_000,
          `${system}: the posted alerts`,
        );
        for (const labels of alerts) {
          const got = routed.find((a) => Object.entries(labels).every(([k, v]) => a.labels[k] === v));
          const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
          const byAmtool = runTool(amtool!, ['config', 'routes', 'test', `--config.file=${config}`, ...args])
            .output.split('\n')
            .find((line) => line && !line.startsWith('Warning'))!;
          expect(got?.receivers.map((r) => r.name).sort(), `${system} ${args.join(' ')}`).toEqual(byAmtool.split(',').sort());
        }
      } finally {
        await server.stop();
      }
    }
  }, 180_000);
});
