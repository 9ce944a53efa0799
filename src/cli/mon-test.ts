import { runTests, type TestResult } from '../commands/test.js';
import { formatGithub } from '../report/github.js';
import { formatJson } from '../report/json.js';
import { formatPretty, wantsColor } from '../report/pretty.js';
import { formatSarif } from '../report/sarif.js';
import { formatCoverage } from '../report/coverage.js';
import { UnusableInputError } from '../model/diagnostic.js';
import { COMMON_OPTIONS, parseCommandLine, runCli, timeLimitOf, type Format } from './common.js';

const HELP = `Usage: mon-test [options]

Builds definitions/ in memory (out/ is left alone), runs its ruleTest()s with
the real \`promtool test rules\` and its routeTest()s with \`amtool config routes
test\` and moncode's routing evaluator (inhibition, grouping, time intervals),
and reports each failure at the test and the expectation that failed.

Options:
  --coverage       also report which alerts some test fires and some test
                   expects silent, which recording rules a test checks, which
                   receivers, routes and inhibit rules routing tests reach;
                   exit 1 below tests.coverage of mon.config.ts
  --coverage-format lcov
                   with --coverage, also write an LCOV tracefile mapping them
                   to the lines that define them (Codecov, Coveralls, genhtml)
  --coverage-file FILE
                   where --coverage-format writes (coverage/lcov.info)
  --format FORMAT  pretty (default), json, sarif or github
  --config FILE    use FILE instead of the nearest mon.config.ts
  --time-limit S   seconds mon.config.ts, then the definitions, may run (60)
  --quiet          report failures only
  --debug          show stack traces of internal errors
  -h, --help       show this help
  --version        print moncode's version

Exit codes: 0 every test passed, 1 a test failed or the definitions have
errors, 2 unusable input (bad usage, bad config, promtool not installed).
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  'time-limit': { type: 'string' },
  coverage: { type: 'boolean', default: false },
  'coverage-format': { type: 'string' },
  'coverage-file': { type: 'string' },
} as const;

export async function main(argv: string[]): Promise<void> {
  await runCli('mon-test', argv, async () => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, ['pretty', 'json', 'sarif', 'github']);
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (positionals.length > 0) throw new UnusableInputError(`mon-test takes no paths (got ${positionals[0]}): it tests the project's definitions`);
    const timeLimitMs = timeLimitOf(values['time-limit']);
    const coverageFormat = values['coverage-format'];
    if (coverageFormat !== undefined && coverageFormat !== 'lcov') throw new UnusableInputError(`--coverage-format "${coverageFormat}" is not one of: lcov`);
    if ((coverageFormat !== undefined || values['coverage-file'] !== undefined) && !values.coverage) throw new UnusableInputError('--coverage-format and --coverage-file go with --coverage');
    if (values['coverage-file'] !== undefined && coverageFormat === undefined) throw new UnusableInputError('--coverage-file needs --coverage-format lcov');
    if (values['coverage-file'] === '') throw new UnusableInputError('--coverage-file is empty');
    const result = await runTests({
      cwd: process.cwd(),
      config: values.config,
      timeLimitMs,
      coverage: values.coverage,
      ...(coverageFormat === 'lcov' ? { lcovFile: values['coverage-file'] ?? 'coverage/lcov.info' } : {}),
    });
    report(result, values.format as Format, values.quiet);
    return result.exitCode;
  });
}

function report(result: TestResult, format: Format, quiet: boolean): void {
  const shown = quiet ? result.diagnostics.filter((d) => d.severity === 'error') : result.diagnostics;
  if (format === 'json') {
    if (!result.coverage) process.stdout.write(formatJson(shown, result.summary));
    else process.stdout.write(`${JSON.stringify({ ...(JSON.parse(formatJson(shown, result.summary)) as object), coverage: result.coverage }, null, 2)}\n`);
    return;
  }
  if (format === 'sarif') {
    process.stdout.write(formatSarif(shown, process.env.npm_package_version ?? '0.1.0'));
    return;
  }
  if (format === 'github') {
    process.stdout.write(formatGithub(shown));
    return;
  }
  if (shown.length > 0 || !quiet) process.stdout.write(formatPretty(shown, result.summary, result.sources, { color: wantsColor(process.stdout), codeFrames: true }));
  const tests = result.tests;
  if (!tests) process.stdout.write('no tests ran: the definitions have errors\n');
  else if (tests.total === 0 && tests.routes === 0 && tests.slos === 0) process.stdout.write(quiet ? '' : 'no rule tests: write ruleTest()s beside the rules (docs/testing.md)\n');
  else {
    if (tests.failed > 0) process.stdout.write(`${tests.failed} of ${tests.total} rule test${tests.total === 1 ? '' : 's'} failed\n`);
    else if (!quiet && tests.total > 0)
      process.stdout.write(`${tests.total} rule test${tests.total === 1 ? '' : 's'} passed (promtool test rules, ${tests.files} file${tests.files === 1 ? '' : 's'})\n`);
    if (tests.routesFailed > 0) process.stdout.write(`${tests.routesFailed} of ${tests.routes} routing test${tests.routes === 1 ? '' : 's'} failed\n`);
    else if (!quiet && tests.routes > 0) process.stdout.write(`${tests.routes} routing test${tests.routes === 1 ? '' : 's'} passed (amtool config routes test, moncode's evaluator)\n`);
    if (tests.slosFailed > 0) process.stdout.write(`${tests.slosFailed} of ${tests.slos} test${tests.slos === 1 ? '' : 's'} generated from the SLOs failed\n`);
    else if (!quiet && tests.slos > 0) process.stdout.write(`${tests.slos} test${tests.slos === 1 ? '' : 's'} generated from the SLOs passed\n`);
  }
  if (result.coverage) process.stdout.write(formatCoverage(result.coverage));
  if (result.lcovWritten && !quiet) process.stdout.write(`coverage written to ${result.lcovWritten} (lcov)\n`);
}
