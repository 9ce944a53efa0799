import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { writeOut } from '../../src/emit/out-dir.js';
import { headingSlugs } from '../../src/lint/rules/runbook-unresolved.js';
import { validateDashboard } from '../helpers/grafana-schema.js';
import { REPO_ROOT } from '../helpers/project.js';
import { requireTool, runTool, runToolAsync } from '../helpers/tools.js';

// The five seed systems (shared/seeds/), built from the repository's definitions/ into a
// scratch out/ and checked against what each seed document describes, with the real validators.

interface SeedSystem {
  folder: string;
  /** Dashboards by title, with the panels the seed names. */
  dashboards: Record<string, string[]>;
  /** Alerts by name, with the severity the seed gives. */
  alerts: Record<string, 'critical' | 'warning' | 'info'>;
  /** Receivers each severity reaches (`amtool config routes test`), as the seed's routing says. */
  receivers: Record<string, string>;
}

const SEEDS: Record<string, SeedSystem> = {
  '000 Alfred Agent Platform v2': {
    folder: 'alfred-platform',
    dashboards: {
      'Alfred Platform Overview': ['System Load', 'Memory Usage', 'API Request Rate', 'Response Time', 'Database Connections', 'Redis Memory Usage'],
      'Agent Services': ['Request Rate by Agent', 'Error Rate by Agent', 'Request Duration', 'Memory Usage by Agent', 'Agent Core Errors'],
      'Database Performance': ['Active Connections', 'Transaction Rate', 'Database Size', 'Cache Hit Ratio'],
    },
    alerts: {
      InstanceDown: 'critical',
      HighCPULoad: 'warning',
      HighMemoryUsage: 'warning',
      DiskSpaceLow: 'warning',
      DiskSpaceCritical: 'critical',
      ServiceDown: 'critical',
      HighErrorRate: 'warning',
      HighErrorRateCritical: 'critical',
      SlowResponseTime: 'warning',
      ServiceRestart: 'info',
      DatabaseConnections: 'warning',
      SlowQueries: 'warning',
      HighTransactionTime: 'warning',
      ReplicationLag: 'warning',
      TableSize: 'info',
    },
    // Critical pages and also reaches Slack (the seed's `continue: true` intent).
    receivers: { critical: 'pagerduty-critical,slack-notifications', warning: 'slack-notifications', info: 'slack-notifications' },
  },
  '001 Bot-Core': {
    folder: 'bot-core',
    dashboards: {
      'System Overview': ['Service Status', 'CPU Usage', 'Memory Usage', 'Disk Space', 'Network Traffic', 'Active Alerts'],
      'Trading Performance': ['Trades/Minute', 'Success Rate', 'Execution Latency', 'Portfolio Value', 'Daily P&L', 'Open Positions', 'Trading Balance'],
      'API Performance': ['Request Rate', 'Error Rate', 'Latency Distribution', 'p95/p99 Latency', 'Status Codes', 'Slow Queries'],
      'AI Analysis': ['Analyses/Minute', 'Analysis Duration', 'Model Confidence', 'Predictions by Signal', 'Prediction Accuracy', 'OpenAI Usage', 'OpenAI Errors'],
      'Database Performance': ['Query Rate', 'Query Latency', 'Active Connections', 'Connection Pool', 'Slow Queries', 'Operations', 'Replication Lag'],
      'WebSocket Metrics': ['Active Connections', 'Messages Sent/Received', 'Message Latency', 'Error Rate', 'Connection Duration', 'Disconnect Reasons'],
      'Business Metrics': ['Active Users', 'New Registrations', 'Trading Volume', 'Revenue', 'Portfolio Growth', 'User Engagement', 'Top Strategies'],
    },
    alerts: {
      ServiceDown: 'critical',
      HighErrorRate: 'critical',
      TradingHalted: 'critical',
      DiskSpaceLow: 'critical',
      MongoDBDown: 'critical',
      HighCPUUsage: 'warning',
      HighMemoryUsage: 'warning',
      HighLatencyP95: 'warning',
      LowTradingBalance: 'warning',
    },
    // PagerDuty + email + Slack in one receiver; warnings to Slack; info logged only.
    receivers: { critical: 'critical', warning: 'slack', info: 'log-only' },
  },
  '002 ToolboxAI': {
    folder: 'toolboxai',
    dashboards: {
      'FastAPI Application Metrics': [
        'Request Rate',
        'Response Time',
        'HTTP Status Codes',
        'Active Connections',
        'Error Rate',
        'CPU Usage',
        'Memory Usage',
        'Database Query Performance',
        'Redis Operations',
        'Agent Task Processing',
      ],
      'Loki Logs Visualization': [
        'Log Volume by Level',
        'Error Logs',
        'Application Logs',
        'Container Logs',
        'API Request Logs',
        'Database Query Logs',
        'Agent Activity Logs',
        'Authentication and Security Logs',
      ],
      'Jaeger Distributed Tracing': [
        'Trace Timeline',
        'Service Dependency Map',
        'Operation Latency Distribution',
        'Trace Error Rate',
        'Active Spans',
        'Database Traces',
        'HTTP Request Traces',
        'Agent Task Traces',
      ],
    },
    alerts: {
      ServiceDown: 'critical',
      HighErrorRate: 'critical',
      RedisConnectionIssues: 'critical',
      SSLCertificateExpiry: 'critical',
      HighResponseTime: 'warning',
      HighMemoryUsage: 'warning',
      DatabaseSlowQueries: 'warning',
      HighAgentErrorRate: 'warning',
      PusherConnectionFailures: 'warning',
      LowDiskSpace: 'warning',
    },
    // The backend webhook gets everything; email for critical, Slack for warnings.
    receivers: { critical: 'fastapi-webhook,email-critical', warning: 'fastapi-webhook,slack-warnings' },
  },
  '003 Agent API': {
    folder: 'agent-api',
    dashboards: {
      'Agent Metrics': ['Request Rate', 'Error Rate', 'Response Time (p95)', 'Active Agents', 'Token Usage by Agent', 'Cache Hit Rate', 'Database Query Time', 'Agent Success Rate'],
      'Token Usage': [
        'Total Tokens Used',
        'Tokens by Agent Type',
        'Tokens by Workflow Step',
        'Token Savings from Caching',
        'Token Savings from Compression',
        'Token Savings from Model Routing',
        'Total Cost',
        'Cost Trend',
      ],
      'System Health': ['CPU Usage', 'Memory Usage', 'Disk Usage', 'Database Connections', 'Redis Memory', 'Network I/O'],
    },
    alerts: {
      HighErrorRate: 'critical',
      HighResponseTime: 'warning',
      HighTokenUsage: 'warning',
      LowCacheHitRate: 'warning',
      DatabaseConnectionPoolExhausted: 'critical',
      HighCPUUsage: 'warning',
      HighMemoryUsage: 'warning',
      DiskSpaceLow: 'critical',
      HighAgentFailureRate: 'warning',
      VectorDatabaseSlowQueries: 'warning',
    },
    receivers: { critical: 'critical', warning: 'warning' },
  },
  '004 FreeAgentics': {
    folder: 'freeagentics',
    dashboards: {
      'FreeAgentics System Overview': ['System Health', 'CPU Usage', 'Memory Usage', 'API Response Time'],
      'Application Performance': ['Request Rate', 'Error Rate', 'Response Times'],
      'Agent Coordination': ['Coordination Success Rate', 'Coordination Latency', 'Active Agents'],
    },
    alerts: {
      HighCPUUsage: 'warning',
      HighMemoryUsage: 'warning',
      DiskSpaceLow: 'critical',
      APIHighErrorRate: 'critical',
      AgentCoordinationFailures: 'warning',
    },
    receivers: { critical: 'pagerduty', warning: 'slack' },
  },
};

interface RuleJson {
  alert?: string;
  record?: string;
  expr: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

let outDir: string;
let outputs: Array<{ path: string; content: string }>;

beforeAll(async () => {
  // --check compiles without touching the repository's out/; the files go to a scratch folder.
  const result = await build({ cwd: REPO_ROOT, check: true });
  expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  outputs = result.outputs;
  outDir = path.join(mkdtempSync(path.join(os.tmpdir(), 'moncode-seed-')), 'out');
  writeOut(outDir, outputs);
}, 120_000);

function dashboardsOf(folder: string): Array<{ title: string; panels: Array<{ title: string; type: string; panels?: unknown[] }> }> {
  return outputs
    .filter((o) => o.path.startsWith(`grafana/dashboards/${folder}/`))
    .map((o) => {
      const json = JSON.parse(o.content) as { title: string; panels: Array<{ title: string; type: string; panels?: Array<{ title: string; type: string }> }> };
      return { title: json.title, panels: json.panels.flatMap((p) => [p, ...(p.panels ?? [])]) };
    });
}

function rulesOf(folder: string): RuleJson[] {
  const file = outputs.find((o) => o.path === `prometheus/rules/${folder}.rules.yml`);
  if (!file) return [];
  return (parseYaml(file.content) as { groups: Array<{ rules: RuleJson[] }> }).groups.flatMap((g) => g.rules);
}

describe('the definitions/ build', () => {
  it('matches the committed out/ (run `npx mon-build` when this fails)', async () => {
    const result = await build({ cwd: REPO_ROOT, check: true });
    expect(result.diff).toEqual({ changed: [], added: [], removed: [] });
  });

  it('holds at least 19 dashboards and 49 alerts across the five systems', () => {
    const folders = Object.values(SEEDS).map((s) => s.folder);
    expect(folders.flatMap(dashboardsOf).length).toBeGreaterThanOrEqual(19);
    expect(folders.flatMap(rulesOf).filter((r) => r.alert).length).toBeGreaterThanOrEqual(49);
  });
});

describe.each(Object.entries(SEEDS))('seed %s', (_seed, system) => {
  it('has every dashboard and panel the seed describes', () => {
    const dashboards = dashboardsOf(system.folder);
    for (const [title, panels] of Object.entries(system.dashboards)) {
      const dashboard = dashboards.find((d) => d.title === title);
      expect(dashboard, `dashboard "${title}"`).toBeDefined();
      expect(dashboard!.panels.map((p) => p.title)).toEqual(expect.arrayContaining(panels));
      expect(dashboard!.panels.filter((p) => ['graph', 'singlestat', 'table-old'].includes(p.type))).toEqual([]);
    }
  });

  it('has every alert the seed describes, at its severity, with summary, description and a runbook page that exists', () => {
    const alerts = rulesOf(system.folder).filter((r) => r.alert);
    for (const [name, severity] of Object.entries(system.alerts)) {
      const found = alerts.filter((r) => r.alert === name);
      expect(
        found.map((r) => r.labels?.severity),
        name,
      ).toEqual([severity]);
    }
    for (const rule of alerts) {
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
      expect(rule.annotations?.description, rule.alert).toBeTruthy();
      if (rule.labels?.severity === 'info') continue;
      const url = rule.annotations?.runbook_url ?? '';
      const match = /^https:\/\/github\.com\/moncode\/moncode\/blob\/main\/(docs\/runbooks\/[^#]+\.md)(?:#(.+))?$/.exec(url);
      expect(match, `${rule.alert}: ${url}`).not.toBeNull();
      const page = path.join(REPO_ROOT, match![1]!);
      expect(existsSync(page), `${rule.alert}: ${match![1]} exists`).toBe(true);
      if (match![2]) expect(headingSlugs(readFileSync(page, 'utf8')).has(match![2]), `${rule.alert}: #${match![2]}`).toBe(true);
    }
  });

  it('provisions its datasources and dashboards for Grafana', () => {
    const paths = outputs.map((o) => o.path);
    expect(paths).toEqual(expect.arrayContaining([`grafana/provisioning/dashboards/${system.folder}.yaml`, `grafana/provisioning/datasources/${system.folder}.yaml`]));
    const provider = parseYaml(outputs.find((o) => o.path === `grafana/provisioning/dashboards/${system.folder}.yaml`)!.content) as {
      providers: Array<{ type: string; folder: string; options: { path: string } }>;
    };
    // Its own provider over its own folder: the five systems load into one Grafana (test/compile/one-grafana.test.ts).
    expect(provider.providers).toEqual([expect.objectContaining({ type: 'file', folder: system.folder, options: { path: `/var/lib/grafana/dashboards/${system.folder}` } })]);
  });

  const amtool = requireTool('amtool');
  it.skipIf(!amtool)('routes each of its alerts to the receivers the seed names (amtool config routes test)', () => {
    const config = path.join(outDir, 'alertmanager', system.folder, 'alertmanager.yml');
    for (const rule of rulesOf(system.folder).filter((r) => r.alert)) {
      const labels = Object.entries({ ...rule.labels, alertname: rule.alert! }).map(([k, v]) => `${k}=${v}`);
      const result = runTool(amtool!, ['config', 'routes', 'test', `--config.file=${config}`, ...labels]);
      expect(
        result.output.split('\n').find((line) => line && !line.startsWith('Warning')),
        `${rule.alert} (${labels.join(' ')})`,
      ).toBe(system.receivers[rule.labels!.severity!]);
    }
  });
});

describe('out/ as a whole', () => {
  it('every dashboard validates against the schema generated from @grafana/schema', () => {
    const dashboards = outputs.filter((o) => o.path.startsWith('grafana/dashboards/'));
    expect(dashboards.length).toBeGreaterThan(0);
    for (const file of dashboards) expect(validateDashboard(JSON.parse(file.content) as Record<string, unknown>), file.path).toEqual([]);
  }, 180_000);

  it('every dashboard is at schemaVersion 42 with unique ids and panels inside the grid that never overlap', () => {
    for (const file of outputs.filter((o) => o.path.startsWith('grafana/dashboards/'))) {
      const json = JSON.parse(file.content) as {
        schemaVersion: number;
        panels: Array<{ id: number; gridPos: { x: number; y: number; w: number; h: number }; collapsed?: boolean; panels?: Array<{ id: number }> }>;
      };
      expect(json.schemaVersion, file.path).toBe(42);
      const ids = json.panels.flatMap((p) => [p.id, ...(p.panels ?? []).map((c) => c.id)]);
      expect(new Set(ids).size, file.path).toBe(ids.length);
      for (const [i, a] of json.panels.entries()) {
        expect(a.gridPos.x + a.gridPos.w, `${file.path} panel ${a.id}`).toBeLessThanOrEqual(24);
        for (const b of json.panels.slice(0, i)) {
          const overlap = a.gridPos.x < b.gridPos.x + b.gridPos.w && b.gridPos.x < a.gridPos.x + a.gridPos.w && a.gridPos.y < b.gridPos.y + b.gridPos.h && b.gridPos.y < a.gridPos.y + a.gridPos.h;
          expect(overlap, `${file.path}: panels ${a.id} and ${b.id} overlap`).toBe(false);
        }
      }
    }
  });

  it('holds no literal credential: secrets are *_file references or Grafana $__file/$__env', () => {
    const suspicious = [
      /hooks\.slack\.com\/services\//,
      /\b[0-9a-f]{32}\b/, // PagerDuty integration keys
      /(?:^|\s)(?:service_key|routing_key|api_url|slack_api_url|auth_password|smtp_auth_password|password|api_key|token):\s/m,
      /\$\{[A-Z_]+\}/, // environment placeholders Alertmanager sends literally
      /YOUR_[A-Z_]+/,
    ];
    for (const file of outputs) {
      for (const pattern of suspicious) expect(pattern.test(file.content), `${file.path} matches ${pattern}`).toBe(false);
    }
    const secretFields = outputs.filter((o) => o.path.startsWith('alertmanager/')).flatMap((o) => [...o.content.matchAll(/^\s*(\w+_file): (.+)$/gm)].map((m) => m[2]!));
    expect(secretFields.length).toBeGreaterThan(0);
    for (const value of secretFields) expect(value).toMatch(/^\/etc\/alertmanager\/secrets\/[\w.-]+$/);
  });

  const promtool = requireTool('promtool');
  it.skipIf(!promtool)('every rule file passes promtool check rules', () => {
    const dir = path.join(outDir, 'prometheus', 'rules');
    const files = readdirSync(dir).map((f) => path.join(dir, f));
    expect(files.map((f) => path.basename(f)).sort()).toEqual([
      'agent-api-slos.rules.yml',
      'agent-api.rules.yml',
      'alfred-platform.rules.yml',
      'bot-core-slos.rules.yml',
      'bot-core.rules.yml',
      'freeagentics-slos.rules.yml',
      'freeagentics.rules.yml',
      'toolboxai.rules.yml',
    ]);
    const result = runTool(promtool!, ['check', 'rules', ...files]);
    expect(result.code, result.output).toBe(0);
  });

  it.skipIf(!promtool)(
    'the generated SLO unit tests and the seeds’ rule tests pass promtool test rules',
    async () => {
      const dir = path.join(outDir, 'prometheus', 'tests');
      const files = readdirSync(dir);
      // A system with a tests.ts (its ruleTest()s) has a <system>.test.yml beside its SLO tests.
      const ruleTests = Object.values(SEEDS)
        .map((s) => s.folder)
        .filter((folder) => existsSync(path.join(REPO_ROOT, 'definitions', folder, 'tests.ts')))
        .map((folder) => `${folder}.test.yml`);
      expect(ruleTests.length).toBeGreaterThan(0);
      expect(files.sort()).toEqual(['agent-api-slos.test.yml', 'bot-core-slos.test.yml', 'freeagentics-slos.test.yml', ...ruleTests].sort());
      // One promtool per file, side by side: each replays hours of synthetic traffic.
      const results = await Promise.all(files.map((file) => runToolAsync(promtool!, ['test', 'rules', file], dir)));
      results.forEach((result, i) => {
        expect(result.code, `${files[i]}: ${result.output}`).toBe(0);
        expect(result.output).toContain('SUCCESS');
      });
    },
    300_000,
  );

  const amtool = requireTool('amtool');
  it.skipIf(!amtool)('every Alertmanager configuration passes amtool check-config', () => {
    const dir = path.join(outDir, 'alertmanager');
    const systems = readdirSync(dir);
    expect(systems.sort()).toEqual(
      Object.values(SEEDS)
        .map((s) => s.folder)
        .sort(),
    );
    for (const system of systems) {
      const result = runTool(amtool!, ['check-config', path.join(dir, system, 'alertmanager.yml')]);
      expect(result.code, `${system}: ${result.output}`).toBe(0);
      expect(result.output).toContain('SUCCESS');
    }
  });
});
