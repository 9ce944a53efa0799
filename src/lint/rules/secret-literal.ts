import type { Container } from '../types.js';
import { defineRule } from '../types.js';
import { isMap } from '../alertmanager.js';

/** Alertmanager fields that hold credentials; each has a `_file` twin (or a credentials file) to use instead. */
const SECRET_FIELDS: Record<string, string> = {
  slack_api_url: 'slack_api_url_file',
  api_url: 'api_url_file',
  service_key: 'service_key_file',
  routing_key: 'routing_key_file',
  smtp_auth_password: 'smtp_auth_password_file',
  auth_password: 'auth_password_file',
  auth_secret: 'auth_secret_file',
  opsgenie_api_key: 'opsgenie_api_key_file',
  api_key: 'api_key_file',
  victorops_api_key: 'victorops_api_key_file',
  wechat_api_secret: 'api_secret_file',
  api_secret: 'api_secret_file',
  bot_token: 'bot_token_file',
  token: 'token_file',
  user_key: 'user_key_file',
  webhook_url: 'webhook_url_file',
  password: 'password_file',
  bearer_token: 'bearer_token_file',
  credentials: 'credentials_file',
  client_secret: 'client_secret_file',
  secret_key: 'a credentials file',
  telegram_bot_token: 'bot_token_file',
};

/** Webhook URLs that are credentials by themselves. */
const SECRET_URL = /hooks\.slack\.com\/services\/|discord(app)?\.com\/api\/webhooks\/|outlook\.office(365)?\.com\/webhook|webhook\.office\.com|[?&](token|key|secret|apikey|api_key|access_token|password)=|\/\/[^/@\s]+:[^/@\s]+@/i;

/** Grafana provisioning: secrets belong in secureJsonData as $__file{…}/$__env{…} references. */
const GRAFANA_SECRET = /^\$__(file|env)\{[^}]+\}$/;

export default defineRule({
  meta: { id: 'secret/literal', defaultSeverity: 'error', summary: 'A webhook URL, API key, service key or password written literally in a definition.' },
  check({ model, report }) {
    for (const am of model.alertmanagers) {
      walkConfig(am.config, '', (key, value, at) => {
        if (typeof value !== 'string' || value === '' || value === '<secret>') return;
        const twin = SECRET_FIELDS[key];
        const urlSecret = (key === 'url' || key.endsWith('_url')) && SECRET_URL.test(value);
        if (!twin && !urlSecret) return;
        if (key === 'api_url' && !SECRET_URL.test(value) && !/^\s*(YOUR_|\$\{|<)/.test(value)) return; // an API base URL, not a webhook
        report({ in: am, at, subject: key, message: describe(key, value, twin ?? `${key}_file`) });
      });
    }
    for (const file of model.provisioning) {
      const datasources = file.config.datasources;
      if (!Array.isArray(datasources)) continue;
      datasources.forEach((ds, i) => {
        if (!isMap(ds)) return;
        const name = String(ds.name ?? i);
        for (const key of ['password', 'basicAuthPassword']) {
          if (typeof ds[key] === 'string' && ds[key] !== '') report({ in: file, at: `/datasources/${i}/${key}`, subject: name, message: `datasource "${name}" has its ${key} written in the file: move it to secureJsonData as $__file{…} or $__env{…}` });
        }
        if (isMap(ds.secureJsonData)) {
          for (const [key, value] of Object.entries(ds.secureJsonData)) {
            if (typeof value === 'string' && value !== '' && !GRAFANA_SECRET.test(value)) {
              report({ in: file, at: `/datasources/${i}/secureJsonData/${key}`, subject: name, message: `secureJsonData.${key} of "${name}" is written literally: use $__file{/path} or $__env{NAME}` });
            }
          }
        }
        if (typeof ds.url === 'string' && /\/\/[^/@\s]+:[^/@\s]+@/.test(ds.url)) {
          report({ in: file, at: `/datasources/${i}/url`, subject: name, message: `the URL of "${name}" carries a password: use basicAuth with secureJsonData.basicAuthPassword as $__file{…}` });
        }
      });
    }
  },
});

function describe(key: string, value: string, twin: string): string {
  if (/^\s*\$\{?[A-Z_][A-Z0-9_]*\}?\s*$/.test(value)) {
    return `${key} is "${value}": Alertmanager does not expand environment variables, so this is sent literally; put the secret in a file and use ${twin}`;
  }
  if (/^\s*(YOUR_|<|CHANGE|REPLACE|XXX)/i.test(value)) return `${key} holds a placeholder written into the config; keep credentials out of it with ${twin}`;
  return `${key} is written literally in the config, where anyone who can read it can use it: put it in a file and use ${twin}`;
}

function walkConfig(value: unknown, at: string, visit: (key: string, value: unknown, at: string) => void, budget = { left: 100_000 }): void {
  if (budget.left-- <= 0) return;
  if (Array.isArray(value)) {
    value.forEach((item, i) => walkConfig(item, `${at}/${i}`, visit, budget));
    return;
  }
  if (!isMap(value)) return;
  for (const [key, child] of Object.entries(value)) {
    const here = `${at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`;
    visit(key, child, here);
    walkConfig(child, here, visit, budget);
  }
}

export type { Container };
