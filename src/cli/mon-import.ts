import { runImport } from '../commands/import.js';
import { INPUT_UNREADABLE, STANDARD_INPUT } from '../read/index.js';
import { formatJson } from '../report/json.js';
import { formatPretty, wantsColor } from '../report/pretty.js';
import { displayPath } from '../load/project.js';
import { COMMON_OPTIONS, parseCommandLine, runCli } from './common.js';

const HELP = `Usage: mon-import [options] PATH...

Brings existing monitoring files in as TypeScript definitions: Prometheus rule
files (plain, PrometheusRule, Thanos, Mimir, Loki), Alertmanager configs,
Grafana dashboards (any schemaVersion, exported, in ConfigMaps or
GrafanaDashboard resources) and datasource provisioning, in any mix, or folders
of them; the kind of each file comes from its content, as
for mon-lint. Writes a folder per system with a module per kind: alerts.ts,
recording.ts, alertmanager.ts, dashboards.ts, datasources.ts. A folder named
on the command line is one system named after it (subfolders included); a file
named on it is a system named after the file (/tmp/am.yml: am); --system NAME
puts everything into NAME. An existing file is never overwritten: if it
differs from what would be written, nothing is written and the exit code is 2.

Options:
  --out DIR          folder the systems are written into (default: definitions)
  --system NAME      put everything into one system NAME (default: a system
                     per folder or file named, after its name)
  --dry-run          print the modules instead of writing them
  --report           list what a round trip would not reproduce, and why: also
                     builds the imported definitions and compares the rule
                     groups and Alertmanager configs with the input as values
                     (after normalising order and defaults) and each dashboard
                     with its input, field by field (import/round-trip)
  --format FORMAT    pretty (default) or json, for the report
  --quiet            print nothing but errors
  --debug            show stack traces of internal errors
  -h, --help         show this help
  --version          print moncode's version

Exit codes: 0 imported, 2 unusable input (bad usage, a file that cannot be
read, a module that would overwrite a different existing file).
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  out: { type: 'string' },
  system: { type: 'string' },
  'dry-run': { type: 'boolean', default: false },
  report: { type: 'boolean', default: false },
} as const;

export async function main(argv: string[]): Promise<void> {
  await runCli('mon-import', argv, async () => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, ['pretty', 'json']);
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const cwd = process.cwd();
    const paths = positionals.map((p) => (p === '-' ? STANDARD_INPUT : p));
    const result = await runImport({ cwd, paths, out: values.out, system: values.system, dryRun: values['dry-run'], roundTrip: values.report });
    const shown = result.diagnostics.filter((d) => d.severity === 'error' || (!values.quiet && (d.severity === 'warning' || values.report)));
    if (values.format === 'json') process.stdout.write(formatJson(shown, result.summary));
    else if (shown.length > 0) process.stderr.write(formatPretty(shown, result.summary, result.sources, { color: wantsColor(process.stderr), codeFrames: true }));
    // Files that could not be read are reported above; what the others gave is still printed or written (exit 2 at the end).
    if (result.diagnostics.some((d) => d.severity === 'error' && d.rule !== INPUT_UNREADABLE)) return 2;
    if (values['dry-run']) {
      if (values.format !== 'json') for (const file of result.files) process.stdout.write(`// ${displayPath(cwd, `${result.outDir}/${file.path}`)}\n${file.content}\n`);
    } else if (!values.quiet && values.format !== 'json') {
      const unchanged = result.files.length - result.written.length;
      process.stdout.write(
        `mon-import: wrote ${result.written.length} module${result.written.length === 1 ? '' : 's'}${unchanged ? ` (${unchanged} already up to date)` : ''} to ${displayPath(cwd, result.outDir)}\n`,
      );
      for (const file of result.written) process.stdout.write(`  ${displayPath(cwd, file)}\n`);
    }
    return result.unusable ? 2 : 0;
  });
}
