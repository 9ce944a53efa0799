import { initProject, installHooks } from '../commands/init.js';
import { parseCommandLine, runCli } from './common.js';
import { UnusableInputError } from '../model/diagnostic.js';

const HELP = `Usage: mon-init [options] [DIR]

Starts a moncode project in DIR (default: the working directory): package.json
with moncode as a dependency, a strict tsconfig.json with the editor plugin,
mon.config.ts, an example system with its runbook, .gitignore and the
pre-commit hook (.githooks/pre-commit, enabled through git's core.hooksPath; a
folder outside any git repository gets one). Writes nothing when any of these
files already exists.

Options:
  --moncode SPEC   how package.json asks for moncode (default: ^ the running
                   version), e.g. file:../moncode-0.1.0.tgz
  --hooks          only point git at the project's .githooks/ (package.json's
                   prepare script runs this on npm install)
  -h, --help       show this help
  --version        print moncode's version

Exit codes: 0 written, 2 unusable input (a file already exists, bad usage).
`;

const OPTIONS = {
  moncode: { type: 'string' },
  hooks: { type: 'boolean', default: false },
  help: { type: 'boolean', short: 'h', default: false },
} as const;

export async function main(argv: string[]): Promise<void> {
  await runCli('mon-init', argv, async () => {
    const { values, positionals } = parseCommandLine(argv, OPTIONS, []);
    if (values.help) {
      process.stdout.write(HELP);
      return 0;
    }
    if (positionals.length > 1) throw new UnusableInputError(`one folder expected, got ${positionals.length}`);
    const dir = positionals[0] ?? '.';
    if (values.hooks) {
      const done = installHooks(dir);
      if (done) process.stdout.write(`${done}\n`);
      return 0;
    }
    if (values.moncode !== undefined && values.moncode.trim() === '') throw new UnusableInputError('--moncode needs a version or a file: spec');
    const result = initProject({ dir, moncodeSpec: values.moncode });
    for (const file of result.files) process.stdout.write(`wrote ${file}\n`);
    if (result.packageJson?.length) process.stdout.write(`added to package.json: ${result.packageJson.join(', ')}\n`);
    for (const line of result.git) process.stdout.write(`${line}\n`);
    const cd = dir === '.' ? '' : `cd ${dir} && `;
    process.stdout.write(`next: ${cd}npm install && npx mon-build\n`);
    return 0;
  });
}
