import { describe, expect, it } from 'vitest';
import { findPathTokens, findSecrets, maskSecrets, redactSecrets, type SecretKind } from '../../src/model/secrets.js';

// Each class of credential: texts that carry one (and the exact part that is the secret),
// and look-alikes that do not.
const FOUND: Array<[SecretKind, string, string]> = [
  ['url-userinfo', 'https://admin:s3cr3tPass@grafana.example.com/api', 's3cr3tPass'],
  ['url-userinfo', 'postgres://app:hunter22@db:5432/app', 'hunter22'],
  ['url-userinfo', 'https://ghp_0123456789abcdefghijABCDEFGHIJ012345@github.com/org/repo.git', 'ghp_0123456789abcdefghijABCDEFGHIJ012345'],
  ['query-parameter', 'https://runbooks.example.com/x?token=abc123def456', 'abc123def456'],
  ['query-parameter', 'https://api.example.com/v1?foo=1&API_KEY=0f9e8d7c6b5a', '0f9e8d7c6b5a'],
  ['query-parameter', 'https://api.example.com/v1?apikey=k1k2k3k4', 'k1k2k3k4'],
  ['query-parameter', 'https://x.example.com/?access_token=ya29.a0AfH6SM', 'ya29.a0AfH6SM'],
  ['query-parameter', 'https://x.example.com/?Auth_Token=tok-998877', 'tok-998877'],
  ['query-parameter', 'https://x.example.com/login?user=bob&password=correcthorse', 'correcthorse'],
  ['query-parameter', 'https://x.example.com/?secret=9b8a7c6d', '9b8a7c6d'],
  ['query-parameter', 'https://acct.blob.core.windows.net/c?sv=2022-11-02&sig=Zm9vYmFyYmF6cXV4%3D', 'Zm9vYmFyYmF6cXV4%3D'],
  ['authorization', 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig', 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.sig'],
  ['authorization', 'Basic dXNlcjpwYXNzd29yZA==', 'dXNlcjpwYXNzd29yZA=='],
  ['aws-access-key', 'key AKIAIOSFODNN7EXAMPLE in a label', 'AKIAIOSFODNN7EXAMPLE'],
  ['aws-access-key', 'ASIAY34FZKBOKMUTVV7A', 'ASIAY34FZKBOKMUTVV7A'],
  ['aws-secret-key', 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'],
  ['private-key', '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA7x\n-----END RSA PRIVATE KEY-----\n', '\nMIIEowIBAAKCAQEA7x\n'],
  ['private-key', '-----BEGIN OPENSSH PRIVATE KEY-----', '-----BEGIN OPENSSH PRIVATE KEY-----'],
  ['webhook-token', 'https://hooks.slack.com/services/T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx', 'T0123ABCD/B0123ABCD/abcdefghijklmnopqrstuvwx'],
  ['webhook-token', 'https://discord.com/api/webhooks/123456789012345678/AbCdEf-GhIjKl_0987', '123456789012345678/AbCdEf-GhIjKl_0987'],
  ['webhook-token', 'https://contoso.webhook.office.com/webhookb2/1f0e-aa/IncomingWebhook/8c1d/77aa', '1f0e-aa/IncomingWebhook/8c1d/77aa'],
  ['webhook-token', 'https://api.telegram.org/bot123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw/sendMessage', '123456:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw'],
  ['api-token', 'token xoxb-123456789012-abcdefABCDEF in a label', 'xoxb-123456789012-abcdefABCDEF'],
  ['api-token', 'glsa_0123456789abcdefABCDEF0123456789_abcdef12', 'glsa_0123456789abcdefABCDEF0123456789_abcdef12'],
];

const NOT_FOUND: Array<[string, string]> = [
  ['a plain URL', 'https://grafana.example.com/d/abc123/overview?orgId=1&var-job=api'],
  ['a user without a password', 'https://admin@grafana.example.com/'],
  ['a reference password', 'https://user:$__env{GRAFANA_PASSWORD}@grafana.example.com'],
  ['an environment placeholder password', 'https://user:${PASSWORD}@grafana.example.com'],
  ['a dashboard variable as token', 'https://x.example.com/?token=$token'],
  ['a template as token', 'https://x.example.com/?token={{ $labels.token }}'],
  ['an empty token', 'https://x.example.com/?token=&x=1'],
  ['a placeholder token', 'https://x.example.com/?token=<token>'],
  ['a parameter that only ends like one', 'https://x.example.com/?tokenizer=bpe&nosecret=1'],
  ['prose about Bearer tokens', 'Bearer tokens expired for many users'],
  ['prose about Basic auth', 'Basic authentication is failing on the proxy'],
  ['prose with hyphens', 'Bearer token-based login and Basic auth-enabled proxies'],
  ['a constructor key', 'constructor: function Object() { [native code] }'],
  ['a metric name', 'kube_deployment_status_replicas_available{namespace="prod"} == 0'],
  ['a UUID', 'https://grafana.example.com/d/8c1d1e2f-1a2b-4c3d-9e8f-0a1b2c3d4e5f/x'],
  ['a Slack webhook placeholder', 'https://hooks.slack.com/services/XXXXXXXX'],
  ['a PromQL expression', 'sum(rate(http_requests_total{job="api",code=~"5.."}[5m])) / sum(rate(http_requests_total{job="api"}[5m]))'],
  ['a certificate (public)', '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----'],
];

describe('findSecrets', () => {
  it.each(FOUND)('finds %s in %j', (kind, text, secret) => {
    const found = findSecrets(text);
    expect(found.map((f) => [f.kind, text.slice(f.from, f.to)])).toEqual([[kind, secret]]);
  });
  it.each(NOT_FOUND)('finds nothing in %s', (_name, text) => {
    expect(findSecrets(text)).toEqual([]);
  });
});

describe('findPathTokens (receiver webhook URLs)', () => {
  it.each([
    ['https://events.example.com/hooks/a8F3kL9qZ2xW7mN4pR6tY1uV', 'a8F3kL9qZ2xW7mN4pR6tY1uV'],
    ['https://chat.example.com/api/v1/incoming/9f8e7d6c5b4a39281706f5e4d3c2b1a0/notify', '9f8e7d6c5b4a39281706f5e4d3c2b1a0'],
  ])('finds the token of %s', (url, token) => {
    expect(findPathTokens(url).map((f) => url.slice(f.from, f.to))).toEqual([token]);
  });
  it.each([
    'http://alert-receiver.monitoring.svc:5000/api/v2/alerts',
    'https://hooks.internal.example.com/alertmanager/kubernetes_cluster_production_eu',
    'https://events.example.com/v1/8c1d1e2f-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
  ])('finds nothing in %s', (url) => {
    expect(findPathTokens(url)).toEqual([]);
  });
});

describe('redaction', () => {
  it.each(FOUND)('%s: the secret is gone from %j, the rest stays', (_kind, text, secret) => {
    const redacted = redactSecrets(text);
    expect(redacted).not.toContain(secret.trim());
    expect(redacted).toContain('[redacted]');
    const masked = maskSecrets(text);
    expect(masked).toHaveLength(text.length);
    expect(masked).not.toContain(secret.trim());
  });
  it('keeps what is not a secret', () => {
    expect(redactSecrets('definition threw: cannot reach https://user:p4ssw0rd@db.example.com:5432/x')).toBe('definition threw: cannot reach https://user:[redacted]@db.example.com:5432/x');
    for (const [, text] of NOT_FOUND) expect(redactSecrets(text)).toBe(text);
  });
});
