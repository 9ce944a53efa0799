import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runBin } from '../helpers/cli.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

const VALID = `import { alertmanager, fromFile, receiver, timeInterval } from 'moncode';

const pager = receiver({ name: 'pager', pagerduty_configs: [{ routing_key: fromFile('/run/secrets/pd') }] });
const chat = receiver({ name: 'chat', slack_configs: [{ channel: '#ops', api_url: fromFile('/run/secrets/slack') }] });
const mail = receiver({ name: 'mail', email_configs: [{ to: 'ops@example.com', auth_password: fromFile('/run/secrets/smtp') }] });
const nights = timeInterval('nights', { times: [{ start_time: '20:00', end_time: '24:00' }], location: 'Europe/Berlin' });

export default alertmanager({
  global: { resolve_timeout: '5m', smtp_smarthost: 'smtp.example.com:587', smtp_from: 'am@example.com' },
  route: {
    receiver: chat,
    group_by: ['alertname'],
    routes: [
      { matchers: ['severity="critical"'], receiver: pager, continue: true },
      { matchers: ['severity=~"critical|warning"'], receiver: mail, mute_time_intervals: [nights] },
    ],
  },
  inhibit_rules: [{ source_matchers: ['severity="critical"'], target_matchers: ['severity="warning"'], equal: ['alertname'] }],
});
`;

describe('Alertmanager definitions', () => {
  it('compile to alertmanager.yml with *_file secrets, receivers and intervals collected from the routes', () => {
    const dir = makeProject({ 'definitions/ops/alertmanager.ts': VALID });
    const result = runBin('mon-build', [], dir);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const yaml = readFileSync(path.join(dir, 'out/alertmanager/ops/alertmanager.yml'), 'utf8');
    expect(yaml).toContain('routing_key_file: /run/secrets/pd');
    expect(yaml).toContain('api_url_file: /run/secrets/slack');
    expect(yaml).toContain('auth_password_file: /run/secrets/smtp');
    expect(yaml).toMatch(/receivers:\n  - name: chat\n[\s\S]*  - name: pager\n[\s\S]*  - name: mail\n/);
    expect(yaml).toMatch(/time_intervals:\n  - name: nights\n/);
    const amtool = requireTool('amtool');
    if (amtool) {
      const check = runTool(amtool, ['check-config', path.join(dir, 'out/alertmanager/ops/alertmanager.yml')]);
      expect(check.code, check.output).toBe(0);
      const routes = runTool(amtool, ['config', 'routes', 'test', `--config.file=${path.join(dir, 'out/alertmanager/ops/alertmanager.yml')}`, 'severity=critical']);
      expect(routes.output.trim().split('\n')[0]).toBe('pager,mail');
    }
  });

  it('reject a receiver kind, route or inhibit field the model does not know at its line, instead of dropping it', () => {
    const dir = makeProject({
      'definitions/ops/alertmanager.ts': [
        `import { alertmanager, fromFile, receiver } from 'moncode';`,
        `const genie = { name: 'genie', carrier_pigeon_configs: [{ api_key_file: '/run/secrets/og' }] };`,
        `const route = { receiver: receiver(genie), group_by: ['alertname'], match: { severity: 'critical' } };`,
        `const inhibit = { source_matchers: ['a="1"' as const], target_matchers: ['b="2"' as const], source_match: { a: '1' } };`,
        `export default alertmanager({ route, inhibit_rules: [inhibit] });`,
        `void fromFile;`,
        '',
      ].join('\n'),
    });
    const result = runBin('mon-build', [], dir);
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/alertmanager\.ts:3:27: error: `carrier_pigeon_configs` is not a field of a receiver that moncode compiles .*\[definition\/invalid\]/);
    expect(result.stdout).toMatch(
      /alertmanager\.ts:3:\d+: error: `match` is deprecated in Alertmanager \("Remove before v1\.0"\) and moncode does not write it: use `matchers`, e\.g\. matchers: \['severity="critical"'\]/,
    );
    expect(result.stdout).toMatch(/alertmanager\.ts:4:\d+: error: `source_match` is deprecated in Alertmanager .*use `source_matchers`/);
    expect(result.stdout).not.toMatch(/internal error/);
  });

  it('reject literal credentials and environment references at type-check time', () => {
    const dir = makeProject({
      'definitions/ops/alertmanager.ts': [
        `import { alertmanager, fromEnv } from 'moncode';`,
        `export default alertmanager({`,
        `  global: { slack_api_url: 'https://hooks.slack.com/services/T0/B0/XXXX' },`,
        `  route: { receiver: { name: 'r', pagerduty_configs: [{ service_key: fromEnv('PD_KEY') }] } },`,
        `});`,
        '',
      ].join('\n'),
    });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; line: number }> };
    expect(report.diagnostics.map((d) => [d.rule, d.line])).toEqual([
      ['typescript', 3],
      ['typescript', 4],
    ]);
  });

  it('report what amtool would reject at the line that wrote it', () => {
    const dir = makeProject({
      'definitions/ops/alertmanager.ts': [
        `import { alertmanager, receiver } from 'moncode';`,
        `const a = receiver({ name: 'team' });`,
        `const b = receiver({ name: 'team', webhook_configs: [{ url: 'http://hook:5000/' }] });`,
        `export default alertmanager({`,
        `  route: {`,
        `    receiver: a,`,
        `    routes: [`,
        `      { receiver: 'nobody', matchers: ['severity=critical"'] },`,
        `      { receiver: b, mute_time_intervals: ['weekends'] },`,
        `    ],`,
        `  },`,
        `});`,
        `export const second = alertmanager({ route: { receiver: a } });`,
        '',
      ].join('\n'),
    });
    const result = runBin('mon-build', ['--format', 'json'], dir);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as { diagnostics: Array<{ rule: string; line: number; message: string }> };
    expect(report.diagnostics.map((d) => `${d.line} ${d.message}`)).toEqual([
      expect.stringMatching(/^3 receiver "team" is defined twice/),
      expect.stringMatching(/^8 receiver "nobody" is not defined/),
      expect.stringMatching(/^8 matcher `severity=critical"` is not label="value"/),
      expect.stringMatching(/^9 time interval "weekends" is not defined/),
      expect.stringMatching(/^13 system "ops" already has an Alertmanager configuration/),
    ]);
    expect(report.diagnostics.every((d) => d.rule === 'definition/invalid')).toBe(true);
  });

  it("refuse an empty secret file path and a duration beyond Prometheus' range (amtool rejects both)", () => {
    const source = (routingKey: string, groupWait: string): string =>
      [
        `import { alertmanager, fromFile, receiver } from 'moncode';`,
        `const pager = receiver({ name: 'pager', pagerduty_configs: [{ routing_key: fromFile('${routingKey}') }] });`,
        `export default alertmanager({ route: { receiver: pager, group_wait: '${groupWait}' } });`,
        '',
      ].join('\n');
    const bad = runBin('mon-build', ['--format', 'json'], makeProject({ 'definitions/ops/alertmanager.ts': source('', '999999999999y') }));
    expect(bad.code).toBe(1);
    const report = JSON.parse(bad.stdout) as { diagnostics: Array<{ rule: string; line: number; message: string }> };
    expect(report.diagnostics.map((d) => `${d.rule} ${d.line} ${d.message}`)).toEqual([
      expect.stringMatching(/^definition\/invalid 2 `routing_key`: fromFile\(\) needs the path of the secret file/),
      expect.stringMatching(/^definition\/invalid 3 `group_wait` is "999999999999y", beyond Prometheus' longest duration/),
    ]);
    const dir = makeProject({ 'definitions/ops/alertmanager.ts': source('/run/secrets/pd', '292y') });
    expect(runBin('mon-build', [], dir).code).toBe(0);
    const amtool = requireTool('amtool');
    if (amtool) {
      const file = path.join(dir, 'out/alertmanager/ops/alertmanager.yml');
      expect(runTool(amtool, ['check-config', file]).code).toBe(0);
      // What the refused definitions would have written, as amtool sees it.
      const text = readFileSync(file, 'utf8');
      for (const broken of [text.replace('routing_key_file: /run/secrets/pd', "routing_key_file: ''"), text.replace('group_wait: 292y', 'group_wait: 999999999999y')]) {
        expect(broken).not.toBe(text);
        const other = makeProject({ 'alertmanager.yml': broken });
        expect(runTool(amtool, ['check-config', path.join(other, 'alertmanager.yml')]).code).not.toBe(0);
      }
    }
  });
});
