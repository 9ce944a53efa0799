import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { matchRoutes, type Labels } from '../../src/routing/evaluate.js';
import { requireTool, runToolAsync } from '../helpers/tools.js';

const amtool = requireTool('amtool');

/** A tree with every routing feature amtool resolves: nesting, inheritance, `continue`, regexes, negative and empty matchers, the old `match`. */
const CONFIG = {
  route: {
    receiver: 'default',
    group_by: ['alertname'],
    routes: [
      { matchers: ['severity="critical"'], receiver: 'pager', continue: true },
      {
        matchers: ['team=~"db|infra"'],
        receiver: 'db',
        routes: [
          { matchers: ['env!="prod"'], receiver: 'db-staging' },
          { matchers: ['service=~"pg.*"', 'severity="critical"'], receiver: 'db-pager', continue: true },
          { matchers: ['service=~"pg.*"'] },
        ],
      },
      { matchers: ['team=""', 'severity="warning"'], receiver: 'orphans' },
      { match: { team: 'web' }, match_re: { env: 'prod|canary' }, receiver: 'web', continue: true },
      { matchers: ['team="web"'], receiver: 'web-all' },
      { matchers: ['alertname!~"Watchdog|Info.*"', 'team="web"'], receiver: 'never' },
    ],
  },
  receivers: ['default', 'pager', 'db', 'db-staging', 'db-pager', 'orphans', 'web', 'web-all', 'never'].map((name) => ({ name })),
};

const CASES: Array<[string, Labels]> = [
  ['nothing matches: the root', { alertname: 'A', team: 'ops' }],
  ['no labels at all', {}],
  ['critical continues into team db', { severity: 'critical', team: 'db', env: 'prod' }],
  ['nested: db staging', { team: 'infra', env: 'staging' }],
  ['nested: label missing counts as empty for !=', { team: 'db' }],
  ['nested continue then a route without receiver inherits', { team: 'db', env: 'prod', service: 'pgbouncer', severity: 'critical' }],
  ['nested route without receiver', { team: 'db', env: 'prod', service: 'pg' }],
  ['regex is anchored', { team: 'dbx', env: 'prod' }],
  ['team="" matches a missing team', { severity: 'warning' }],
  ['team="" does not match a team', { severity: 'warning', team: 'ops' }],
  ['old match and match_re, continue', { team: 'web', env: 'canary' }],
  ['match_re anchored', { team: 'web', env: 'production' }],
  ['stops at web-all', { team: 'web', alertname: 'Watchdog' }],
  ['critical alone', { severity: 'critical' }],
  ['critical web prod', { severity: 'critical', team: 'web', env: 'prod' }],
];

const dir = mkdtempSync(path.join(os.tmpdir(), 'routing-amtool-'));
const file = path.join(dir, 'alertmanager.yml');
writeFileSync(file, stringify(CONFIG));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!amtool)('the routing evaluator agrees with amtool config routes test', () => {
  it.each(CASES)('%s', async (_name, labels) => {
    const args = Object.entries(labels).map(([k, v]) => `${k}=${v}`);
    const run = await runToolAsync(amtool!, ['config', 'routes', 'test', `--config.file=${file}`, ...args]);
    expect(run.code, run.output).toBe(0);
    const resolved = run.output
      .split('\n')
      .find((line) => line.trim() && !line.startsWith('Warning'))!
      .trim();
    const ours = [...new Set(matchRoutes(CONFIG, labels).map((r) => r.receiver))].join(',');
    expect(ours).toBe(resolved);
  });
});
