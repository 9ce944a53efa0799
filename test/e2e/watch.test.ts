import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeProject, REPO_ROOT, writeFiles } from '../helpers/project.js';

// Deadlines, never sleeps: each step waits for the build's report line, for up to this long.
const DEADLINE_MS = 90_000;

const THRESHOLDS = (minutes: number) => `export const downFor = '${minutes}m';\n`;

const RULES = (runbook = 'docs/runbooks/checkout.md#checkout-down', thresholds = '../../lib/thresholds.ts') => `import { alertRule, ruleGroup } from 'moncode';
import { downFor } from '${thresholds}';

export const groups = [
  ruleGroup({
    name: 'checkout',
    rules: [alertRule({ alert: 'CheckoutDown', expr: 'up{job="checkout"} == 0', for: downFor, labels: { severity: 'critical' }, annotations: { summary: 'Checkout is down', description: 'No checkout instance answers scrapes', runbook_url: '${runbook}' } })],
  }),
];
`;

const EXTRA = `import { alertRule, ruleGroup } from 'moncode';

export const groups = [
  ruleGroup({
    name: 'payments',
    rules: [alertRule({ alert: 'PaymentsDown', expr: 'up{job="payments"} == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: 'Payments is down', description: 'No payments instance answers scrapes', runbook_url: 'docs/runbooks/checkout.md#checkout-down' } })],
  }),
];
`;

const RUNBOOK = '# Checkout\n\n## Checkout down\n';

function project(): string {
  return makeProject({
    // Repository paths in runbook_url become links under this base (mon-build refuses them without one).
    'mon.config.ts': "import { defineConfig } from 'moncode';\nexport default defineConfig({ lint: { runbookBaseUrls: ['https://git.example.com/shop/blob/main/'] } });\n",
    'definitions/checkout/rules.ts': RULES(),
    'lib/thresholds.ts': THRESHOLDS(5),
    'lib/other.ts': THRESHOLDS(3),
    'docs/runbooks/checkout.md': RUNBOOK,
  });
}

/** A build's last line (see src/cli/mon-build.ts): one per build, whatever its outcome. */
const BUILD_LINE = /^(wrote \d+ files? to out\/|out\/ is up to date \(\d+ files?\)|out\/ left unchanged)$/gm;

class Watcher {
  readonly child: ChildProcessWithoutNullStreams;
  output = '';
  errors = '';

  constructor(readonly dir: string) {
    this.child = spawn(process.execPath, [path.join(REPO_ROOT, 'bin', 'mon-build.js'), '--watch'], { cwd: dir, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '' } });
    this.child.stdout.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child.stderr.on('data', (chunk: Buffer) => (this.errors += chunk.toString()));
  }

  builds(): number {
    return this.output.match(BUILD_LINE)?.length ?? 0;
  }

  /** Waits until build number `count` has been reported and the watch is idle again. */
  async build(count: number): Promise<void> {
    for (const started = Date.now(); this.builds() < count || !this.output.trimEnd().endsWith('watching for changes…');) {
      if (this.child.exitCode !== null) throw new Error(`the watch ended (${this.child.exitCode}):\n${this.output}\n${this.errors}`);
      if (Date.now() - started > DEADLINE_MS) throw new Error(`no build ${count} within ${DEADLINE_MS / 1000} s (saw ${this.builds()}):\n${this.output}\n${this.errors}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill();
    await exited;
  }
}

const rules = (dir: string) => readFileSync(path.join(dir, 'out/prometheus/rules/checkout.rules.yml'), 'utf8');

/** Saves the way vim, JetBrains' safe write and `sed -i` do: a new file renamed over the old one. */
function renameOver(file: string, text: string): void {
  writeFileSync(`${file}.tmp`, text);
  renameSync(`${file}.tmp`, file);
}

describe('mon-build --watch', () => {
  it('keeps rebuilding through atomic saves of a definition and of the module it imports, once per save', async () => {
    const dir = project();
    const watcher = new Watcher(dir);
    const definition = path.join(dir, 'definitions/checkout/rules.ts');
    const imported = path.join(dir, 'lib/thresholds.ts');
    try {
      await watcher.build(1);
      expect(rules(dir)).toContain('for: 5m');
      let expected = 1;
      const saves: Array<[string, () => void, string]> = [
        ['rename over the imported module', () => renameOver(imported, THRESHOLDS(6)), 'for: 6m'],
        ['rename over it again', () => renameOver(imported, THRESHOLDS(7)), 'for: 7m'],
        ['sed -i on it', () => spawnSync('sed', ['-i', 's/7m/8m/', imported]), 'for: 8m'],
        ['delete and create it', () => (rmSync(imported), writeFileSync(imported, THRESHOLDS(9))), 'for: 9m'],
        ['backup, write, remove the backup', () => (renameSync(imported, `${imported}~`), writeFileSync(imported, THRESHOLDS(11)), rmSync(`${imported}~`)), 'for: 11m'],
        ['write it in place', () => writeFileSync(imported, THRESHOLDS(12)), 'for: 12m'],
        ['rename over the definition', () => renameOver(definition, RULES().replace('for: downFor', "for: '13m'")), 'for: 13m'],
        ['rename over the definition again', () => renameOver(definition, RULES().replace('for: downFor', "for: '14m'")), 'for: 14m'],
        ['sed -i on the definition', () => spawnSync('sed', ['-i', 's/14m/15m/', definition]), 'for: 15m'],
      ];
      for (const [what, save, output] of saves) {
        save();
        await watcher.build(++expected);
        expect(rules(dir), what).toContain(output);
        expect(watcher.builds(), `${what}: one rebuild per save`).toBe(expected);
      }
      expect(watcher.errors).toBe('');
    } finally {
      await watcher.stop();
    }
  }, 600_000);

  it('rebuilds when a runbook page changes: the runbook diagnostic appears, and goes when the page is fixed', async () => {
    const dir = project();
    const watcher = new Watcher(dir);
    const runbook = path.join(dir, 'docs/runbooks/checkout.md');
    try {
      await watcher.build(1);
      expect(watcher.output).not.toContain('runbook/unresolved');

      renameOver(runbook, '# Checkout\n\n## Checkout is slow\n');
      await watcher.build(2);
      expect(watcher.output).toMatch(/definitions\/checkout\/rules\.ts:\d+:\d+: error: runbook checkout\.md has no heading for `#checkout-down`.*runbook\/unresolved/);
      expect(watcher.output.trimEnd()).toMatch(/out\/ left unchanged\nwatching for changes…$/);
      expect(rules(dir)).toContain('for: 5m');

      // Gone, then back: a page that did not exist is watched for too.
      rmSync(runbook);
      await watcher.build(3);
      expect(watcher.output.split('watching for changes…')[2]).toMatch(/runbook `docs\/runbooks\/checkout\.md` does not exist/);
      writeFileSync(runbook, RUNBOOK);
      await watcher.build(4);
      const last = watcher.output.split('watching for changes…')[3]!;
      expect(last).not.toContain('runbook/unresolved');
      expect(last).toMatch(/out\/ is up to date \(\d+ files?\)|wrote \d+ files? to out\//);
      expect(watcher.builds()).toBe(4);
    } finally {
      await watcher.stop();
    }
  }, 600_000);

  it('rebuilds for a new definition file, follows what is imported now, and never for out/', async () => {
    const dir = project();
    const watcher = new Watcher(dir);
    try {
      await watcher.build(1);

      writeFiles(dir, { 'definitions/checkout/payments.ts': EXTRA });
      await watcher.build(2);
      expect(rules(dir)).toContain('alert: PaymentsDown');

      // The definition now imports lib/other.ts instead of lib/thresholds.ts.
      renameOver(path.join(dir, 'definitions/checkout/rules.ts'), RULES(undefined, '../../lib/other.ts'));
      await watcher.build(3);
      expect(rules(dir)).toContain('for: 3m');
      writeFileSync(path.join(dir, 'lib/other.ts'), THRESHOLDS(4));
      await watcher.build(4);
      expect(rules(dir)).toContain('for: 4m');

      // Neither a file no longer imported nor out/ starts a build: the next build is the one the marker edit starts.
      writeFileSync(path.join(dir, 'lib/thresholds.ts'), THRESHOLDS(20));
      writeFileSync(path.join(dir, 'out/prometheus/rules/stray.yml'), 'groups: []\n');
      renameOver(path.join(dir, 'out/prometheus/rules/checkout.rules.yml'), rules(dir));
      rmSync(path.join(dir, 'out/prometheus/rules/stray.yml'));
      writeFileSync(path.join(dir, 'lib/other.ts'), THRESHOLDS(2));
      await watcher.build(5);
      expect(rules(dir)).toContain('for: 2m');
      expect(watcher.builds()).toBe(5);
      expect(existsSync(path.join(dir, 'out/prometheus/rules/stray.yml'))).toBe(false);
    } finally {
      await watcher.stop();
    }
  }, 600_000);

  it('rebuilds when a data file a definition reads changes (readFileSync, fs.promises), through atomic saves', async () => {
    const dir = makeProject({
      'definitions/checkout/rules.ts': `import { alertRule, ruleGroup } from 'moncode';
const fs = (globalThis as any).process.getBuiltinModule('node:fs');
const { downFor } = JSON.parse(fs.readFileSync('data/down.json', 'utf8'));
const severity = (await fs.promises.readFile('data/severity.txt', 'utf8')).trim();
export const groups = [ruleGroup({ name: 'checkout', rules: [alertRule({ alert: 'CheckoutDown', expr: 'up == 0', for: downFor, labels: { severity }, annotations: { summary: 's', description: 'd', runbook_url: 'https://runbooks.example.com/checkout' } })] })];
`,
      'data/down.json': '{ "downFor": "5m" }\n',
      'data/severity.txt': 'critical\n',
    });
    const watcher = new Watcher(dir);
    try {
      await watcher.build(1);
      expect(rules(dir)).toContain('for: 5m');
      renameOver(path.join(dir, 'data/down.json'), '{ "downFor": "6m" }\n');
      await watcher.build(2);
      expect(rules(dir)).toContain('for: 6m');
      spawnSync('sed', ['-i', 's/critical/info/', path.join(dir, 'data/severity.txt')]);
      await watcher.build(3);
      expect(rules(dir)).toContain('severity: info');
      expect(watcher.builds()).toBe(3);
    } finally {
      await watcher.stop();
    }
  }, 600_000);

  it('keeps out/ and keeps watching when a change breaks the build', async () => {
    const dir = project();
    const watcher = new Watcher(dir);
    const definition = path.join(dir, 'definitions/checkout/rules.ts');
    try {
      await watcher.build(1);
      renameOver(definition, RULES().replace('for: downFor', "for: '10 minutes'"));
      await watcher.build(2);
      expect(watcher.output.trimEnd()).toMatch(/out\/ left unchanged\nwatching for changes…$/);
      expect(rules(dir)).toContain('for: 5m');

      renameOver(definition, RULES().replace('for: downFor', 'for: 42'));
      await watcher.build(3);
      expect(watcher.output).toMatch(/error TS2322|typescript/);
      expect(rules(dir)).toContain('for: 5m');

      renameOver(definition, RULES().replace('for: downFor', "for: '10m'"));
      await watcher.build(4);
      expect(rules(dir)).toContain('for: 10m');
    } finally {
      await watcher.stop();
    }
  }, 600_000);
});
