import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { socketPath, type DaemonReply, type LintInvocation } from '../../src/cli/lint-daemon-protocol.js';
import { makeProject, REPO_ROOT } from '../helpers/project.js';

// mon-lint --staged through the repository's resident process (src/cli/lint-daemon.ts): started by the
// first hook, it lints each new index ahead; its answers are byte for byte the cold command's.

const BIN = path.join(REPO_ROOT, 'bin', 'mon-lint.js');
const ALERTS = `import { alertRule, ruleGroup } from 'moncode';

export const api = ruleGroup({
  name: 'api',
  rules: [
    alertRule({
      alert: 'ApiDown',
      expr: 'up{job="api"} == 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: { summary: 'API down', description: 'The API target is down.', runbook_url: 'https://runbooks.example.com/api-down' },
    }),
  ],
});
`;
const FAULTY = ALERTS.replace(", runbook_url: 'https://runbooks.example.com/api-down'", '');
const ARGV = ['--staged'];

describe('mon-lint --staged answered by the resident process', () => {
  let dir: string;
  let env: Record<string, string>;
  let socket: string;
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const stage = (text: string) => {
    writeFileSync(path.join(dir, 'definitions', 'api', 'alerts.ts'), text);
    git('add', '-A');
  };
  const run = (daemon: '0' | '1') => {
    const child = spawnSync(process.execPath, [BIN, ...ARGV], { cwd: dir, env: { ...env, MONCODE_LINT_DAEMON: daemon }, encoding: 'utf8' });
    return { stdout: child.stdout, stderr: child.stderr, code: child.status };
  };
  /** What the daemon answers for this invocation, asked over its socket as the hook asks it. */
  const ask = (extra: Record<string, string> = {}): Promise<DaemonReply> => {
    const invocation: LintInvocation = { cwd: dir, argv: ARGV, env: { ...env, MONCODE_LINT_DAEMON: '1', ...extra }, tty: false };
    return new Promise((resolve, reject) => {
      const chunks: Buffer[] = [];
      const connection = net.createConnection(socket);
      connection.on('connect', () => connection.end(JSON.stringify({ version: 1, invocation })));
      connection.on('data', (chunk) => chunks.push(chunk));
      connection.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as DaemonReply));
      connection.on('error', reject);
    });
  };

  beforeAll(() => {
    dir = realpathSync(makeProject({ 'mon.config.ts': `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`, 'definitions/api/alerts.ts': ALERTS }));
    mkdirSync(path.join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, path.join(dir, 'node_modules', 'moncode'));
    writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
    env = Object.fromEntries(Object.entries(process.env).filter((entry): entry is [string, string] => entry[1] !== undefined && !entry[0].startsWith('GIT_')));
    Object.assign(env, { NO_COLOR: '1', GIT_AUTHOR_NAME: 't', GIT_AUTHOR_EMAIL: 't@example.com', GIT_COMMITTER_NAME: 't', GIT_COMMITTER_EMAIL: 't@example.com' });
    execFileSync('git', ['init', '-q'], { cwd: dir });
    git('add', '-A');
    execFileSync('git', ['commit', '-qm', 'init'], { cwd: dir, env });
    socket = socketPath(dir);
  });
  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('the first hook lints cold and starts the daemon; each new index is answered as the cold command answers it', async () => {
    stage(FAULTY);
    const faulty = run('0');
    expect(faulty.code).toBe(1);
    expect(faulty.stdout).toContain('runbook/missing');
    // No daemon yet: this one lints cold (the same output) and starts it.
    expect(run('1')).toEqual(faulty);
    for (let waited = 0; !existsSync(socket) && waited < 20_000; waited += 100) await new Promise((r) => setTimeout(r, 100));
    expect(existsSync(socket)).toBe(true);

    // A fix is staged: the daemon lints it ahead; its answer is the cold command's for that index.
    stage(ALERTS);
    const clean = run('0');
    expect(clean.code).toBe(0);
    expect(await ask()).toEqual({ hit: true, ...clean });
    // The hook prints that answer.
    expect(run('1')).toEqual(clean);

    // The fault staged again: never the previous answer.
    stage(FAULTY);
    await new Promise((r) => setTimeout(r, 500));
    expect(await ask()).toEqual({ hit: true, ...faulty });
  }, 300_000);

  it('has no answer for another index (git commit -a, a path commit) or other arguments', async () => {
    const other = path.join(dir, '.git', 'other-index');
    execFileSync('git', ['read-tree', 'HEAD'], { cwd: dir, env: { ...env, GIT_INDEX_FILE: other } });
    expect(await ask({ GIT_INDEX_FILE: other })).toEqual({ hit: false });
    expect(await ask({ SOME_SETTING: 'x' })).toEqual({ hit: false });
    // The default index, named as git names it for a hook, is the one answered.
    expect((await ask({ GIT_INDEX_FILE: '.git/index' })).hit).toBe(true);
  }, 120_000);

  it('ends, removing its socket, when the repository is gone', async () => {
    rmSync(dir, { recursive: true, force: true });
    for (let waited = 0; existsSync(socket) && waited < 30_000; waited += 200) await new Promise((r) => setTimeout(r, 200));
    expect(existsSync(socket)).toBe(false);
  }, 60_000);
});
