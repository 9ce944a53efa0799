import { parseArgs, type ParseArgsConfig } from 'node:util';
import { SourceIndex } from '../source/source-index.js';
import { displayPath, MONCODE_VERSION } from '../load/project.js';
import { UnusableInputError } from '../model/diagnostic.js';
import { redactSecrets } from '../model/secrets.js';
import { escapeControls } from '../report/escape.js';

export type Format = 'pretty' | 'json' | 'sarif' | 'github';

export const COMMON_OPTIONS = {
  format: { type: 'string', default: 'pretty' },
  config: { type: 'string' },
  quiet: { type: 'boolean', default: false },
  debug: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const satisfies ParseArgsConfig['options'];

/** Parses argv; bad usage becomes an `UnusableInputError` (exit 2). */
export function parseCommandLine<O extends NonNullable<ParseArgsConfig['options']>>(
  argv: string[],
  options: O,
  formats: readonly Format[],
): ReturnType<typeof parseArgs<{ args: string[]; options: O; allowPositionals: true; strict: true }>> {
  let parsed;
  // `--time-limit -1`: parseArgs takes a value that starts with a dash for another option; a number is this option's value, judged by its own check.
  const args = argv.map((arg, i) => (i > 0 && /^-\d/.test(arg) && /^--[^=]+$/.test(argv[i - 1]!) && options[argv[i - 1]!.slice(2)]?.type === 'string' ? `\0${arg}` : arg));
  const joined: string[] = [];
  for (const arg of args)
    if (arg.startsWith('\0')) joined[joined.length - 1] += `=${arg.slice(1)}`;
    else joined.push(arg);
  try {
    parsed = parseArgs({ args: joined, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = (error as Error).message.split('\n')[0]!.replace(/\. To specify.*$/, '');
    const ambiguous = /^Option '(--[^']+)' argument is ambiguous/.exec(message);
    if (ambiguous)
      throw new UnusableInputError(
        `${ambiguous[1]} needs a value (it is followed by ${JSON.stringify(argv[argv.indexOf(ambiguous[1]!) + 1] ?? '')}, an option); a value that starts with - is written ${ambiguous[1]}=VALUE`,
      );
    throw new UnusableInputError(`${message} (--help lists the options)`);
  }
  const format = (parsed.values as { format?: string }).format;
  if (format !== undefined && !formats.includes(format as Format)) {
    throw new UnusableInputError(`unknown --format "${format}": use ${formats.join(', ')}`);
  }
  return parsed;
}

/** `--time-limit S`: seconds, above 0 (undefined: the default). */
export function timeLimitOf(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!/^\d+(\.\d+)?$/.test(value) || !(seconds > 0)) throw new UnusableInputError(`--time-limit "${value}" is not a number of seconds above 0`);
  return seconds * 1000;
}

/**
 * Runs a CLI body: an `UnusableInputError` prints one line and exits 2; any
 * other error is a moncode bug, shown with its stack only under --debug.
 */
export async function runCli(name: string, argv: string[], body: () => Promise<number>): Promise<void> {
  const debug = argv.includes('--debug');
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    process.stdout.write(`${name} ${MONCODE_VERSION}\n`);
    return;
  }
  // A reader that stops early (`| head`) is not an error.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
      throw error;
    });
  }
  try {
    process.exitCode = await body();
  } catch (error) {
    reportFailure(name, error, debug);
    process.exitCode = 2;
  }
}

/** One line on stderr: an `UnusableInputError` at its place, any other error as a moncode bug (its stack under --debug). */
export function reportFailure(name: string, error: unknown, debug: boolean): void {
  if (error instanceof UnusableInputError) {
    const where = error.where ? new SourceIndex().locate(error.where) : undefined;
    const place = where ? `${displayPath(process.cwd(), where.file)}:${where.line}:${where.column}: ` : `${name}: `;
    process.stderr.write(`${escapeControls(`${place}error: ${redactSecrets(error.message)}`)}\n`);
  } else {
    process.stderr.write(`${name}: internal error: ${escapeControls(redactSecrets((error as Error)?.message ?? String(error)))}${debug ? '' : ' (run with --debug for details)'}\n`);
  }
  if (debug) process.stderr.write(`${redactSecrets((error as Error)?.stack ?? '')}\n`);
}
