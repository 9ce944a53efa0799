import { build, type BuildResult } from '../commands/build.js';
import { watchProject } from '../commands/watch.js';
import { formatJson } from '../report/json.js';
import { formatPretty, wantsColor } from '../report/pretty.js';
import { UnusableInputError } from '../model/diagnostic.js';
import { COMMON_OPTIONS, parseCommandLine, reportFailure, runCli } from './common.js';

const HELP = `Usage: mon-build [options]

Type-checks and runs definitions/, compiles dashboards, provisioning and rule
files, lints them, and writes out/ (only when there are no errors).

Options:
  --check          write nothing; exit 1 if out/ is not what a build would write
  --watch          rebuild when a file the build read changes (definitions and
                   their imports, mon.config.ts, runbook pages) or a file is
                   added to definitions/
  --format FORMAT  pretty (default) or json
  --config FILE    use FILE instead of the nearest mon.config.ts
  --time-limit S   seconds mon.config.ts, then the definitions, may run (60)
  --quiet          report errors only
  --debug          show stack traces of internal errors
  -h, --help       show this help

Exit codes: 0 built (warnings allowed), 1 errors in definitions or out/ stale
(--check), 2 unusable input (bad usage, bad config, no definitions folder).
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  check: { type: 'boolean', default: false },
  watch: { type: 'boolean', default: false },
  'time-limit': { type: 'string' },
} as const;

function timeLimitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0)) throw new UnusableInputError(`--time-limit "${value}" is not a number of seconds above 0`);
  return seconds * 1000;
}

export async function main(argv: string[]): Promise<void> {
  await runCli('mon-build', argv, async () => {
    const { values } = parseCommandLine(argv, OPTIONS, ['pretty', 'json']);
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const timeLimitMs = timeLimitOf(values['time-limit']);
    const format = values.format as 'pretty' | 'json';
    if (values.watch) {
      await watchProject({
        cwd: process.cwd(),
        config: values.config,
        check: values.check,
        timeLimitMs,
        onBuild: (result) => report(result, format, values.quiet, values.check),
        onFailure: (error) => reportFailure('mon-build', error, values.debug),
        onIdle: () => process.stdout.write('watching for changes…\n'),
      });
      return new Promise<number>(() => undefined);
    }
    const result = await build({ cwd: process.cwd(), config: values.config, check: values.check, timeLimitMs });
    report(result, format, values.quiet, values.check);
    if (process.env.MONCODE_TIMINGS) {
      process.stderr.write(`${JSON.stringify({ timings: result.timings, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
    }
    return result.exitCode;
  });
}

function report(result: BuildResult, format: 'pretty' | 'json', quiet: boolean, check: boolean): void {
  const diagnostics = quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
  if (format === 'json') {
    process.stdout.write(formatJson(diagnostics, result.summary));
    return;
  }
  const out = formatPretty(diagnostics, result.summary, result.sources, { color: wantsColor(process.stdout), codeFrames: true });
  if (diagnostics.length > 0 || !quiet) process.stdout.write(out);
  const diff = result.diff;
  if (check && diff) {
    for (const file of diff.changed) process.stdout.write(`out of date: ${file}\n`);
    for (const file of diff.added) process.stdout.write(`missing: ${file}\n`);
    for (const file of diff.removed) process.stdout.write(`stale: ${file}\n`);
    if (result.exitCode === 0) process.stdout.write('out/ is up to date\n');
    else if (result.summary.errors === 0) process.stdout.write('out/ differs from the definitions: run mon-build\n');
  } else if (!quiet && result.summary.errors === 0) {
    const files = `${result.outputs.length} file${result.outputs.length === 1 ? '' : 's'}`;
    process.stdout.write(result.wrote ? `wrote ${files} to out/\n` : `out/ is up to date (${files})\n`);
  } else if (result.summary.errors > 0) {
    process.stdout.write('out/ left unchanged\n');
  }
}
