import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { writeOut } from '../../src/emit/out-dir.js';
import { REPO_ROOT } from '../helpers/project.js';
import { eventually, startServer, type RunningServer } from '../helpers/servers.js';
import { requireTool } from '../helpers/tools.js';

// docs/deploying.md is a recipe users follow: its compose file and prometheus.yml are read from
// the page, each volume is put where the recipe mounts it (Docker does not run here, so the test
// maps container paths to host paths itself), and the real Prometheus and Alertmanager start on
// what the recipe mounts.

interface Compose {
  services: Record<string, { command?: string[]; volumes?: string[] }>;
}

/** The page's ```yaml blocks, by the file name in their first-line comment. */
function recipeBlocks(): Record<string, string> {
  const text = readFileSync(path.join(REPO_ROOT, 'docs', 'deploying.md'), 'utf8');
  const blocks: Record<string, string> = {};
  for (const match of text.matchAll(/^```yaml\n# (\S+)\n([\s\S]*?)^```$/gm)) blocks[match[1]!] = match[2]!;
  return blocks;
}

/** Container path → host path, for one service's volumes (host paths relative to `root`). */
function mounts(volumes: string[], root: string): Array<{ container: string; host: string }> {
  return volumes
    .map((volume) => {
      const [host, container] = volume.split(':');
      return { container: container!, host: path.resolve(root, host!) };
    })
    .sort((a, b) => b.container.length - a.container.length);
}

function toHost(containerPath: string, table: Array<{ container: string; host: string }>): string | undefined {
  const mount = table.find((m) => containerPath === m.container || containerPath.startsWith(m.container + '/'));
  return mount ? mount.host + containerPath.slice(mount.container.length) : undefined;
}

let root: string;
let outDir: string;
const blocks = recipeBlocks();
const compose = parseYaml(blocks['docker-compose.yml'] ?? 'services: {}') as Compose;
const prometheusConfig = parseYaml(blocks['prometheus.yml'] ?? '{}') as {
  rule_files?: string[];
  alerting?: { alertmanagers: Array<{ static_configs: Array<{ targets: string[] }> }> };
};

beforeAll(async () => {
  const result = await build({ cwd: REPO_ROOT, check: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  root = mkdtempSync(path.join(os.tmpdir(), 'moncode-deploying-'));
  outDir = path.join(root, 'out');
  writeOut(outDir, result.outputs);
  writeFileSync(path.join(root, 'prometheus.yml'), blocks['prometheus.yml'] ?? '');
}, 180_000);

afterAll(() => {
  if (root) rmSync(root, { recursive: true, force: true });
});

describe('docs/deploying.md, docker-compose', () => {
  it('has the compose file and prometheus.yml the test reads', () => {
    expect(Object.keys(blocks).sort()).toEqual(['docker-compose.yml', 'prometheus.yml']);
    expect(Object.keys(compose.services).sort()).toEqual(['alertmanager', 'grafana', 'prometheus']);
  });

  it('mounts folders and files the build writes, and every rule file prometheus.yml names is mounted', () => {
    for (const [name, service] of Object.entries(compose.services)) {
      for (const { host } of mounts(service.volumes ?? [], root)) {
        if (host.startsWith(path.join(root, 'secrets'))) continue; // the user's, never the build's
        expect(existsSync(host), `${name}: ${path.relative(root, host)}`).toBe(true);
      }
    }
    const table = mounts(compose.services.prometheus!.volumes!, root);
    for (const file of prometheusConfig.rule_files ?? []) {
      const host = toHost(file, table);
      expect(host, `${file} is mounted`).toBeDefined();
      expect(statSync(host!).isFile(), file).toBe(true);
    }
  });

  it("puts every dashboard provider's path on a mounted folder holding that provider's dashboards", () => {
    const table = mounts(compose.services.grafana!.volumes!, root);
    const providers = toHost('/etc/grafana/provisioning/dashboards', table)!;
    const files = readdirSync(providers).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) {
      const config = parseYaml(readFileSync(path.join(providers, file), 'utf8')) as { providers: Array<{ name: string; options: { path: string } }> };
      for (const provider of config.providers) {
        const host = toHost(provider.options.path, table);
        expect(host, `${file}: ${provider.options.path} is mounted`).toBeDefined();
        expect(readdirSync(host!).filter((f) => f.endsWith('.json')).length, `${provider.name}: ${path.relative(root, host!)}`).toBeGreaterThan(0);
      }
    }
  });

  it('mounts every secret file each system config names, for every system', () => {
    const table = mounts(compose.services.alertmanager!.volumes!, root);
    const example = path.basename(table.find((m) => m.container === '/etc/alertmanager')!.host);
    for (const system of readdirSync(path.join(outDir, 'alertmanager'))) {
      const config = readFileSync(path.join(outDir, 'alertmanager', system, 'alertmanager.yml'), 'utf8');
      const perSystem = table.map((m) => ({ ...m, host: m.host.replace(new RegExp(`/${example}$`), `/${system}`) }));
      for (const [, file] of config.matchAll(/_file: (\S+)/g)) {
        const host = toHost(file!, perSystem);
        expect(host, `${system}: ${file} is mounted`).toBeDefined();
        expect(host!.startsWith(path.join(root, 'secrets', system) + '/'), `${system}: ${file} -> ${host}`).toBe(true);
      }
    }
  });

  it('names both rule files of every system that has them, in the form the page tells', () => {
    const example = path.basename(prometheusConfig.rule_files![0]!).replace(/\.rules\.yml$/, '');
    const written = readdirSync(path.join(outDir, 'prometheus', 'rules'));
    for (const file of written) {
      const system = file.replace(/(-slos)?\.rules\.yml$/, '');
      const named = prometheusConfig.rule_files!.map((f) => path.basename(f).replace(example, system));
      expect(named, file).toContain(file);
    }
  });

  const prometheus = requireTool('prometheus');
  const alertmanager = requireTool('prometheus-alertmanager') ?? requireTool('alertmanager');
  describe.skipIf(!prometheus || !alertmanager)('with the real servers', () => {
    const servers: RunningServer[] = [];
    afterAll(async () => {
      for (const server of servers) await server.stop();
    });

    it('Prometheus loads and evaluates the mounted rules and sends to the Alertmanager the recipe starts', async () => {
      const am = compose.services.alertmanager!;
      const amTable = mounts(am.volumes!, root);
      const amArgs = (am.command ?? []).map((arg) => arg.replace(/^(--config\.file=)(.*)$/, (_, flag: string, file: string) => flag + toHost(file, amTable)));
      const amServer = await startServer(
        alertmanager!,
        (port) => [...amArgs, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address=', `--storage.path=${path.join(root, 'am-data')}`],
        '/-/ready',
      );
      servers.push(amServer);

      const promTable = mounts(compose.services.prometheus!.volumes!, root);
      const config = structuredClone(prometheusConfig);
      config.rule_files = config.rule_files!.map((file) => toHost(file, promTable)!);
      config.alerting!.alertmanagers[0]!.static_configs[0]!.targets = [new URL(amServer.url).host];
      const configFile = path.join(root, 'prometheus-host.yml');
      writeFileSync(configFile, stringifyYaml(config));
      const tsdb = path.join(root, 'tsdb');
      mkdirSync(tsdb);
      const promServer = await startServer(prometheus!, (port) => [`--config.file=${configFile}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${tsdb}`], '/-/ready');
      servers.push(promServer);

      const expected = config.rule_files
        .filter((f) => existsSync(f))
        .flatMap((f) => (parseYaml(readFileSync(f, 'utf8')) as { groups: Array<{ rules: Array<{ alert?: string; record?: string }> }> }).groups)
        .flatMap((g) => g.rules.map((r) => r.alert ?? r.record))
        .sort();
      expect(expected.length).toBeGreaterThan(0);
      const rules = await eventually(
        async () => {
          const body = (await (await fetch(`${promServer.url}/api/v1/rules`)).json()) as {
            data: { groups: Array<{ rules: Array<{ name: string; health: string; lastError?: string; lastEvaluation: string }> }> };
          };
          const all = body.data.groups.flatMap((g) => g.rules);
          return all.length > 0 && all.every((r) => !r.lastEvaluation.startsWith('0001-')) ? all : undefined;
        },
        90_000,
        'every rule evaluated',
      );
      expect(rules.map((r) => r.name).sort()).toEqual(expected);
      expect(rules.filter((r) => r.health !== 'ok').map((r) => `${r.name}: ${r.lastError}`)).toEqual([]);

      const active = await eventually(
        async () => {
          const body = (await (await fetch(`${promServer.url}/api/v1/alertmanagers`)).json()) as { data: { activeAlertmanagers: Array<{ url: string }> } };
          return body.data.activeAlertmanagers.length > 0 ? body.data.activeAlertmanagers : undefined;
        },
        30_000,
        'the Alertmanager discovered',
      );
      expect(active.map((a) => new URL(a.url).host)).toEqual([new URL(amServer.url).host]);
    }, 150_000);
  });
});
