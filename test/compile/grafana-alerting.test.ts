import path from 'node:path';
import { Ajv } from 'ajv';
import { beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { build, type BuildResult } from '../../src/commands/build.js';
import { GRAFANA_ALERTING_SCHEMA } from '../../src/model/grafana-alerting.schema.gen.js';
import { runBin } from '../helpers/cli.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

type Json = Record<string, any>;

const validate = new Ajv({ allErrors: true, strict: false }).compile(GRAFANA_ALERTING_SCHEMA);

function schemaErrors(file: unknown): string[] {
  return validate(file) ? [] : validate.errors!.map((e) => `${e.instancePath} ${e.message}`);
}

function alertingFiles(result: BuildResult): Map<string, Json> {
  return new Map(result.outputs.filter((o) => o.path.startsWith('grafana/provisioning/alerting/')).map((o) => [o.path, YAML.parse(o.content) as Json]));
}

/** 1-based line and column of both ends of the only occurrence of `span` in `text`, the end exclusive. */
function spanOf(text: string, span: string): { line: number; column: number; endLine: number; endColumn: number } {
  const start = text.indexOf(span);
  expect(start, `"${span}" is in the file`).toBeGreaterThanOrEqual(0);
  expect(text.indexOf(span, start + 1), `"${span}" is in the file once`).toBe(-1);
  const at = (offset: number) => {
    const before = text.slice(0, offset).split('\n');
    return { line: before.length, column: before[before.length - 1]!.length + 1 };
  };
  const end = at(start + span.length);
  return { ...at(start), endLine: end.line, endColumn: end.column };
}

const SEED_CONFIG = (systems: string[]) => `import { defineConfig } from 'moncode';
export default defineConfig({
  definitions: ${JSON.stringify(path.join(REPO_ROOT, 'definitions'))},
  grafana: { defaultDatasource: 'agent-api-prometheus' },
  // Grafana evaluates rule groups on multiples of 10s: the seeds' 15s becomes 30s here.
  systems: { ${systems.map((s) => `'${s}': { grafana: { alerting: 'grafana' }, prometheus: { evaluationInterval: '30s' } }`).join(', ')} },
  lint: { runbookBaseUrls: ['https://github.com/moncode/moncode/blob/main/'] },
});
`;

describe('Grafana-managed alerting of the seed systems', () => {
  let seeds: BuildResult;
  beforeAll(async () => {
    seeds = await build({ cwd: makeProject({ 'mon.config.ts': SEED_CONFIG(['agent-api', 'alfred-platform', 'bot-core', 'freeagentics', 'toolboxai']) }), check: true });
  }, 300_000);

  it('every file written validates against the schema generated from Grafana\u2019s types', () => {
    const files = alertingFiles(seeds);
    expect([...files.keys()].sort()).toEqual(['agent-api', 'alfred-platform', 'bot-core', 'freeagentics', 'policies', 'toolboxai'].map((name) => `grafana/provisioning/alerting/${name}.yaml`));
    for (const [file, json] of files) expect(schemaErrors(json), file).toEqual([]);
  });

  it('refuses, at the definition, exactly what Grafana cannot do for them: v1 PagerDuty keys, inhibit rules, a receiver that sends nothing', () => {
    const errors = seeds.diagnostics.filter((d) => d.severity === 'error').map((d) => `${path.relative(REPO_ROOT, d.file!)}:${d.line} ${d.rule} ${d.message}`);
    const pagerduty = "Grafana's PagerDuty contact point sends Events API v2 only";
    expect(errors).toEqual([
      expect.stringMatching(/^definitions\/agent-api\/alertmanager.ts:10 definition\/unsupported /),
      expect.stringMatching(/^definitions\/alfred-platform\/alertmanager.ts:7 definition\/unsupported /),
      expect.stringMatching(/^definitions\/bot-core\/alertmanager.ts:16 definition\/unsupported /),
      expect.stringMatching(/^definitions\/bot-core\/alertmanager.ts:40 definition\/unsupported /),
      expect.stringMatching(/^definitions\/bot-core\/alertmanager.ts:41 definition\/unsupported /),
      expect.stringMatching(/^definitions\/freeagentics\/alertmanager.ts:11 definition\/unsupported /),
    ]);
    for (const i of [0, 1, 5]) expect(errors[i]).toContain(pagerduty);
    expect(errors[2]).toContain('receiver "log-only" sends nothing');
    for (const i of [3, 4]) expect(errors[i]).toContain('has no inhibit rules');
    expect(seeds.exitCode).toBe(1);
  });

  it('seed 002 (toolboxai): every rule of its rule files, with the same PromQL, for, labels; its routes as one subtree of the policy tree', () => {
    const rules = seeds.outputs
      .filter((o) => o.path.startsWith('prometheus/rules/toolboxai'))
      .flatMap((o) => (YAML.parse(o.content) as Json).groups.flatMap((g: Json) => g.rules.map((r: Json) => ({ ...r, group: g.name }))));
    const file = alertingFiles(seeds).get('grafana/provisioning/alerting/toolboxai.yaml')!;
    const compiled = file.groups.flatMap((g: Json) => g.rules.map((r: Json) => ({ ...r, group: g.name, folder: g.folder, interval: g.interval })));
    expect(compiled).toHaveLength(rules.length);
    rules.forEach((rule: Json, i: number) => {
      const grafana = compiled[i];
      expect(grafana).toMatchObject({ title: rule.alert ?? rule.record, group: rule.group, folder: 'toolboxai', interval: '30s' });
      expect(grafana.data[0].model.expr).toBe(rule.expr);
      expect(grafana.data[0].datasourceUid).toBe('toolboxai-prometheus');
      if (rule.alert) {
        expect(grafana).toMatchObject({ condition: 'B', for: rule.for ?? '0s', noDataState: 'OK', execErrState: 'KeepLast' });
        expect(grafana.labels).toEqual(rule.labels);
      }
      expect(grafana.uid).toMatch(/^[a-z0-9-]{1,40}$/);
    });
    expect(new Set(compiled.map((r: Json) => r.uid)).size).toBe(compiled.length);
    expect(file.contactPoints.map((c: Json) => c.name)).toEqual(['toolboxai/fastapi-webhook', 'toolboxai/email-critical', 'toolboxai/slack-warnings']);
    expect(file.muteTimes.map((m: Json) => m.name)).toEqual(['toolboxai/weekends', 'toolboxai/after-hours']);
    const tree = alertingFiles(seeds).get('grafana/provisioning/alerting/policies.yaml')!.policies[0];
    const subtree = tree.routes.find((r: Json) => r.object_matchers[0][2] === 'toolboxai');
    expect(subtree).toMatchObject({ receiver: 'toolboxai/fastapi-webhook', group_by: ['alertname', 'job'], group_wait: '30s', group_interval: '5m', repeat_interval: '4h' });
    expect(subtree.routes).toEqual([
      { receiver: 'toolboxai/fastapi-webhook', continue: true },
      { receiver: 'toolboxai/email-critical', object_matchers: [['severity', '=', 'critical']] },
      { receiver: 'toolboxai/slack-warnings', mute_time_intervals: ['toolboxai/weekends', 'toolboxai/after-hours'], object_matchers: [['severity', '=', 'warning']] },
    ]);
  });

  it("keeps the system's rule files and alertmanager.yml for mon-test only, and says so in them", () => {
    const rules = seeds.outputs.find((o) => o.path === 'prometheus/rules/toolboxai.rules.yml')!.content;
    expect(rules.split('\n')[0]).toContain("System toolboxai's alerting is Grafana-managed (grafana/provisioning/alerting/toolboxai.yaml)");
    const am = seeds.outputs.find((o) => o.path === 'alertmanager/toolboxai/alertmanager.yml')!.content;
    expect(am.split('\n')[0]).toContain('do not deploy it');
  });
});

const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({ grafana: { alerting: 'grafana' } });\n`;
const DS = `import { datasource } from 'moncode';\nexport const prom = datasource({ name: 'Ops Prometheus', type: 'prometheus', uid: 'ops-prom', url: 'http://prometheus:9090' });\n`;
const RULES = `import { ruleGroup } from 'moncode';
export default ruleGroup({
  name: 'ops',
  interval: '1m',
  rules: [
    { record: 'job:up:sum', expr: 'sum by (job) (up)', labels: { team: 'ops' } },
    {
      alert: 'TargetDown',
      expr: 'up == 0',
      for: '5m',
      keep_firing_for: '10m',
      labels: { severity: 'critical', instance_label: '{{ $labels.instance }}' },
      annotations: { summary: '{{ $labels.job }} is down', description: 'value {{ $value | humanize }}, $values as text', runbook_url: 'https://runbooks.example/up' },
    },
  ],
});
`;
const AM = (receivers: string, route = '', extra = '') => `import { alertmanager, fromFile, receiver, timeInterval } from 'moncode';
const nights = timeInterval('nights', { times: [{ start_time: '20:00', end_time: '24:00' }], location: 'Europe/Paris' });
${receivers}
export default alertmanager({
  global: { slack_api_url: fromFile('/run/secrets/slack') },
  route: { receiver: pager, group_by: ['alertname', 'job'], group_wait: '30s', routes: [${route}] },
${extra}});
`;
const PAGER = `const pager = receiver({ name: 'pager', pagerduty_configs: [{ routing_key: fromFile('/run/secrets/pd'), severity: 'critical' }] });\n`;
const CHAT = `const chat = receiver({ name: 'chat', slack_configs: [{ channel: '#ops', title: '{{ .CommonLabels.alertname }} $x' }] });\n`;
const HOOK = `const hook = receiver({ name: 'hook', webhook_configs: [{ url: 'http://hooks.internal/alert', http_config: { authorization: { credentials: fromFile('/run/secrets/hook') } } }] });\n`;

async function buildOps(files: Record<string, string>) {
  const all: Record<string, string> = { 'mon.config.ts': CONFIG, 'definitions/ops/datasources.ts': DS, 'definitions/ops/rules.ts': RULES, ...files };
  const result = await build({ cwd: makeProject(all), check: true });
  return { result, files: all, alerting: alertingFiles(result) };
}

describe('compiling rules, routes, mute timings and secrets', () => {
  let ops: Awaited<ReturnType<typeof buildOps>>;
  beforeAll(async () => {
    ops = await buildOps({
      'definitions/ops/alertmanager.ts': AM(
        PAGER + CHAT + HOOK,
        `{ matchers: ['severity=~"critical|page"', 'team!="db"'], receiver: chat, continue: true, mute_time_intervals: [nights] }, { receiver: hook, active_time_intervals: [nights], routes: [{ matchers: ['job="api"'], receiver: pager, repeat_interval: '1h' }] }`,
      ),
    });
  }, 120_000);

  it('builds clean and every file validates; keep_firing_for is a warning at its line (grafana/grafana#109367)', () => {
    const problems = ops.result.diagnostics.filter((d) => d.severity !== 'info');
    expect(problems.map((d) => [d.severity, d.rule])).toEqual([['warning', 'grafana/alerting-unapplied']]);
    expect(problems[0]).toMatchObject({ file: 'definitions/ops/rules.ts', ...spanOf(RULES, "keep_firing_for: '10m'") });
    for (const [file, json] of ops.alerting) expect(schemaErrors(json), file).toEqual([]);
  });

  const rules = () => ops.alerting.get('grafana/provisioning/alerting/ops.yaml')!.groups[0];

  it.each([
    [
      'the group: its folder is the system, its interval as written',
      (g: Json) => expect({ ...g, rules: undefined }).toEqual({ orgId: 1, name: 'ops', folder: 'ops', interval: '1m', rules: undefined }),
    ],
    [
      'a recording rule: query A, recorded into the same Prometheus',
      (g: Json) =>
        expect(g.rules[0]).toEqual({
          uid: expect.stringMatching(/^job-up-sum-[0-9a-f]{12}$/),
          title: 'job:up:sum',
          data: [
            {
              refId: 'A',
              datasourceUid: 'ops-prom',
              relativeTimeRange: { from: 600, to: 0 },
              model: { refId: 'A', datasource: { type: 'prometheus', uid: 'ops-prom' }, expr: 'sum by (job) (up)', instant: true, range: false },
            },
          ],
          record: { metric: 'job:up:sum', from: 'A', targetDatasourceUid: 'ops-prom' },
          labels: { team: 'ops' },
          isPaused: false,
        }),
    ],
    [
      'an alert: the PromQL as written, a condition true for every sample it returns, no data is OK',
      (g: Json) => {
        const rule = g.rules[1];
        expect(rule.data[0].model.expr).toBe('up == 0');
        expect(rule.condition).toBe('B');
        expect(rule.data[1]).toEqual({
          refId: 'B',
          datasourceUid: '__expr__',
          relativeTimeRange: { from: 0, to: 0 },
          model: { refId: 'B', datasource: { type: '__expr__', uid: '__expr__' }, type: 'math', expression: 'is_number($A) || is_nan($A) || is_inf($A) || is_null($A)' },
        });
        expect(rule).toMatchObject({ title: 'TargetDown', for: '5m', keepFiringFor: '10m', noDataState: 'OK', execErrState: 'KeepLast' });
      },
    ],
    [
      "templates: labels escaped for provisioning's interpolation ($$), annotations as written, Prometheus' $value as $values.A.Value",
      (g: Json) => {
        expect(g.rules[1].labels).toEqual({ severity: 'critical', instance_label: '{{ $$labels.instance }}' });
        expect(g.rules[1].annotations).toEqual({
          summary: '{{ $labels.job }} is down',
          description: 'value {{ $values.A.Value | humanize }}, $values as text',
          runbook_url: 'https://runbooks.example/up',
        });
      },
    ],
  ])('%s', (_name, check) => check(rules()));

  it.each([
    [
      'pagerduty: routing_key as $__file{}, resolved notifications as Alertmanager sends them',
      'ops/pager',
      [{ type: 'pagerduty', settings: { integrationKey: '$__file{/run/secrets/pd}', severity: 'critical' }, disableResolveMessage: false }],
    ],
    [
      "slack: the channel, global.slack_api_url as $__file{}, a template's $ escaped, no resolved notifications (Alertmanager's default)",
      'ops/chat',
      [{ type: 'slack', settings: { recipient: '#ops', title: '{{ .CommonLabels.alertname }} $$x', url: '$__file{/run/secrets/slack}' }, disableResolveMessage: true }],
    ],
    [
      'webhook: the bearer credentials as $__file{}',
      'ops/hook',
      [{ type: 'webhook', settings: { url: 'http://hooks.internal/alert', authorization_credentials: '$__file{/run/secrets/hook}' }, disableResolveMessage: false }],
    ],
  ])('%s', (_name, name, receivers) => {
    const point = ops.alerting.get('grafana/provisioning/alerting/ops.yaml')!.contactPoints.find((c: Json) => c.name === name);
    expect(point.receivers.map(({ uid: _, ...rest }: Json) => rest)).toEqual(receivers);
    expect(point.receivers[0].uid).toMatch(/^cp-[0-9a-f]{20}$/);
  });

  it('the route tree: a subtree matching the folder, matchers as object_matchers, continue, mute and active timings', () => {
    const tree = ops.alerting.get('grafana/provisioning/alerting/policies.yaml')!.policies[0];
    expect(tree).toEqual({
      orgId: 1,
      receiver: 'ops/pager',
      group_by: ['grafana_folder', 'alertname'],
      routes: [
        {
          receiver: 'ops/pager',
          group_by: ['alertname', 'job'],
          group_wait: '30s',
          object_matchers: [['grafana_folder', '=', 'ops']],
          routes: [
            {
              receiver: 'ops/chat',
              continue: true,
              mute_time_intervals: ['ops/nights'],
              object_matchers: [
                ['severity', '=~', 'critical|page'],
                ['team', '!=', 'db'],
              ],
            },
            { receiver: 'ops/hook', active_time_intervals: ['ops/nights'], routes: [{ receiver: 'ops/pager', repeat_interval: '1h', object_matchers: [['job', '=', 'api']] }] },
          ],
        },
      ],
    });
    expect(ops.alerting.get('grafana/provisioning/alerting/ops.yaml')!.muteTimes).toEqual([
      { orgId: 1, name: 'ops/nights', time_intervals: [{ times: [{ start_time: '20:00', end_time: '24:00' }], location: 'Europe/Paris' }] },
    ]);
  });

  it('is deterministic: a second build writes the same bytes', async () => {
    const again = await build({ cwd: makeProject(ops.files), check: true });
    expect(again.outputs.filter((o) => o.path.startsWith('grafana/provisioning/alerting/'))).toEqual(ops.result.outputs.filter((o) => o.path.startsWith('grafana/provisioning/alerting/')));
  }, 120_000);

  it('the schema is an oracle: a long uid, an unknown field, a contact point without type are refused', () => {
    const file = structuredClone(ops.alerting.get('grafana/provisioning/alerting/ops.yaml')!);
    file.groups[0].rules[0].uid = 'x'.repeat(41);
    file.groups[0].rules[1].expr = 'up == 0';
    delete file.contactPoints[0].receivers[0].type;
    const errors = schemaErrors(file).join('\n');
    expect(errors).toContain('/groups/0/rules/0/uid must match pattern');
    expect(errors).toContain('must NOT have additional properties');
    expect(errors).toContain("must have required property 'type'");
  });
});

const KINDS = `const pager = receiver({
  name: 'pager',
  opsgenie_configs: [{ api_key: fromFile('/run/secrets/og'), api_url: 'https://api.eu.opsgenie.com/', message: '{{ .CommonLabels.alertname }}', responders: [{ name: 'ops', type: 'team' }] }],
  discord_configs: [{ webhook_url: fromFile('/run/secrets/discord'), title: 'Alert', send_resolved: false }],
  telegram_configs: [{ bot_token: fromFile('/run/secrets/telegram'), chat_id: -1001234, message_thread_id: 7, parse_mode: '' }],
  msteams_configs: [{ webhook_url: fromFile('/run/secrets/teams'), title: 'Alert', text: 'Body' }],
});
`;

describe('receiver kinds beyond the seeds (Alertmanager 0.28 definitions)', () => {
  it.each([
    [
      'opsgenie: api_key as $__file{}, api_url as the alerts URL Alertmanager posts to, responders as they are',
      {
        type: 'opsgenie',
        settings: { apiKey: '$__file{/run/secrets/og}', apiUrl: 'https://api.eu.opsgenie.com/v2/alerts', message: '{{ .CommonLabels.alertname }}', responders: [{ name: 'ops', type: 'team' }] },
        disableResolveMessage: false,
      },
    ],
    [
      'discord: the webhook URL as $__file{}, send_resolved: false as disableResolveMessage',
      { type: 'discord', settings: { url: '$__file{/run/secrets/discord}', title: 'Alert' }, disableResolveMessage: true },
    ],
    [
      "telegram: the bot token as $__file{}, chat and thread ids as Grafana's strings, Alertmanager's plain-text '' as None",
      { type: 'telegram', settings: { bottoken: '$__file{/run/secrets/telegram}', chatid: '-1001234', message_thread_id: '7', parse_mode: 'None' }, disableResolveMessage: false },
    ],
    ['msteams: Grafana teams, text as its message', { type: 'teams', settings: { url: '$__file{/run/secrets/teams}', title: 'Alert', message: 'Body' }, disableResolveMessage: false }],
  ])(
    '%s',
    async (_name, integration) => {
      const { result, alerting } = await buildKinds();
      expect(result.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
      const receivers = alerting.get('grafana/provisioning/alerting/ops.yaml')!.contactPoints[0].receivers.map(({ uid: _, ...rest }: Json) => rest);
      expect(receivers).toContainEqual(integration);
      for (const [file, json] of alerting) expect(schemaErrors(json), file).toEqual([]);
    },
    120_000,
  );
});

let kinds: ReturnType<typeof buildOps> | undefined;
function buildKinds(): ReturnType<typeof buildOps> {
  kinds ??= buildOps({
    'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({ grafana: { alerting: 'grafana' }, alertmanager: { version: '0.28' } });\n`,
    'definitions/ops/alertmanager.ts': AM(KINDS),
  });
  return kinds;
}

describe('what Grafana alerting cannot express is an error at its line', () => {
  it.each([
    [
      'an inhibit rule',
      AM(PAGER, '', '  inhibit_rules: [{ source_matchers: [\'severity="critical"\'], target_matchers: [\'severity="warning"\'] }],\n'),
      '{ source_matchers: [\'severity="critical"\'], target_matchers: [\'severity="warning"\'] }',
      'has no inhibit rules',
    ],
    [
      'a receiver kind moncode does not map',
      AM(PAGER + `const genie = receiver({ name: 'genie', victorops_configs: [{ api_key: fromFile('/run/secrets/vo'), routing_key: 'ops' }] });\n`, '{ receiver: genie }'),
      "victorops_configs: [{ api_key: fromFile('/run/secrets/vo'), routing_key: 'ops' }]",
      '`victorops_configs` is not compiled to a Grafana contact point',
    ],
    [
      'a field Grafana has no counterpart for',
      AM(PAGER + `const chat = receiver({ name: 'chat', slack_configs: [{ channel: '#ops', title_link: 'https://x' }] });\n`, '{ receiver: chat }'),
      "title_link: 'https://x'",
      '`title_link` of slack_configs has no counterpart',
    ],
    [
      'a v1 PagerDuty service key',
      AM(`const pager = receiver({ name: 'pager', pagerduty_configs: [{ service_key: fromFile('/run/secrets/pd') }] });\n`),
      "service_key: fromFile('/run/secrets/pd')",
      'sends Events API v2 only',
    ],
    ['Alertmanager template files', AM(PAGER, '', "  templates: ['/etc/alertmanager/*.tmpl'],\n"), "templates: ['/etc/alertmanager/*.tmpl']", 'not as Alertmanager template files'],
    [
      'an email header other than Subject',
      AM(PAGER + `const mail = receiver({ name: 'mail', email_configs: [{ to: 'ops@example.com', headers: { Subject: 'x', 'X-Team': 'ops' } }] });\n`, '{ receiver: mail }'),
      "'X-Team': 'ops'",
      'email header X-Team has no counterpart',
    ],
  ])(
    '%s',
    async (_name, source, span, message) => {
      const { result, files } = await buildOps({ 'definitions/ops/alertmanager.ts': source });
      const errors = result.diagnostics.filter((d) => d.severity === 'error');
      expect(errors.map((e) => e.message)).toEqual([expect.stringContaining(message)]);
      expect(errors[0]).toMatchObject({ file: 'definitions/ops/alertmanager.ts', ...spanOf(files['definitions/ops/alertmanager.ts'], span) });
      expect(result.exitCode).toBe(1);
    },
    120_000,
  );

  it("an interval that is not a multiple of Grafana's 10s, at the group's interval", async () => {
    const rules = RULES.replace("interval: '1m'", "interval: '15s'");
    const { result } = await buildOps({ 'definitions/ops/rules.ts': rules });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('15s is not one')]);
    expect(errors[0]).toMatchObject({ file: 'definitions/ops/rules.ts', ...spanOf(rules, "interval: '15s'") });
  }, 120_000);

  it("a rule title over Grafana's 190 bytes, at the alert name", async () => {
    const rules = RULES.replace("alert: 'TargetDown'", `alert: '${'T'.repeat(191)}'`);
    const { result } = await buildOps({ 'definitions/ops/rules.ts': rules });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('is 191 bytes; a Grafana rule title takes at most 190')]);
    expect(errors[0]).toMatchObject({ file: 'definitions/ops/rules.ts', ...spanOf(rules, `alert: '${'T'.repeat(191)}'`) });
  }, 120_000);

  it("a Grafana-managed system without alertmanager() beside one with it: its alerts would reach the other's root receiver", async () => {
    const other = `import { ruleGroup } from 'moncode';\nexport default ruleGroup({ name: 'web', interval: '1m', rules: [{ alert: 'WebDown', expr: 'up == 0', labels: { severity: 'info' } }] });\n`;
    const { result } = await buildOps({
      'definitions/ops/alertmanager.ts': AM(PAGER),
      'definitions/web/datasources.ts': DS.replace("'Ops Prometheus'", "'Web Prometheus'").replace("'ops-prom'", "'web-prom'"),
      'definitions/web/rules.ts': other,
    });
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining("system web's alerting is Grafana-managed but it has no alertmanager() definition")]);
    expect(errors[0]!.message).toContain('ops/pager');
    expect(errors[0]).toMatchObject({ file: 'definitions/web/rules.ts', line: 2 });
  }, 120_000);

  it.each([
    ['Grafana older than 12', `grafana: { version: '11.6', alerting: 'grafana' }`, "alerting: 'grafana'", 'Grafana 12 or later'],
    ['a Loki ruler system', `prometheus: { flavor: 'loki' }, grafana: { alerting: 'grafana' }`, "alerting: 'grafana'", 'the rules\u2019 flavor is loki'.replace('\u2019', "'")],
  ])('a bad config: %s (exit 2, one line)', (_name, settings, span, message) => {
    const config = `import { defineConfig } from 'moncode';\nexport default defineConfig({ ${settings} });\n`;
    const run = runBin('mon-build', ['--check'], makeProject({ 'mon.config.ts': config, 'definitions/ops/datasources.ts': DS }));
    expect(run.code).toBe(2);
    const { line, column } = spanOf(config, span);
    expect(run.stderr.trim().split('\n')).toEqual([expect.stringContaining(`mon.config.ts:${line}:${column}`)]);
    expect(run.stderr).toContain(message);
  });
});
