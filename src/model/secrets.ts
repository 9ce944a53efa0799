/**
 * What a credential looks like inside a string: the `secret/literal` rule finds them in
 * definitions and files, and reports redact them from every message they print.
 * Each finding is the span of the secret part only (the password of a URL, the value
 * of `?token=`, the token of a webhook path), so the rest of the text stays readable.
 */

export type SecretKind = 'url-userinfo' | 'query-parameter' | 'authorization' | 'aws-access-key' | 'aws-secret-key' | 'private-key' | 'webhook-token' | 'api-token';

export interface SecretFinding {
  kind: SecretKind;
  /** UTF-16 offsets of the secret part, `[from, to)`. */
  from: number;
  to: number;
  /** What was found, for messages: never the value itself. */
  what: string;
}

/** Query parameter names that carry credentials (compared case-insensitively). */
const CREDENTIAL_PARAMETERS = new Set([
  'token',
  'api_key',
  'api-key',
  'apikey',
  'access_token',
  'auth_token',
  'refresh_token',
  'id_token',
  'private_token',
  'password',
  'passwd',
  'secret',
  'client_secret',
  'sig',
  'signature',
  'x-amz-signature',
  'x-goog-signature',
]);

/** Header names whose value is a credential. */
export const CREDENTIAL_HEADERS = /^(proxy-)?authorization$|^x-(api|auth)-(key|token)$|^api-?key$|^private-token$|^x-vault-token$|^x-grafana-key$/i;

const PRIVATE_KEY = /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----([\s\S]*?)(?=-----END |$)/g;
const USERINFO = /\b[a-z][a-z0-9+.-]*:\/\/([^\s/@:?#'"<>[\]{}]*)(?::([^\s/@?#'"<>]*))?@/gi;
/** A parameter after `?`, `&`, `;` or `#`, or a query string on its own (Grafana's `customQueryParameters`). */
const QUERY_PARAMETER = /(?:^|[?&;#])([A-Za-z0-9_.-]+)=([^&#\s'"<>]*)/g;
const AUTHORIZATION = /\b(Bearer|Basic)[ \t]+([A-Za-z0-9._~+/-]+=*)/g;
const AWS_ACCESS_KEY = /\b(?:AKIA|ASIA|ABIA|ACCA)[0-9A-Z]{16}\b/g;
const AWS_SECRET_NAMED = /(?:aws_?)?secret_?(?:access_?)?key["']?\s*[:=]\s*["']?([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;
const BASE64_40 = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])/g;
/** Token formats with a registered prefix (GitHub, GitLab, Slack, Grafana, Google, Stripe, npm). */
const PREFIXED_TOKEN =
  /\b(?:gh[pousr]_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|glpat-[A-Za-z0-9_-]{20,}|xox[abposr]-[A-Za-z0-9-]{10,}|xapp-[A-Za-z0-9-]{10,}|gl(?:sa|c)_[A-Za-z0-9_=+/-]{20,}|AIza[0-9A-Za-z_-]{35}|[sr]k_live_[A-Za-z0-9]{16,}|npm_[A-Za-z0-9]{36})/g;

/** Cheap test before the patterns: every finding needs one of these. */
const MAYBE_SECRET = /[:=@]|Bearer|Basic|BEGIN|A[KSB]IA|ACCA|gh[pousr]_|github_pat_|glpat-|xox|xapp-|gl(?:sa|c)_|AIza|_live_|npm_/;

/** Webhook services whose URL path is the credential: the captured part is the token. */
const WEBHOOK_PATHS: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /hooks\.slack\.com\/(?:services|workflows|triggers)\/([^\s?#'"<>]+)/gi, what: 'a Slack webhook token' },
  { pattern: /discord(?:app)?\.com\/api\/webhooks\/([^\s?#'"<>]+)/gi, what: 'a Discord webhook token' },
  { pattern: /\.webhook\.office\.com\/webhookb2\/([^\s?#'"<>]+)/gi, what: 'a Microsoft Teams webhook token' },
  { pattern: /outlook\.office(?:365)?\.com\/webhook\/([^\s?#'"<>]+)/gi, what: 'a Microsoft Teams webhook token' },
  { pattern: /api\.telegram\.org\/bot([^\s/?#'"<>]+)/gi, what: 'a Telegram bot token' },
  { pattern: /chat\.googleapis\.com\/v1\/spaces\/[^\s?#'"<>]+\?([^\s#'"<>]+)/gi, what: 'a Google Chat webhook key' },
];

/** A reference or a placeholder, not a credential: `$__file{…}`, `$__env{…}`, `${VAR}`, `$var`, `{{ … }}`, `<secret>`, `changeme`. */
export function isPlaceholder(value: string): boolean {
  const text = value.trim();
  if (text === '') return true;
  if (/^\$__(file|env)\{[^}]*\}$/.test(text)) return true;
  if (/^\$\{[^}]+\}$/.test(text) || /^\$[A-Za-z_][A-Za-z0-9_]*$/.test(text) || /^\[\[[^\]]+\]\]$/.test(text)) return true;
  if (text.includes('{{') || text.includes('$__') || text.includes('${')) return true;
  if (/^<[^<>]*>$/.test(text) || /^%[sv]$/.test(text)) return true;
  if (/^([*xX•.…_-])\1*$/.test(text)) return true;
  return /^(your[_-]?\w*|changeme|change[_-]?me|replace[_-]?me|redacted|secret|password|token|none|null|nil|placeholder|example|todo|fixme|dummy|test)$/i.test(text);
}

/** A string that reads like a generated credential, not a word or an identifier. */
function looksLikeToken(value: string, minLength = 20): boolean {
  if (value.length < minLength || !/^[A-Za-z0-9_\-+=/.~]+$/.test(value)) return false;
  if (isPlaceholder(value)) return false;
  const digits = value.replace(/[^0-9]/g, '').length;
  const letters = value.replace(/[^A-Za-z]/g, '').length;
  if (digits < 2 || letters < 2) return false;
  // Words joined by separators (`node_exporter_build_info_2023`, a UUID) are not one generated run.
  const longestRun = Math.max(
    ...value
      .split(/[_\-.~/]/)
      .filter((run) => /[0-9]/.test(run) && /[A-Za-z]/.test(run))
      .map((run) => run.length),
    0,
  );
  if (longestRun < 16) return false;
  return entropy(value) >= 3.5;
}

function entropy(text: string): number {
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const count of counts.values()) {
    const p = count / text.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** A value that is a credential by itself (a header value, a password field): not a reference, placeholder or a word. */
export function isLiteralCredential(value: string): boolean {
  if (isPlaceholder(value)) return false;
  const credential = /^(?:Bearer|Basic|Token|Bot)\s+(.+)$/i.exec(value.trim());
  const text = credential ? credential[1]!.trim() : value.trim();
  return !isPlaceholder(text);
}

/** Every credential-looking part of `text`, in order, without overlaps. */
export function findSecrets(text: string): SecretFinding[] {
  if (text.length < 8 || !MAYBE_SECRET.test(text)) return [];
  const found: SecretFinding[] = [];
  const add = (kind: SecretKind, from: number, to: number, what: string): void => {
    if (to > from) found.push({ kind, from, to, what });
  };
  for (const match of text.matchAll(PRIVATE_KEY)) {
    const body = match[2] ?? '';
    const bodyStart = match.index + match[0].length - body.length;
    // A header alone is still a key pasted in; the body is what a report must not print.
    add('private-key', body.trim() ? bodyStart : match.index, body.trim() ? bodyStart + body.length : match.index + match[0].length, 'a private key');
  }
  for (const match of text.matchAll(USERINFO)) {
    const user = match[1] ?? '';
    const password = match[2];
    if (password !== undefined) {
      if (!isPlaceholder(password) && !isPlaceholder(decodeSafely(password))) {
        const at = match.index + match[0].length - 1 - password.length;
        add('url-userinfo', at, at + password.length, 'a password in a URL');
      }
    } else if (looksLikeToken(user, 16) || new RegExp(`^(?:${PREFIXED_TOKEN.source})$`).test(user)) {
      const at = match.index + match[0].length - 1 - user.length;
      add('url-userinfo', at, at + user.length, 'a token in a URL');
    }
  }
  for (const match of text.matchAll(QUERY_PARAMETER)) {
    const name = match[1]!.toLowerCase();
    const value = match[2]!;
    if (!CREDENTIAL_PARAMETERS.has(name) || isPlaceholder(value) || isPlaceholder(decodeSafely(value))) continue;
    const at = match.index + match[0].length - value.length;
    add('query-parameter', at, at + value.length, `a credential in the URL parameter ${match[1]}`);
  }
  for (const match of text.matchAll(AUTHORIZATION)) {
    const value = match[2]!;
    if (!credentialShaped(value)) continue;
    const at = match.index + match[0].length - value.length;
    add('authorization', at, at + value.length, `a ${match[1]} credential`);
  }
  let awsKey = false;
  for (const match of text.matchAll(AWS_ACCESS_KEY)) {
    awsKey = true;
    add('aws-access-key', match.index, match.index + match[0].length, 'an AWS access key');
  }
  for (const match of text.matchAll(AWS_SECRET_NAMED)) {
    const at = match.index + match[0].length - match[1]!.length;
    add('aws-secret-key', at, at + match[1]!.length, 'an AWS secret key');
  }
  if (awsKey) {
    for (const match of text.matchAll(BASE64_40)) {
      if (/[0-9]/.test(match[0]) && /[a-z]/.test(match[0]) && /[A-Z]/.test(match[0])) add('aws-secret-key', match.index, match.index + match[0].length, 'an AWS secret key');
    }
  }
  for (const match of text.matchAll(PREFIXED_TOKEN)) add('api-token', match.index, match.index + match[0].length, 'an API token');
  for (const { pattern, what } of WEBHOOK_PATHS) {
    for (const match of text.matchAll(pattern)) {
      const token = match[1]!;
      if (isPlaceholder(token)) continue;
      const at = match.index + match[0].length - token.length;
      add('webhook-token', at, at + token.length, what);
    }
  }
  return withoutOverlaps(found);
}

/** The tokens in the path of a webhook URL (an Alertmanager receiver's `url`): long generated segments. */
export function findPathTokens(url: string): SecretFinding[] {
  const found: SecretFinding[] = [];
  const start = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*/i.exec(url);
  if (!start) return found;
  let offset = start[0].length;
  const path = url.slice(offset).split(/[?#]/)[0]!;
  for (const segment of path.split('/')) {
    if (looksLikeToken(segment)) found.push({ kind: 'webhook-token', from: offset, to: offset + segment.length, what: 'a token in the webhook path' });
    offset += segment.length + 1;
  }
  return found;
}

function credentialShaped(value: string): boolean {
  const bare = value.replace(/=+$/, '');
  if (bare.length < 8 || isPlaceholder(bare)) return false;
  // Ordinary words after "Bearer"/"Basic" ("Basic authentication", "Bearer token-based") are prose, not credentials.
  const letters = /[A-Za-z]/.test(bare);
  return (letters && /[0-9]/.test(bare)) || (bare.length >= 20 && /[a-z]/.test(bare) && /[A-Z]/.test(bare)) || (value.endsWith('=') && letters);
}

function decodeSafely(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function withoutOverlaps(found: SecretFinding[]): SecretFinding[] {
  found.sort((a, b) => a.from - b.from || b.to - a.to);
  const kept: SecretFinding[] = [];
  for (const finding of found) {
    const last = kept[kept.length - 1];
    if (last && finding.from < last.to) {
      last.to = Math.max(last.to, finding.to);
      continue;
    }
    kept.push({ ...finding });
  }
  return kept;
}

const REDACTED = '[redacted]';

/** `text` with every credential-looking part replaced by `[redacted]`: for messages, which may end up in CI logs. */
export function redactSecrets(text: string): string {
  const found = findSecrets(text);
  if (found.length === 0) return text;
  let result = '';
  let at = 0;
  for (const finding of found) {
    result += text.slice(at, finding.from) + REDACTED;
    at = finding.to;
  }
  return result + text.slice(at);
}

/** `text` with every credential-looking part replaced by `*` of the same length: for source lines under a caret. */
export function maskSecrets(text: string): string {
  const found = findSecrets(text);
  if (found.length === 0) return text;
  let result = '';
  let at = 0;
  for (const finding of found) {
    result += text.slice(at, finding.from) + '*'.repeat(finding.to - finding.from);
    at = finding.to;
  }
  return result + text.slice(at);
}
