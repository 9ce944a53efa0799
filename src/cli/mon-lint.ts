import { lintReport } from '../commands/lint.js';
import { MONCODE_VERSION } from '../load/project.js';
import type { LintSeverity } from '../model/config.js';
import { LINT_RULE_IDS } from '../model/suppression.js';
import { UnusableInputError } from '../model/diagnostic.js';
import { STANDARD_INPUT } from '../read/index.js';
import { formatGithub } from '../report/github.js';
import { formatJson } from '../report/json.js';
import { formatPretty, wantsColor } from '../report/pretty.js';
import { formatSarif } from '../report/sarif.js';
import { COMMON_OPTIONS, parseCommandLine, runCli, timeLimitOf, type Format } from './common.js';

const HELP = `Usage: mon-lint [options] [PATH...]

Lints monitoring definitions and files together. With no PATH: the project's
definitions/. PATHs may be .ts definitions, Prometheus rule files (plain,
PrometheusRule, Thanos, Mimir, Loki), Grafana dashboard JSON, Alertmanager and
Grafana provisioning YAML, OpenSLO v1 and Sloth prometheus/v1 SLO specs and
saved /metrics pages, in any mix, or folders of them; the kind of each file
comes from its content. - (or /dev/stdin) reads standard input. FIFOs and
devices are refused, and so are files over 64 MiB (MONCODE_MAX_INPUT_MIB).

Options:
  --format FORMAT        pretty (default), json, sarif or github
  --rule ID=SEVERITY     set a rule's severity: error, warning, info or off (repeatable)
  --changed-since REF    report only problems in what changed since a git ref
                         (type errors anywhere in a changed file)
  --staged               lint what is staged (the commit as git will record it),
                         not the working tree; for pre-commit hooks
  --config FILE          use FILE instead of the nearest mon.config.ts
  --time-limit S         seconds mon.config.ts, then the definitions, may run (60)
  --quiet                report errors only
  --debug                show stack traces of internal errors
  -h, --help             show this help
  --version              print moncode's version

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 unusable input
(bad usage or config, a file that cannot be read).
`;

const OPTIONS = {
  ...COMMON_OPTIONS,
  rule: { type: 'string', multiple: true, default: [] as string[] },
  'changed-since': { type: 'string' },
  staged: { type: 'boolean', default: false },
  'time-limit': { type: 'string' },
} as const;

const SEVERITIES = new Set(['error', 'warning', 'info', 'off']);

export async function main(argv: string[]): Promise<void> {
  await runCli('mon-lint', argv, async () => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, ['pretty', 'json', 'sarif', 'github']);
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    const severities: Record<string, LintSeverity | 'off'> = {};
    for (const spec of values.rule as string[]) {
      const [id, severity] = spec.split('=');
      if (!id || !severity || !SEVERITIES.has(severity)) throw new UnusableInputError(`--rule ${spec}: expected ID=error|warning|info|off`);
      if (!(LINT_RULE_IDS as readonly string[]).includes(id)) throw new UnusableInputError(`--rule ${spec}: no rule "${id}" (see docs/rules/)`);
      severities[id] = severity as LintSeverity | 'off';
    }
    const timeLimitMs = timeLimitOf(values['time-limit']);
    const cwd = process.cwd();
    // `-` is standard input, read once under the name /dev/stdin (whose size on disk says nothing).
    const paths = positionals.map((p) => (p === '-' ? STANDARD_INPUT : p));
    const { diagnostics, summary, sources, unusable } = await lintReport({
      cwd,
      paths: paths,
      config: values.config,
      severities,
      changedSince: values['changed-since'],
      staged: values.staged,
      timeLimitMs,
    });
    const shown = values.quiet ? diagnostics.filter((d) => d.severity === 'error') : diagnostics;
    const format = values.format as Format;
    if (format === 'json') process.stdout.write(formatJson(shown, summary));
    else if (format === 'sarif') process.stdout.write(formatSarif(shown, MONCODE_VERSION));
    else if (format === 'github') process.stdout.write(formatGithub(shown));
    else if (!values.quiet || shown.length > 0) process.stdout.write(formatPretty(shown, summary, sources, { color: wantsColor(process.stdout), codeFrames: true }));
    if (unusable) return 2;
    return summary.errors > 0 ? 1 : 0;
  });
}
