import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { build } from '../../src/commands/build.js';
import { runBin } from '../helpers/cli.js';
import { makeProject, readTree, REPO_ROOT } from '../helpers/project.js';

// The credentials planted below, each in another place a definition can put one. None of them may
// reach out/ (the build fails) or any message, in any format.
const PLANTED = {
  userinfo: 'Pa55w0rdReader',
  apiKey: '0f9e8d7c6b5a4f3e2d1c',
  bearer: 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl',
  runbookToken: 'rbT0ken998877665544',
  awsKey: 'AKIAIOSFODNN7EXAMPLE',
  linkToken: 'ya29a0AfH6SMlinkTok3n',
  slack: 'T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx',
  discord: '123456789012345678/AbCdEf-GhIjKl_0987zz',
  thrown: 'Thr0wnSecretPw42',
  typed: 'Typ3dSecretPw42',
};

const DEFINITIONS = {
  'definitions/shop/datasources.ts': `import { datasource } from 'moncode';
export const metrics = datasource({ name: 'Metrics', type: 'prometheus', url: 'https://reader:${PLANTED.userinfo}@prometheus.example.com' });
export const logs = datasource({ name: 'Logs', type: 'loki', url: 'https://loki.example.com/?api_key=${PLANTED.apiKey}' });
export const traces = datasource({ name: 'Traces', type: 'tempo', url: 'https://tempo.example.com', jsonData: { httpHeaderName1: 'Authorization', httpHeaderValue1: 'Bearer ${PLANTED.bearer}' } });
`,
  'definitions/shop/alerts.ts': `import { alertRule, ruleGroup } from 'moncode';
export const shop = ruleGroup({
  name: 'shop',
  rules: [
    alertRule({
      alert: 'ShopDown',
      expr: 'up{job="shop"} == 0',
      for: '5m',
      labels: { severity: 'critical', owner_key: '${PLANTED.awsKey}' },
      annotations: { summary: 'Shop is down', description: 'No shop target is up.', runbook_url: 'https://runbooks.example.com/shop?token=${PLANTED.runbookToken}' },
    }),
  ],
});
`,
  'definitions/shop/dashboard.ts': `import { dashboard, prom, stat } from 'moncode';
import { metrics } from './datasources.ts';
export default dashboard({
  title: 'Shop',
  datasource: metrics,
  links: [{ title: 'Logs', type: 'link', url: 'https://logs.example.com/?access_token=${PLANTED.linkToken}' }],
  panels: [stat({ title: 'Up', unit: 'short', links: [{ title: 'Chat', url: 'https://hooks.slack.com/services/${PLANTED.slack}' }], targets: [prom('sum(up{job="shop"})')] })],
});
`,
  'definitions/shop/alertmanager.ts': `import { alertmanager, receiver } from 'moncode';
const hook = receiver({ name: 'hook', webhook_configs: [{ url: 'https://discord.com/api/webhooks/${PLANTED.discord}' }] });
export default alertmanager({ route: { receiver: hook, group_by: ['alertname'] } });
`,
};

/** Where each planted credential is reported: file and line. */
const EXPECTED: Array<[string, number]> = [
  ['definitions/shop/alertmanager.ts', 2],
  ['definitions/shop/alerts.ts', 9],
  ['definitions/shop/alerts.ts', 10],
  ['definitions/shop/dashboard.ts', 6],
  ['definitions/shop/dashboard.ts', 7],
  ['definitions/shop/datasources.ts', 2],
  ['definitions/shop/datasources.ts', 3],
  ['definitions/shop/datasources.ts', 4],
];

function leaks(text: string): string[] {
  return Object.entries(PLANTED)
    .filter(([, secret]) => text.includes(secret) || text.includes(secret.split('/').pop()!))
    .map(([name]) => name);
}

/** Credential shapes, written independently of src/model/secrets.ts, for scanning out/ and messages. */
const CREDENTIAL_SHAPES: RegExp[] = [
  /[a-z][a-z0-9+.-]*:\/\/[^\s/:@"']+:(?!\$\{|\$__|\*+@|\[redacted\]@)[^\s/@"']+@/i,
  /[?&](token|api_key|apikey|access_token|auth_token|password|secret|sig)=(?![$&{<\s"'*[])[^&\s"']/i,
  /\b(Bearer|Basic)\s+[A-Za-z0-9._~+/-]*[0-9][A-Za-z0-9._~+/-]{6,}/,
  /\b(AKIA|ASIA)[0-9A-Z]{16}\b/,
  /-----BEGIN [A-Z ]*PRIVATE KEY-----/,
  /hooks\.slack\.com\/services\/T[A-Z0-9]+\/B/,
  /discord(app)?\.com\/api\/webhooks\/\d+\/[A-Za-z0-9_-]+/,
];

function credentialsIn(text: string): string[] {
  return CREDENTIAL_SHAPES.filter((shape) => shape.test(text)).map(String);
}

describe('literal credentials', () => {
  it('fail the build at every place a definition writes one, and no format prints them', () => {
    const dir = makeProject(DEFINITIONS);
    const pretty = runBin('mon-build', [], dir);
    expect(pretty.code).toBe(1);
    expect(existsSync(path.join(dir, 'out'))).toBe(false);
    const json = runBin('mon-build', ['--format', 'json'], dir);
    const reported = (JSON.parse(json.stdout) as { diagnostics: Array<{ rule: string; file: string; line: number }> }).diagnostics.filter((d) => d.rule === 'secret/literal');
    expect(reported.map((d): [string, number] => [d.file, d.line])).toEqual(EXPECTED);
    const outputs = [pretty, json, ...['pretty', 'json', 'sarif', 'github'].map((format) => runBin('mon-lint', ['--format', format], dir))];
    for (const result of outputs) {
      expect(result.code).toBe(1);
      expect(leaks(result.stdout + result.stderr)).toEqual([]);
      expect(credentialsIn(result.stdout + result.stderr)).toEqual([]);
    }
    // The pretty report still shows where: the line under the caret, with the secret masked.
    expect(pretty.stdout).toMatch(/datasources\.ts:2:\d+: error: url holds a password in a URL.*\[secret\/literal\]\n.*\n> +2 \| .*https:\/\/reader:\*+@prometheus\.example\.com/);
  }, 300_000);

  it('in YAML and JSON files are reported without being printed', () => {
    const dir = makeProject({
      'alertmanager.yml': `route:\n  receiver: hook\nreceivers:\n  - name: hook\n    webhook_configs:\n      - url: https://discord.com/api/webhooks/${PLANTED.discord}\n`,
      'grafana/datasources.yaml': `apiVersion: 1\ndatasources:\n  - name: Loki\n    type: loki\n    url: https://reader:${PLANTED.userinfo}@loki.example.com\n    jsonData:\n      tlsAuth: true\n    secureJsonData:\n      tlsClientKey: |\n        -----BEGIN RSA PRIVATE KEY-----\n        MIIEowIBAAKCAQEA7xQ${PLANTED.apiKey}\n        -----END RSA PRIVATE KEY-----\n`,
    });
    for (const format of ['pretty', 'json', 'sarif', 'github']) {
      const result = runBin('mon-lint', ['--format', format, 'alertmanager.yml', 'grafana'], dir);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain('secret/literal');
      expect(leaks(result.stdout + result.stderr)).toEqual([]);
      expect(credentialsIn(result.stdout + result.stderr)).toEqual([]);
    }
  }, 120_000);

  it('quoted by a thrown error or a type error are redacted', () => {
    const thrown = makeProject({
      'definitions/shop/db.ts': `import { ruleGroup } from 'moncode';\nconst dsn: string = 'postgres://app:${PLANTED.thrown}@db.example.com:5432/shop';\nif (dsn) throw new Error('cannot reach ' + dsn);\nexport const g = ruleGroup({ name: 'g', rules: [] });\n`,
    });
    const typed = makeProject({ 'definitions/shop/typed.ts': `const port: 8080 = 'https://app:${PLANTED.typed}@db.example.com';\nexport { port };\n` });
    for (const [dir, shown] of [
      [thrown, /definitions\/shop\/db\.ts:3:\d+: error: definition threw: cannot reach postgres:\/\/app:\[redacted\]@db\.example\.com:5432\/shop/],
      [typed, /definitions\/shop\/typed\.ts:1:7: error: TS2322: Type '"https:\/\/app:\[redacted\]@db\.example\.com"' is not assignable/],
    ] as const) {
      for (const [bin, format] of [
        ['mon-build', 'pretty'],
        ['mon-build', 'json'],
        ['mon-lint', 'pretty'],
        ['mon-lint', 'json'],
        ['mon-lint', 'sarif'],
        ['mon-lint', 'github'],
      ] as const) {
        const result = runBin(bin, ['--format', format], dir);
        expect(result.code, `${bin} --format ${format}`).toBe(1);
        expect(leaks(result.stdout + result.stderr), `${bin} --format ${format}`).toEqual([]);
        if (format === 'pretty' && bin === 'mon-build') expect(result.stdout).toMatch(shown);
      }
    }
  }, 300_000);

  it('are not in the seed build: neither in out/ nor in any message', async () => {
    const result = await build({ cwd: REPO_ROOT, check: true });
    expect(result.outputs.length).toBeGreaterThan(20);
    for (const output of result.outputs) expect(credentialsIn(output.content), output.path).toEqual([]);
    for (const [file, content] of Object.entries(readTree(path.join(REPO_ROOT, 'out')))) expect(credentialsIn(content), file).toEqual([]);
    expect(result.diagnostics.filter((d) => d.rule === 'secret/literal')).toEqual([]);
    for (const diagnostic of result.diagnostics) expect(credentialsIn(`${diagnostic.message} ${diagnostic.subject ?? ''}`)).toEqual([]);
  }, 120_000);
});
