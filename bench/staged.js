// `npm run bench -- staged`: what a pre-commit hook (mon-lint --staged) costs, cold and answered by the
// repository's resident process (src/cli/lint-daemon.ts), against node start-up measured between its runs.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Wall and CPU (user + system of the process and its children, /usr/bin/time) of one hook run. */
function timed(args, cwd, env) {
  const started = process.hrtime.bigint();
  const child = spawnSync('/usr/bin/time', ['-f', '%U %S', process.execPath, ...args], { cwd, env, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wall = Number(process.hrtime.bigint() - started) / 1e6;
  const [user, system] = child.stderr.trim().split('\n').pop().split(' ').map(Number);
  return { wall, cpu: (user + system) * 1000, status: child.status, stdout: child.stdout, stderr: child.stderr.split('\n').slice(0, -2).join('\n') };
}

function repository(dir, files) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [from, to] of files) cpSync(from, path.join(dir, to), { recursive: true });
  const git = (...args) =>
    execFileSync('git', args, {
      cwd: dir,
      stdio: 'ignore',
      env: { ...process.env, GIT_AUTHOR_NAME: 'b', GIT_AUTHOR_EMAIL: 'b@example.com', GIT_COMMITTER_NAME: 'b', GIT_COMMITTER_EMAIL: 'b@example.com' },
    });
  writeFileSync(path.join(dir, '.gitignore'), 'node_modules/\n');
  git('init', '-q');
  git('add', '-A');
  git('commit', '-qm', 'bench');
  return { dir: realpathSync(dir), git };
}

/** Asks the daemon (as the hook would) until it holds the answer for the index as it is. */
async function awaitAnswer(socket, invocation, limitMs) {
  const deadline = performance.now() + limitMs;
  while (performance.now() < deadline) {
    const reply = await new Promise((resolve) => {
      const chunks = [];
      const connection = net.createConnection(socket);
      connection.on('connect', () => connection.end(JSON.stringify({ version: 1, invocation })));
      connection.on('data', (chunk) => chunks.push(chunk));
      connection.on('end', () => resolve(JSON.parse(Buffer.concat(chunks).toString('utf8') || '{"hit":false}')));
      connection.on('error', () => resolve({ hit: false }));
    });
    if (reply.hit) return true;
    await sleep(500);
  }
  return false;
}

async function hookCase({ root, label, repo, change, argv, fmt, median }) {
  let nodeStart, nodeCpu;
  const { socketPath } = await import(pathToFileURL(path.join(root, 'dist', 'cli', 'lint-daemon-protocol.js')).href);
  const bin = path.join(root, 'bin', 'mon-lint.js');
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('GIT_')));
  change(1);
  repo.git('add', '-A');
  // Node's start-up is measured between the hook's runs: at a changing load, one figure from the start of the bench is no baseline.
  const node = [];
  const paired = (run) => {
    node.push(timed(['-e', '0'], repo.dir, env));
    return run();
  };
  const cold = [0, 1, 2].map(() => paired(() => timed([bin, ...argv], repo.dir, { ...env, MONCODE_LINT_DAEMON: '0' })));
  if (cold.some((c) => c.status !== 0 && c.status !== 1)) throw new Error(`${label}: mon-lint --staged exited ${cold[0].status}: ${cold[0].stderr.slice(0, 2000)}`);
  // The first hook lints cold and starts the daemon; the next change of the index is linted ahead.
  const daemonEnv = { ...env, MONCODE_LINT_DAEMON: '1' };
  const starting = timed([bin, ...argv], repo.dir, daemonEnv);
  const socket = socketPath(repo.dir);
  for (let waited = 0; !existsSync(socket) && waited < 20_000; waited += 100) await sleep(100);
  change(2);
  repo.git('add', '-A');
  const ready = await awaitAnswer(socket, { cwd: repo.dir, argv, env: daemonEnv, tty: false }, 180_000);
  if (!ready) throw new Error(`${label}: the daemon had no answer within 180 s`);
  const warm = [0, 1, 2, 3, 4].map(() => paired(() => timed([bin, ...argv], repo.dir, daemonEnv)));
  const check = timed([bin, ...argv], repo.dir, { ...env, MONCODE_LINT_DAEMON: '0' });
  const same = warm.every((w) => w.stdout === check.stdout && w.stderr === check.stderr && w.status === check.status);
  const coldWall = median(cold.map((c) => c.wall));
  const coldCpu = median(cold.map((c) => c.cpu));
  const warmWall = median(warm.map((w) => w.wall));
  const warmCpu = median(warm.map((w) => w.cpu));
  nodeStart = median(node.map((n) => n.wall));
  nodeCpu = median(node.map((n) => n.cpu));
  console.log(`${label}:`);
  console.log(`  node -e 0 between the runs: ${fmt(nodeStart)} wall, ${fmt(nodeCpu)} CPU (median of ${node.length})`);
  console.log(`  cold ${fmt(coldWall)} wall, ${fmt(coldCpu)} CPU (median of 3) = ${(coldWall / nodeStart).toFixed(1)}× node start-up wall, ${(coldCpu / nodeCpu).toFixed(1)}× CPU`);
  console.log(
    `  answered by the resident process: ${fmt(warmWall)} wall, ${fmt(warmCpu)} CPU (median of 5) = ${(warmWall / nodeStart).toFixed(2)}× node start-up wall, ${(warmCpu / nodeCpu).toFixed(2)}× CPU; output identical to a cold run: ${same ? 'yes' : 'NO'} (first hook, starting it: ${fmt(starting.wall)})`,
  );
  return {
    node: { wallMs: nodeStart, cpuMs: nodeCpu },
    cold: { wallMs: coldWall, cpuMs: coldCpu, ratioWall: coldWall / nodeStart, ratioCpu: coldCpu / nodeCpu },
    resident: { wallMs: warmWall, cpuMs: warmCpu },
    identical: same,
    ratioWall: warmWall / nodeStart,
    ratioCpu: warmCpu / nodeCpu,
  };
}

export async function stagedBench({ root, work, fmt, median, results, corpus }) {
  console.log(`load average ${os.loadavg()[0].toFixed(1)}`);
  const repos = [];
  try {
    // One changed definition in the seed project (agent-api/alerts.ts), the hook as shipped: mon-lint --staged --quiet.
    const seed = repository(path.join(work, 'staged-definitions'), [
      [path.join(root, 'definitions'), 'definitions'],
      [path.join(root, 'docs', 'runbooks'), 'docs/runbooks'],
      [path.join(root, 'mon.config.ts'), 'mon.config.ts'],
    ]);
    repos.push(seed.dir);
    mkdirSync(path.join(seed.dir, 'node_modules'));
    symlinkSync(root, path.join(seed.dir, 'node_modules', 'moncode'));
    const tsconfig = path.join(seed.dir, 'definitions', 'tsconfig.json');
    const config = JSON.parse(readFileSync(tsconfig, 'utf8'));
    delete config.compilerOptions.paths;
    writeFileSync(tsconfig, JSON.stringify(config, null, 2));
    seed.git('add', '-A');
    seed.git('commit', '-qm', 'installed moncode');
    const alerts = path.join(seed.dir, 'definitions', 'agent-api', 'alerts.ts');
    const original = readFileSync(alerts, 'utf8');
    const definition = await hookCase({
      root,
      label: 'mon-lint --staged --quiet, one changed definition (seed project)',
      repo: seed,
      change: (n) => writeFileSync(alerts, `${original}// change ${n}\n`),
      argv: ['--staged', '--quiet'],
      fmt,
      median,
    });
    console.log(`  goal ≤ 2.5× node start-up → ${definition.ratioWall <= 2.5 ? 'met' : 'MISSED'} (resident); cold ${definition.cold.ratioWall <= 2.5 ? 'met' : 'MISSED'}`);

    // One changed rule file in a repository of rule files (no moncode project), named as lint-staged passes it.
    const rulesDir = path.join(corpus, 'rules');
    const ruleFiles = existsSync(rulesDir)
      ? readdirSync(rulesDir)
          .filter((f) => /\.ya?ml$/.test(f))
          .sort()
          .slice(0, 5)
      : [];
    let rule;
    if (ruleFiles.length > 0) {
      const rules = repository(
        path.join(work, 'staged-rules'),
        ruleFiles.map((f) => [path.join(rulesDir, f), f]),
      );
      repos.push(rules.dir);
      const file = path.join(rules.dir, ruleFiles[0]);
      const text = readFileSync(file, 'utf8');
      rule = await hookCase({
        root,
        label: `mon-lint --staged --quiet ${ruleFiles[0]}, one changed rule file (5 corpus rule files)`,
        repo: rules,
        change: (n) => writeFileSync(file, `${text}\n# change ${n}\n`),
        argv: ['--staged', '--quiet', ruleFiles[0]],
        fmt,
        median,
      });
      console.log(`  goal ≤ 2× node start-up → ${rule.ratioWall <= 2 ? 'met' : 'MISSED'} (resident); cold ${rule.cold.ratioWall <= 2 ? 'met' : 'MISSED'}`);
    } else console.log('rule-file case: ../shared/corpus missing, skipped');
    console.log('');
    results.staged = { definition, rule };
  } finally {
    // The daemons end when their repository is gone.
    for (const dir of repos) rmSync(dir, { recursive: true, force: true });
  }
}
