import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { runImport } from '../../src/commands/import.js';
import { LINT_RULE_IDS } from '../../src/model/suppression.js';
import { makeProject } from '../helpers/project.js';
import { requireTool, runTool } from '../helpers/tools.js';

/**
 * Secrets on import: credentials in Alertmanager configs and datasource provisioning never become
 * literals of the definitions (nor of out/, which the build writes from them). Each is a file
 * reference with an `import/secret-moved` warning at the input field naming the file to fill, or,
 * where no reader takes a file, left out with the warning saying so.
 */

const config = (alertmanager?: string) =>
  `import { defineConfig } from 'moncode';\nexport default defineConfig({ ${alertmanager ? `alertmanager: { version: '${alertmanager}' }, ` : ''}lint: { rules: { ${LINT_RULE_IDS.map((id) => `'${id}': 'off'`).join(', ')} } } });\n`;

/** Every file below `dir`, for the no-secret check. */
function allText(dir: string): string {
  let text = '';
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    text += statSync(full).isDirectory() ? allText(full) : `${readFileSync(full, 'utf8')}\n`;
  }
  return text;
}

const HOSTILE_AM = `global:
  smtp_auth_password: "mailPa55word!"
  opsgenie_api_key: 0b1c2d3e-4f5a-6b7c-8d9e-0f1a2b3c4d5e
route:
  receiver: hook
  routes:
    - receiver: ops
    - receiver: tg
    - receiver: aws
    - receiver: "../../etc/passwd"
receivers:
  - name: hook
    webhook_configs:
      - url: http://alerts:Hunter2Secret@hooks.internal:9000/alerts
        http_config:
          basic_auth: { username: am, password: "b4sicPass" }
      - url_file: /run/secrets/hook-url
        http_config:
          bearer_token: eyJhbGciOiJIUzI1NiJ9.tokenpart1234567890
      - url: https://hooks.internal/alerts?token=9f8e7d6c5b4a39281706
        http_config:
          oauth2: { client_id: am, client_secret: "0authS3cret", token_url: "https://idp.example/token" }
  - name: ops
    opsgenie_configs:
      - api_key: 11112222-3333-4444-5555-666677778888
    victorops_configs:
      - routing_key: team-ops
        api_key: vo-key-12345abcdef
  - name: tg
    telegram_configs:
      - bot_token: "123456:ABCdefGHIjklMNOpqrSTUvwxYZ"
        chat_id: -100123
  - name: aws
    sns_configs:
      - topic_arn: arn:aws:sns:eu-west-1:123456789012:alerts
        sigv4: { region: eu-west-1, access_key: AKIAIOSFODNN7EXAMPLE, secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" }
  - name: "../../etc/passwd"
    slack_configs:
      - channel: "#x"
        api_url: https://hooks.slack.com/services/T0000/B0000/XXXXXXXXXXXXXXXXXXXXXXXX
`;

const SECRETS = [
  'mailPa55word',
  '0b1c2d3e-4f5a',
  'Hunter2Secret',
  'b4sicPass',
  'eyJhbGciOiJIUzI1NiJ9',
  '9f8e7d6c5b4a39281706',
  '0authS3cret',
  '11112222-3333',
  'vo-key-12345',
  'ABCdefGHI',
  'AKIAIOSFODNN7EXAMPLE',
  'wJalrXUtnFEMI',
  'XXXXXXXXXXXXXXXXXXXXXXXX',
];

describe('mon-import moves Alertmanager credentials out of the definitions', () => {
  it('to file references, each warned at its input field, none left in the TS or out/', { timeout: 120_000 }, async () => {
    const dir = makeProject({ 'mon.config.ts': config('0.26'), 'in/alertmanager.yml': HOSTILE_AM });
    const imported = await runImport({ cwd: dir, paths: ['in'], system: 'am' });
    expect(
      imported.diagnostics
        .filter((d) => d.rule === 'import/secret-moved')
        .map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message.replace(/: it is not written.*?put it in /, ' -> ').replace(/ \(fromFile\).*$/, '')}`),
    ).toEqual([
      '2:24-2:37 `smtp_auth_password` is a literal credential -> /etc/alertmanager/secrets/global-smtp_auth_password',
      '3:21-3:57 `opsgenie_api_key` is a literal credential -> /etc/alertmanager/secrets/global-opsgenie_api_key',
      '14:14-14:68 `url` holds a password in a URL -> /etc/alertmanager/secrets/hook-1-url',
      '16:50-16:59 `password` is a literal credential -> /etc/alertmanager/secrets/hook-1-password',
      '19:25-19:65 `bearer_token` is a literal credential -> /etc/alertmanager/secrets/hook-2-bearer_token (authorization.credentials, fromFile), which Alertmanager reads',
      '20:14-20:70 `url` holds a credential in the URL parameter token -> /etc/alertmanager/secrets/hook-3-url',
      '22:52-22:63 `client_secret` is a literal credential -> /etc/alertmanager/secrets/hook-3-client_secret',
      '25:18-25:54 `api_key` is a literal credential -> /etc/alertmanager/secrets/ops-api_key',
      '28:18-28:36 `api_key` is a literal credential -> /etc/alertmanager/secrets/ops-api_key-2',
      '31:21-31:54 `bot_token` is a literal credential -> /etc/alertmanager/secrets/tg-bot_token',
      '36:49-36:69 `access_key` holds an AWS access key: left out of the definition, since no Alertmanager reads `access_key` from a file and a literal would be written into alertmanager.yml; without it Alertmanager signs with the AWS credentials of its environment (or set role_arn)',
      '36:84-36:124 `secret_key` is a literal credential: left out of the definition, since no Alertmanager reads `secret_key` from a file and a literal would be written into alertmanager.yml; without it Alertmanager signs with the AWS credentials of its environment (or set role_arn)',
      '40:18-40:87 `api_url` is a literal credential -> /etc/alertmanager/secrets/etc-passwd-api_url',
    ]);
    const module = readFileSync(path.join(dir, 'definitions/am/alertmanager.ts'), 'utf8');
    for (const secret of SECRETS) expect(module).not.toContain(secret);
    // A file form in the input stays a file reference; the webhook's token-free routing key stays as it is.
    expect(module).toContain(`url: fromFile('/run/secrets/hook-url')`);
    expect(module).toContain(`routing_key: 'team-ops'`);
    expect(module).toContain(`http_config: { authorization: { credentials: fromFile('/etc/alertmanager/secrets/hook-2-bearer_token') } }`);

    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const out = readFileSync(path.join(dir, 'out/alertmanager/am/alertmanager.yml'), 'utf8');
    for (const secret of SECRETS) expect(allText(path.join(dir, 'out'))).not.toContain(secret);
    for (const field of [
      'smtp_auth_password_file: /etc/alertmanager/secrets/global-smtp_auth_password',
      'url_file: /etc/alertmanager/secrets/hook-1-url',
      'password_file: /etc/alertmanager/secrets/hook-1-password',
      'url_file: /run/secrets/hook-url',
      'credentials_file: /etc/alertmanager/secrets/hook-2-bearer_token',
      'client_secret_file: /etc/alertmanager/secrets/hook-3-client_secret',
      'bot_token_file: /etc/alertmanager/secrets/tg-bot_token',
      'api_url_file: /etc/alertmanager/secrets/etc-passwd-api_url',
    ])
      expect(out).toContain(field);
  });

  it('for Alertmanager 0.25 the build says which release reads the file forms, at the TS line', { timeout: 120_000 }, async () => {
    const dir = makeProject({ 'mon.config.ts': config(), 'in/alertmanager.yml': HOSTILE_AM });
    await runImport({ cwd: dir, paths: ['in'], system: 'am' });
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}:${d.column} ${d.rule}: ${d.message.split(';')[0]}`)).toEqual([
      'definitions/am/alertmanager.ts:9:7 definition/unsupported: `url_file` of webhook_configs needs Alertmanager 0.26 or later',
      'definitions/am/alertmanager.ts:13:7 definition/unsupported: `url_file` of webhook_configs needs Alertmanager 0.26 or later',
      'definitions/am/alertmanager.ts:17:7 definition/unsupported: `url_file` of webhook_configs needs Alertmanager 0.26 or later',
      'definitions/am/alertmanager.ts:37:24 definition/unsupported: `bot_token_file` of telegram_configs needs Alertmanager 0.26 or later',
    ]);
  });

  it('what Alertmanager 0.25 reads, amtool accepts', { timeout: 120_000 }, async () => {
    const amtool = requireTool('amtool');
    const text = `global:\n  smtp_auth_password: "mailPa55word!"\nroute:\n  receiver: hook\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: http://hooks.internal:9000/alerts\n        http_config:\n          bearer_token: eyJhbGciOiJIUzI1NiJ9.tokenpart1234567890\n      - url: http://hooks.internal:9000/other\n        http_config:\n          oauth2: { client_id: am, client_secret: "0authS3cret", token_url: "https://idp.example/token" }\n    opsgenie_configs:\n      - api_key: 11112222-3333-4444-5555-666677778888\n    email_configs:\n      - to: a@example.com\n        smarthost: smtp.example.com:587\n        from: am@example.com\n        auth_username: am\n        auth_password: "b4sicPass"\n`;
    const dir = makeProject({ 'mon.config.ts': config(), 'in/alertmanager.yml': text });
    const imported = await runImport({ cwd: dir, paths: ['in'], system: 'am' });
    expect(imported.diagnostics.filter((d) => d.rule === 'import/secret-moved')).toHaveLength(5);
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    for (const secret of SECRETS) expect(allText(path.join(dir, 'out'))).not.toContain(secret);
    // The plain webhook URL carries no credential: it stays a literal.
    expect(readFileSync(path.join(dir, 'definitions/am/alertmanager.ts'), 'utf8')).toContain(`url: 'http://hooks.internal:9000/alerts'`);
    if (amtool) {
      const checked = runTool(amtool, ['check-config', path.join(dir, 'out/alertmanager/am/alertmanager.yml')]);
      expect(checked.output).toContain('SUCCESS');
      expect(checked.code).toBe(0);
    }
  });
});

describe('mon-import moves datasource credentials out of the definitions', () => {
  it('a password in a URL, a token in jsonData or a query string: $__file{…} in its place', { timeout: 120_000 }, async () => {
    const provisioning = `apiVersion: 1
datasources:
  - name: Metrics
    type: prometheus
    url: https://grafana:Sup3rSecretPw@prometheus.internal:9090
    jsonData:
      httpHeaderName1: X-Scope-OrgID
      apiToken: tok_8f7e6d5c4b3a2910
  - name: Logs
    type: loki
    url: https://loki.internal/?api_key=abcdef0123456789abcd
    basicAuth: true
    basicAuthUser: grafana
    basicAuthPassword: "l0kiPassw0rd"
`;
    const dir = makeProject({ 'mon.config.ts': config(), 'in/datasources.yaml': provisioning });
    const imported = await runImport({ cwd: dir, paths: ['in'], system: 'obs' });
    expect(imported.diagnostics.filter((d) => d.rule === 'import/secret-moved').map((d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.message.split(':')[0]}`)).toEqual([
      '5:10-5:64 `url` holds a password in a URL',
      '8:17-8:37 `apiToken` is a literal credential',
      '11:10-11:61 `url` holds a credential in the URL parameter api_key',
      '14:25-14:37 `basicAuthPassword` is a literal credential',
    ]);
    const module = readFileSync(path.join(dir, 'definitions/obs/datasources.ts'), 'utf8');
    for (const secret of ['Sup3rSecretPw', 'tok_8f7e6d5c4b3a2910', 'abcdef0123456789abcd', 'l0kiPassw0rd']) expect(module).not.toContain(secret);
    expect(module).toContain(`url: 'https://grafana:$__file{/etc/grafana/secrets/metrics-url-url-userinfo}@prometheus.internal:9090'`);
    const built = await build({ cwd: dir });
    expect(built.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.file}:${d.line}: ${d.message}`)).toEqual([]);
    const out = allText(path.join(dir, 'out'));
    for (const secret of ['Sup3rSecretPw', 'tok_8f7e6d5c4b3a2910', 'abcdef0123456789abcd', 'l0kiPassw0rd']) expect(out).not.toContain(secret);
    expect(out).toContain('apiToken: $__file{/etc/grafana/secrets/metrics-apiToken}');
    expect(out).toContain('url: https://loki.internal/?api_key=$__file{/etc/grafana/secrets/logs-url-query-parameter}');
    expect(out).toContain('basicAuthPassword: $__file{/etc/grafana/secrets/logs-basicAuthPassword}');
  });
});
