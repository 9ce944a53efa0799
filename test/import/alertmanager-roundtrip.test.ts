import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { compareAlertmanager } from '../../src/import/compare-alertmanager.js';
import { LINT_RULE_IDS } from '../../src/model/suppression.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

/**
 * Alertmanager configurations imported and rebuilt: the seeds' own alertmanager.yml files and
 * one that uses every part moncode models (each receiver kind it types, time intervals, inhibit
 * rules, templates, the deprecated match/match_re). The rebuilt file must equal the input as
 * values after normalising what Alertmanager reads alike — `match`/`match_re` as `matchers`,
 * a literal credential as its `*_file` (the importer moves credentials out of the definition) —
 * and amtool must accept it.
 */

const SEEDS = path.join(REPO_ROOT, 'test/fixtures/seeds');

const FULL = `# Routing of the payments team.
global:
  resolve_timeout: 5m
  smtp_smarthost: smtp.example.com:587
  smtp_from: alerts@example.com
  smtp_auth_username: alerts
  smtp_auth_password_file: /etc/alertmanager/secrets/smtp
  slack_api_url_file: /etc/alertmanager/secrets/slack
templates:
  - /etc/alertmanager/templates/*.tmpl
route:
  receiver: default
  group_by: [alertname, job]
  group_wait: 30s
  routes:
    # Pages first, and on to the chat.
    - match:
        severity: critical
      match_re:
        service: "payments|ledger\\\\..*"
      receiver: pager
      continue: true
      active_time_intervals: [office-hours]
    - matchers: ['team="db"', 'env!~"dev|test"']
      receiver: mail
      mute_time_intervals: [weekends]
      routes:
        - matchers: ['severity="warning"']
          receiver: hook
          group_interval: 10m
          repeat_interval: 12h
receivers:
  - name: default
    slack_configs:
      - channel: '#alerts'
        send_resolved: true
        title: '{{ .GroupLabels.alertname }}'
        text: |-
          {{ range .Alerts }}{{ .Annotations.summary }}
          {{ end }}
  - name: pager
    pagerduty_configs:
      - routing_key_file: /etc/alertmanager/secrets/pd
        severity: critical
        details:
          firing: '{{ template "pagerduty.default.instances" .Alerts.Firing }}'
  - name: mail
    email_configs:
      - to: db-team@example.com
        require_tls: true
        headers:
          Subject: 'DB: {{ .GroupLabels.alertname }}'
  - name: hook
    webhook_configs:
      - url: http://hooks.internal:9000/alerts
        max_alerts: 10
        http_config:
          authorization:
            credentials_file: /etc/alertmanager/secrets/hook
  - name: silent
inhibit_rules:
  - source_match:
      severity: critical
    target_matchers: ['severity=~"warning|info"']
    equal: [alertname, job]
time_intervals:
  - name: office-hours
    time_intervals:
      - weekdays: ['monday:friday']
        times:
          - start_time: '09:00'
            end_time: '17:00'
        location: Europe/London
  - name: weekends
    time_intervals:
      - weekdays: [saturday, sunday]
`;

const SECRET = /^(api_url|slack_api_url|routing_key|service_key|auth_password|smtp_auth_password|credentials|password)(_file)?$/;

/** The configuration as Alertmanager reads it, for comparison. */
function normalize(config: Record<string, unknown>): unknown {
  const value = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(value);
    if (v === null || typeof v !== 'object') return v;
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1))) {
      // A credential is there, in the file or (before import) in the config: it is moved, not lost.
      const secret = SECRET.exec(key);
      if (secret) out[secret[1]!] = '<credential>';
      else out[key] = value(item);
    }
    return out;
  };
  const matchers = (node: Record<string, unknown>, prefix = ''): string[] => {
    const list = [...((node[`${prefix}matchers`] as string[] | undefined) ?? [])];
    for (const [label, v] of Object.entries((node[`${prefix}match`] as Record<string, string> | undefined) ?? {})) list.push(`${label}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    for (const [label, v] of Object.entries((node[`${prefix}match_re`] as Record<string, string> | undefined) ?? {})) list.push(`${label}=~"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`);
    delete node[`${prefix}match`];
    delete node[`${prefix}match_re`];
    return list.sort();
  };
  const route = (node: Record<string, unknown>): Record<string, unknown> => {
    const out = { ...node };
    const list = matchers(out);
    if (list.length > 0) out.matchers = list;
    if (Array.isArray(out.routes)) out.routes = (out.routes as Array<Record<string, unknown>>).map(route);
    return out;
  };
  const copy: Record<string, unknown> = { ...config, route: route(config.route as Record<string, unknown>) };
  copy.receivers = [...((config.receivers as Array<{ name: string }>) ?? [])].sort((a, b) => (a.name < b.name ? -1 : 1));
  if (config.inhibit_rules) {
    copy.inhibit_rules = (config.inhibit_rules as Array<Record<string, unknown>>).map((rule) => {
      const out = { ...rule };
      for (const side of ['source_', 'target_']) out[`${side}matchers`] = matchers(out, side);
      return out;
    });
  }
  if (config.time_intervals) copy.time_intervals = [...(config.time_intervals as Array<{ name: string }>)].sort((a, b) => (a.name < b.name ? -1 : 1));
  return value(copy);
}

const CONFIG = `import { defineConfig } from 'moncode';
export default defineConfig({ lint: { rules: { ${LINT_RULE_IDS.map((id) => `'${id}': 'off'`).join(', ')} } } });
`;

const CASES: Array<{ name: string; text: string }> = [
  { name: 'every modelled part', text: FULL },
  ...['000-alfred-platform', '003-agent-api', '004-freeagentics'].map((seed) => ({ name: `seed ${seed}`, text: readFileSync(path.join(SEEDS, seed, 'alertmanager.yml'), 'utf8') })),
];

describe('Alertmanager configurations round-trip through mon-import and mon-build', () => {
  const amtool = requireTool('amtool');
  it.each(CASES)('$name', { timeout: 120_000 }, async ({ text }) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG, 'input/alertmanager.yml': text });
    const imported = await runImport({ cwd: dir, paths: ['input/alertmanager.yml'], system: 'am' });
    expect(imported.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    const module = readFileSync(path.join(dir, 'definitions/am/alertmanager.ts'), 'utf8');
    // Receivers are declared once and routes refer to them by object.
    expect(module).toMatch(/receiver: [a-z]\w*,/);
    expect(module).not.toMatch(/\bmatch(_re)?:/);
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const output = readFileSync(path.join(dir, 'out/alertmanager/am/alertmanager.yml'), 'utf8');
    expect(normalize(parseYaml(output) as Record<string, unknown>)).toEqual(normalize(parseYaml(text) as Record<string, unknown>));
    // What mon-import --report compares finds no difference either.
    expect(compareAlertmanager(parseYaml(text) as Record<string, unknown>, parseYaml(output) as Record<string, unknown>)).toEqual([]);
    if (amtool) {
      const checked = runTool(amtool, ['check-config', path.join(dir, 'out/alertmanager/am/alertmanager.yml')]);
      expect(checked.output).toContain('SUCCESS');
      expect(checked.code).toBe(0);
    }
  });

  it('never drops a receiver kind moncode does not model: it is kept as written and said so', async () => {
    // A kind from a release after the ones moncode knows, beside a typed one with a field its type lacks.
    const text = `route:\n  receiver: ops\nreceivers:\n  - name: ops\n    pigeon_configs:\n      - loft: roof\n    opsgenie_configs:\n      - api_key_file: /etc/alertmanager/secrets/opsgenie\n        priority: P1\n        visible_to: db\n`;
    const dir = makeProject({ 'input/alertmanager.yml': text });
    const imported = await runImport({ cwd: dir, paths: ['input/alertmanager.yml'], system: 'am', dryRun: true });
    const module = imported.files.find((f) => f.path === 'am/alertmanager.ts')!.content;
    expect(module).toContain(`pigeon_configs: [{ loft: 'roof' }]`);
    expect(module).toContain(`opsgenie_configs: [{ api_key: fromFile('/etc/alertmanager/secrets/opsgenie'), priority: 'P1', visible_to: 'db' } as OpsgenieConfig]`);
    // The argument is cast: receiver() type-checks what it is given.
    expect(module).toContain('} as Receiver);');
    expect(imported.diagnostics.map((d) => `${d.rule} ${d.severity} ${d.line}: ${d.message}`)).toEqual([
      'import/kept-as-written info 6: receiver "ops": moncode\'s Receiver type has no `pigeon_configs`; kept as written (the receiver is cast to Receiver)',
      'import/kept-as-written info 8: receiver "ops": `visible_to` is not in moncode\'s OpsgenieConfig type; kept as written (as OpsgenieConfig)',
    ]);
  });

  it('moves a literal credential out of the definition, with a warning at it', async () => {
    const dir = makeProject({
      'input/alertmanager.yml': `route:\n  receiver: chat\nreceivers:\n  - name: chat\n    slack_configs:\n      - channel: '#x'\n        api_url: https://hooks.slack.com/services/T0/B0/abcdefabcdef\n`,
    });
    const imported = await runImport({ cwd: dir, paths: ['input'], system: 'am' });
    const module = readFileSync(path.join(dir, 'definitions/am/alertmanager.ts'), 'utf8');
    expect(module).not.toContain('hooks.slack.com');
    expect(module).toContain(`api_url: fromFile('/etc/alertmanager/secrets/chat-api_url')`);
    expect(imported.diagnostics.map((d) => `${d.rule} ${d.severity} ${d.line}:${d.column}`)).toEqual(['import/secret-moved warning 7:18']);
  });
});
