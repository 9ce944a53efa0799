/**
 * The files `mon-init` writes, by path relative to the new project. The
 * tsconfig's options are the ones `mon-build` type-checks definitions with
 * (load/typecheck.ts), so the editor and the build report the same errors.
 */
export function projectFiles(name: string, moncodeSpec: string): Record<string, { text: string; mode?: number }> {
  return {
    'package.json': { text: packageJson(name, moncodeSpec) },
    'tsconfig.json': { text: TSCONFIG },
    'definitions/tsconfig.json': { text: DEFINITIONS_TSCONFIG },
    'mon.config.ts': { text: CONFIG },
    'definitions/example/alerts.ts': { text: ALERTS },
    'definitions/example/dashboards.ts': { text: DASHBOARDS },
    'docs/runbooks/example/instance-down.md': { text: RUNBOOK },
    '.gitignore': { text: GITIGNORE },
    '.githooks/pre-commit': { text: HOOK, mode: 0o755 },
  };
}

function packageJson(name: string, moncodeSpec: string): string {
  const manifest = {
    name,
    version: '0.0.0',
    private: true,
    type: 'module',
    scripts: {
      build: 'mon-build',
      check: 'mon-build --check',
      lint: 'mon-lint',
      test: 'mon-test',
      // Points git at .githooks/ in every clone (and does nothing outside a git repository).
      prepare: 'mon-init --hooks',
    },
    dependencies: { moncode: moncodeSpec },
  };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

const TSCONFIG = `{
  // The options mon-build type-checks definitions with (definitions/tsconfig.json
  // extends this file, and mon-build reads that one), so the editor shows the
  // build's errors. The plugin adds moncode's lint problems in the editor.
  "compilerOptions": {
    "target": "ES2022",
    "lib": ["ES2023"],
    "module": "ESNext",
    "moduleResolution": "Bundler",
    "allowImportingTsExtensions": true,
    "strict": true,
    "noEmit": true,
    "skipLibCheck": true,
    "types": [],
    "plugins": [{ "name": "moncode/tsserver-plugin" }]
  },
  "include": ["definitions", "mon.config.ts"]
}
`;

const DEFINITIONS_TSCONFIG = `{
  // mon-build reads the tsconfig.json of definitions/: this one is the project's.
  "extends": "../tsconfig.json"
}
`;

const CONFIG = `import { defineConfig } from 'moncode';

export default defineConfig({
  systems: {
    // One entry per folder of definitions/: the targets its files are built for.
    example: { prometheus: { scrapeInterval: '15s', evaluationInterval: '15s' } },
  },
  lint: {
    // Runbooks written as paths of this repository (docs/runbooks/…) are linked under this base in
    // the alerts mon-build writes. Replace it with your repository's, e.g. https://github.com/<org>/<repo>/blob/main/
    runbookBaseUrls: ['https://git.example.com/monitoring/blob/main/'],
  },
});
`;

const ALERTS = `import { alertRule, ruleGroup } from 'moncode';

export const exampleAlerts = ruleGroup({
  name: 'example',
  rules: [
    alertRule({
      alert: 'InstanceDown',
      expr: 'up{job="example"} == 0',
      for: '5m',
      labels: { severity: 'critical' },
      annotations: {
        summary: 'Instance {{ $labels.instance }} is down',
        description: 'Prometheus has not scraped {{ $labels.instance }} of job {{ $labels.job }} for 5 minutes.',
        runbook_url: 'docs/runbooks/example/instance-down.md',
      },
    }),
  ],
});
`;

const DASHBOARDS = `import { dashboard, prom, row, stat, timeseries } from 'moncode';

export const example = dashboard({
  title: 'Example',
  tags: ['example'],
  refresh: '30s',
  rows: [
    row('Targets', [
      stat({ title: 'Targets up', unit: 'none', targets: [prom('sum(up{job="example"})')] }),
      timeseries({
        title: 'Scrape duration',
        unit: 's',
        targets: [prom('max by (instance) (scrape_duration_seconds{job="example"})', { legend: '{{instance}}' })],
      }),
    ]),
  ],
});
`;

const RUNBOOK = `# Example: InstanceDown

Severity: critical. Fires when Prometheus has not scraped an instance of job
\`example\` for 5 minutes.

## What it means

\`up{job="example"} == 0\`: the last scrapes of the instance failed (refused,
timed out, or answered with something that is not a metrics page).

## Investigate

1. Open Prometheus' **Status → Targets** page: the error of the last scrape is
   next to the target.
2. Is the process running, and does its metrics endpoint answer on the host?
   \`\`\`sh
   curl -sS http://<instance>/metrics | head
   \`\`\`

## Resolve

Restart the process or fix what the scrape error names; the alert resolves at
the next successful scrape.
`;

const GITIGNORE = `node_modules/
# out/ is committed on purpose: reviews show what a change does to the generated
# files, deployments read them from the repository, and \`mon-build --check\` in CI
# fails when out/ is not what the definitions build. (moncode's caches live in
# node_modules/.cache/moncode.)
`;

const HOOK = `#!/bin/sh
# Runs moncode's pre-commit check (node_modules/moncode/hooks/pre-commit): lints what is
# staged and blocks the commit while mon-lint finds errors. \`npm install\` points git at
# this folder (the "prepare" script runs \`mon-init --hooks\`).
cd "$(dirname "$0")/.." || exit 1
if [ ! -x node_modules/moncode/hooks/pre-commit ]; then
  echo "pre-commit: moncode is not installed here: run npm install (or commit with --no-verify)" >&2
  exit 1
fi
MONCODE_PROJECT=. exec node_modules/moncode/hooks/pre-commit "$@"
`;
