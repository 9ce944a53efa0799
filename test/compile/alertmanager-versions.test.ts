import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { build } from '../../src/commands/build.js';
import { alertmanagerSchema as schemaFor } from '../helpers/alertmanager-schema.js';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const amtool = requireTool('amtool');

const CONFIG = (version: string) => `import { defineConfig } from 'moncode';\nexport default defineConfig({ alertmanager: { version: '${version}' } });\n`;
const am = (receivers: string, extra = '') =>
  `import { alertmanager, fromFile, receiver } from 'moncode';\n\nconst all = receiver({\n  name: 'all',\n${receivers}});\n\nexport default alertmanager({\n  route: { receiver: all, group_by: ['alertname'] },\n${extra}});\n`;

const RECEIVERS_025 = `  email_configs: [{ to: 'ops@example.com', from: 'am@example.com', smarthost: 'smtp.example.com:587', auth_password: fromFile('/run/secrets/smtp') }],
  slack_configs: [{ channel: '#alerts', api_url: fromFile('/run/secrets/slack') }],
  pagerduty_configs: [{ routing_key: fromFile('/run/secrets/pd') }],
  webhook_configs: [{ url: 'http://hooks.internal:8080/alert' }],
  opsgenie_configs: [{ api_key: fromFile('/run/secrets/opsgenie'), responders: [{ name: 'ops', type: 'team' }] }],
  victorops_configs: [{ api_key: fromFile('/run/secrets/victorops'), routing_key: 'ops' }],
  webex_configs: [{ room_id: 'room', http_config: { authorization: { credentials: fromFile('/run/secrets/webex') } } }],
  sns_configs: [{ topic_arn: 'arn:aws:sns:eu-west-1:123456789012:alerts', sigv4: { region: 'eu-west-1' } }],
`;
const RECEIVERS_034 = `${RECEIVERS_025}  msteams_configs: [{ webhook_url: fromFile('/run/secrets/teams') }],
  msteamsv2_configs: [{ webhook_url: fromFile('/run/secrets/teams-flow') }],
  discord_configs: [{ webhook_url: fromFile('/run/secrets/discord') }],
  telegram_configs: [{ bot_token: fromFile('/run/secrets/telegram'), chat_id: fromFile('/run/secrets/telegram-chat') }],
  pushover_configs: [{ user_key: fromFile('/run/secrets/po-user'), token: fromFile('/run/secrets/po-token') }],
  wechat_configs: [{ api_secret: fromFile('/run/secrets/wechat'), corp_id: 'corp' }],
  jira_configs: [{ project: 'OPS', issue_type: 'Bug', api_url: 'https://jira.example.com', http_config: { basic_auth: { username: 'am', password: fromFile('/run/secrets/jira') } } }],
  rocketchat_configs: [{ token: fromFile('/run/secrets/rc'), token_id: fromFile('/run/secrets/rc-id'), channel: '#alerts' }],
  incidentio_configs: [{ url: fromFile('/run/secrets/incidentio-url'), alert_source_token: fromFile('/run/secrets/incidentio') }],
  mattermost_configs: [{ webhook_url: fromFile('/run/secrets/mattermost'), channel: 'alerts' }],
`;
const NAMED_INHIBIT = `  inhibit_rules: [{ name: 'critical-mutes-warning', source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],\n`;

async function buildAm(version: string, source: string) {
  const result = await build({ cwd: makeProject({ 'mon.config.ts': CONFIG(version), 'definitions/ops/alertmanager.ts': source }), check: true });
  const file = result.outputs.find((o) => o.path === 'alertmanager/ops/alertmanager.yml')?.content;
  return { result, file, source };
}

describe('Alertmanager versions', () => {
  it('0.25: every receiver kind it has, secrets as *_file, passes amtool check-config (0.25) and no field goes unvalidated', async () => {
    const { result, file } = await buildAm('0.25', am(RECEIVERS_025));
    expect(result.diagnostics.filter((d) => d.severity !== 'info' || d.rule === 'alertmanager/unvalidated').map((d) => d.message)).toEqual([]);
    expect(file).toBeDefined();
    expect(new Ajv({ strict: false }).validate(schemaFor('0.25'), YAML.parse(file!))).toBe(true);
    if (amtool) {
      const scratch = path.join(mkdtempSync(path.join(os.tmpdir(), 'moncode-am-')), 'alertmanager.yml');
      writeFileSync(scratch, file!);
      const check = runTool(amtool, ['check-config', scratch]);
      expect(check.output).toContain('SUCCESS');
      expect(check.code).toBe(0);
    }
  });

  it('0.34: all 18 receiver kinds and a named inhibit rule pass our 0.34 schema, never a literal secret, one info names what no real validator checked', async () => {
    const { result, file } = await buildAm('0.34', am(RECEIVERS_034, NAMED_INHIBIT));
    expect(result.diagnostics.filter((d) => d.severity === 'error').map((d) => d.message)).toEqual([]);
    const config = YAML.parse(file!);
    const ajv = new Ajv({ strict: false, allErrors: true });
    expect(ajv.validate(schemaFor('0.34'), config), JSON.stringify(ajv.errors)).toBe(true);
    expect(Object.keys(config.receivers[0]).filter((k) => k.endsWith('_configs'))).toHaveLength(18);
    expect(config.inhibit_rules[0].name).toBe('critical-mutes-warning');
    expect(config.receivers[0].telegram_configs[0]).toMatchObject({ bot_token_file: '/run/secrets/telegram', chat_id_file: '/run/secrets/telegram-chat' });
    expect(config.receivers[0].incidentio_configs[0]).toEqual({ url_file: '/run/secrets/incidentio-url', alert_source_token_file: '/run/secrets/incidentio' });
    expect(file).not.toMatch(/^\s+(webhook_url|bot_token|api_key|token|api_secret|user_key|url|password|credentials):/m);
    // 0.34's schema is not 0.25's: the same file fails the older one.
    expect(new Ajv({ strict: false }).validate(schemaFor('0.25'), config)).toBe(false);
    const infos = result.diagnostics.filter((d) => d.rule === 'alertmanager/unvalidated');
    expect(infos).toHaveLength(1);
    expect(infos[0]).toMatchObject({ severity: 'info', file: 'definitions/ops/alertmanager.ts' });
    for (const field of ['msteams_configs', 'jira_configs', 'inhibit_rules[].name', 'telegram_configs.chat_id_file']) expect(infos[0]!.message).toContain(field);
  });

  it.each([
    [
      'a receiver kind the version lacks',
      '0.27',
      `  msteamsv2_configs: [{ webhook_url: fromFile('/run/secrets/t') }],\n`,
      '',
      'msteamsv2_configs: [',
      '`msteamsv2_configs` needs Alertmanager 0.28 or later; the target is 0.27',
    ],
    [
      'a secret file field the version lacks',
      '0.30',
      `  telegram_configs: [{ bot_token: fromFile('/run/secrets/t'), chat_id: fromFile('/run/secrets/c') }],\n`,
      '',
      "chat_id: fromFile('/run/secrets/c')",
      '`chat_id_file` of telegram_configs needs Alertmanager 0.31 or later; the target is 0.30',
    ],
    [
      'a secret a 0.25 receiver cannot read from a file',
      '0.25',
      `  discord_configs: [{ webhook_url: fromFile('/run/secrets/d') }],\n`,
      '',
      "webhook_url: fromFile('/run/secrets/d')",
      '`webhook_url_file` of discord_configs needs Alertmanager 0.27 or later; the target is 0.25',
    ],
    [
      'a named inhibit rule before 0.30',
      '0.29',
      `  webhook_configs: [{ url: 'http://h:1/a' }],\n`,
      NAMED_INHIBIT,
      "name: 'critical-mutes-warning'",
      '`name` of an inhibit rule needs Alertmanager 0.30 or later; the target is 0.29',
    ],
  ])('%s is an error at its line', async (_name, version, receivers, extra, span, message) => {
    const { result, source } = await buildAm(version, am(receivers, extra));
    const errors = result.diagnostics.filter((d) => d.severity === 'error');
    expect(errors.map((e) => e.message)).toEqual([message + ' (set alertmanager.version in mon.config.ts)']);
    const before = source.slice(0, source.indexOf(span)).split('\n');
    expect(errors[0]).toMatchObject({ rule: 'definition/unsupported', file: 'definitions/ops/alertmanager.ts', line: before.length, column: before[before.length - 1]!.length + 1 });
    expect(result.exitCode).toBe(1);
  });

  it.each(['0.40', '0.35', '0.24.1'])('a version moncode has no facts for (%s) is a bad config at its line, exit 2, not a guess', (version) => {
    const dir = makeProject({ 'mon.config.ts': CONFIG(version), 'definitions/ops/alertmanager.ts': am(`  webhook_configs: [{ url: 'http://h:1/a' }],\n`) });
    const run = runBin('mon-build', ['--check'], dir);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`mon.config.ts:2:47: error: bad config: \`alertmanager.version\` is "${version}", not a version moncode compiles for (0.25–0.34)`);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
