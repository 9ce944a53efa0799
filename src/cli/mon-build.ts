import { build, type BuildResult } from '../commands/build.js';
import { watchProject } from '../commands/watch.js';
import { MONCODE_VERSION } from '../load/project.js';
import { formatGithub } from '../report/github.js';
import { formatJson } from '../report/json.js';
import { formatPretty, wantsColor } from '../report/pretty.js';
import { startProgress } from '../report/progress.js';
import { formatSarif } from '../report/sarif.js';
import { UnusableInputError } from '../model/diagnostic.js';
import { COMMON_OPTIONS, parseCommandLine, reportFailure, runCli, timeLimitOf, type Format } from './common.js';

const HELP = `Usage: mon-build [options]

Type-checks and runs definitions/, compiles dashboards, provisioning and rule
files, lints them, and writes out/ (only when there are no errors).

Options:
  --check          write nothing; exit 1 if out/ is not what a build would write
  --watch          rebuild when a file the build read changes (definitions and
                   their imports, mon.config.ts, runbook pages) or a file is
                   added to definitions/
  --format FORMAT  pretty (default), json, sarif or github; with json, sarif
                   and github what --check finds stale goes to stderr
  --config FILE    use FILE instead of the nearest mon.config.ts
  --time-limit S   seconds mon.config.ts, then the definitions, may run (60)
  --quiet          report errors only
  --debug          show stack traces of internal errors
  -h, --help       show this help
  --version        print moncode's version

On a terminal, a build that takes over 2 seconds shows its progress on stderr.

Exit codes: 0 built (warnings allowed), 1 errors in definitions or out/ stale
(--check), 2 unusable input (bad usage, bad config, no definitions folder, a
definition that does not parse).
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  check: { type: 'boolean', default: false },
  watch: { type: 'boolean', default: false },
  'time-limit': { type: 'string' },
} as const;

export async function main(argv: string[]): Promise<void> {
  await runCli('mon-build', argv, async () => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, ['pretty', 'json', 'sarif', 'github']);
    if (positionals.length > 0)
      throw new UnusableInputError(`mon-build takes no paths (got "${positionals[0]}"): it builds the project's definitions/ — run it in the project's folder, or name its config with --config FILE`);
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const timeLimitMs = timeLimitOf(values['time-limit']);
    const format = values.format as Format;
    if (values.watch) {
      // One SARIF log per rebuild on one stream is not a SARIF file; annotations are for one CI run.
      if (format === 'sarif' || format === 'github') throw new UnusableInputError(`--watch reports as pretty or json, not ${format}`);
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
    const progress = startProgress(process.stderr, 'mon-build');
    let result: BuildResult;
    try {
      result = await build({ cwd: process.cwd(), config: values.config, check: values.check, timeLimitMs, onPhase: progress.phase });
    } finally {
      progress.stop();
    }
    report(result, format, values.quiet, values.check);
    if (process.env.MONCODE_TIMINGS) {
      process.stderr.write(`${JSON.stringify({ timings: result.timings, maxRssKiB: process.resourceUsage().maxRSS })}\n`);
    }
    return result.exitCode;
  });
}

function report(result: BuildResult, format: Format, quiet: boolean, check: boolean): void {
  const diagnostics = quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
  if (format !== 'pretty') {
    if (format === 'json') process.stdout.write(formatJson(diagnostics, result.summary));
    else if (format === 'sarif') process.stdout.write(formatSarif(diagnostics, MONCODE_VERSION));
    else process.stdout.write(formatGithub(diagnostics));
    // stdout holds one document of its format: what --check found stale is said on stderr.
    if (check && result.diff) staleReport(result, process.stderr);
    if (format === 'github' && check && result.exitCode === 1 && result.summary.errors === 0)
      process.stdout.write('::error title=mon-build --check::out/ differs from the definitions: run mon-build and commit out/\n');
    return;
  }
  const out = formatPretty(diagnostics, result.summary, result.sources, { color: wantsColor(process.stdout), codeFrames: true });
  if (diagnostics.length > 0 || !quiet) process.stdout.write(out);
  if (check && result.diff) {
    staleReport(result, process.stdout);
  } else if (!quiet && result.summary.errors === 0) {
    const files = `${result.outputs.length} file${result.outputs.length === 1 ? '' : 's'}`;
    process.stdout.write(result.wrote ? `wrote ${files} to out/\n` : `out/ is up to date (${files})\n`);
  } else if (result.summary.errors > 0) {
    process.stdout.write('out/ left unchanged\n');
  }
}

/** What --check found: the files of out/ that differ, then the verdict. */
function staleReport(result: BuildResult, stream: NodeJS.WriteStream): void {
  const diff = result.diff!;
  for (const file of diff.changed) stream.write(`out of date: ${file}\n`);
  for (const file of diff.added) stream.write(`missing: ${file}\n`);
  for (const file of diff.removed) stream.write(`stale: ${file}\n`);
  if (result.exitCode === 0) stream.write('out/ is up to date\n');
  else if (result.summary.errors === 0) stream.write('out/ differs from the definitions: run mon-build\n');
}
