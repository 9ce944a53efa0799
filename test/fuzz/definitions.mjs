// Hostile definition projects for the fault harness: code that throws, loops, exits, leaks timers or
// exports what the model does not know. Each case names the branch whose fix it waits for (`owner`), so a
// report says whose failure class it is; `mustFail` cases may not build with exit 0.

const CONFIG = `import { defineConfig } from 'moncode';\nexport default defineConfig({});\n`;
const GOOD_GROUP = `ruleGroup({ name: 'g', rules: [alertRule({ alert: 'Down', expr: 'up == 0', for: '5m', labels: { severity: 'critical' }, annotations: { summary: 'Down', description: 'The target is down', runbook_url: 'https://runbooks.example.com/down' } })] })`;
const IMPORTS = `import { alertRule, alertmanager, dashboard, datasource, fromFile, prom, receiver, ruleGroup, timeseries } from 'moncode';\n`;

/** Code that runs: each is placed at a module's top level, in an imported helper, in an IIFE building an export, and in mon.config.ts. */
const STATEMENTS = [
  { name: 'throws an Error', code: `throw new Error('definition failed on purpose');`, owner: 'trust-load', mustFail: true },
  { name: 'throws a number', code: `throw 5;`, owner: 'trust-load', mustFail: true },
  { name: 'throws null', code: `throw null;`, owner: 'trust-load', mustFail: true },
  { name: 'throws a plain object', code: `throw { message: 'plain object', code: 7 };`, owner: 'trust-load', mustFail: true },
  { name: 'throws a secret', code: `throw new Error('cannot reach https://admin:hunter2@grafana.example.com/?api_key=AKIAIOSFODNN7EXAMPLE');`, owner: 'trust-gates', mustFail: true },
  { name: 'throws control characters', code: `throw new Error('\\x1b[2J\\x1b[31mred\\u202e\\r');`, owner: 'trust-input', mustFail: true },
  { name: 'loops forever', code: `while (Date.now() > 0) {}`, owner: 'trust-load', mustFail: true },
  { name: 'calls process.exit(0)', code: `process.exit(0);`, owner: 'trust-load', mustFail: true },
  { name: 'calls process.exit(3)', code: `process.exit(3);`, owner: 'trust-load', mustFail: true },
  { name: 'leaves an unhandled rejection', code: `Promise.reject(new Error('rejected on purpose'));`, owner: 'trust-load', mustFail: true },
  { name: 'leaves a setInterval', code: `setInterval(() => {}, 1000);`, owner: 'trust-load', mustFail: true },
  { name: 'leaves a long setTimeout', code: `setTimeout(() => {}, 1e9);`, owner: 'trust-load', mustFail: true },
  { name: 'awaits forever at the top level', code: `await new Promise(() => {});`, owner: 'trust-load', mustFail: true },
  { name: 'throws later from a timer', code: `setTimeout(() => { throw new Error('late'); }, 10);`, owner: 'trust-load', mustFail: true },
  { name: 'overflows the stack', code: `const f = (n: number): number => f(n + 1) + 1; f(0);`, owner: 'trust-load', mustFail: true },
  { name: 'kills itself', code: `process.kill(process.pid, 'SIGTERM');`, owner: 'trust-load', mustFail: true },
  { name: 'kills itself with SIGKILL', code: `process.kill(process.pid, 'SIGKILL');`, owner: 'trust-load', mustFail: true },
  { name: 'kills itself with the default signal', code: `process.kill(process.pid);`, owner: 'trust-load', mustFail: true },
  { name: 'kills its parent', code: `process.kill(process.ppid, 'SIGKILL');`, owner: 'trust-load', mustFail: true },
  { name: 'kills through process._kill', code: `(process as any)._kill(process.pid, 9);`, owner: 'trust-load', mustFail: true },
  { name: 'replaces process.kill', code: `(process as any).kill = () => true;`, owner: 'trust-load', mustFail: true },
  { name: 'calls process.abort()', code: `process.abort();`, owner: 'trust-load', mustFail: true },
  { name: 'calls process.reallyExit', code: `(process as any).reallyExit(0);`, owner: 'trust-load', mustFail: true },
  { name: 'kills its parent through child_process', code: `try { (globalThis as any).process.getBuiltinModule('node:child_process').execSync('kill -9 ' + (globalThis as any).process.ppid); } catch {}`, owner: 'trust-load', mustFail: true },
  { name: 'starts a worker thread that kills the process', code: `new ((globalThis as any).process.getBuiltinModule('node:worker_threads').Worker)('process.kill(process.pid, 9)', { eval: true });`, owner: 'trust-load', mustFail: true },
  { name: 'sets process.exitCode', code: `process.exitCode = 7;`, owner: 'trust-load' },
  { name: 'logs escape sequences', code: `console.log('\\x1b[2J\\x1b[31mred'); console.error('\\x1b]0;title\\x07'); console.warn('\\u202e');`, owner: 'trust-load' },
  { name: 'writes escape sequences to stderr', code: `process.stderr.write('\\x1b[2J\\r');`, owner: 'trust-load' },
  { name: 'writes escape sequences to fd 1', code: `(await import('node:fs')).writeSync(1, '\\x1b[2J{"not":"json"}\\n');`, owner: 'trust-load' },
  { name: 'recurses without end', code: `function down(n: number): number { return down(n + 1); } down(0);`, owner: 'trust-load', mustFail: true },
  { name: 'awaits forever in a loop', code: `for (;;) await new Promise((r) => setTimeout(r, 1e9));`, owner: 'trust-load', mustFail: true },
  { name: 'writes escape sequences to stdout', code: `process.stdout.write('\\x1b[2J\\x1b[H');`, owner: 'trust-load' },
  { name: 'pollutes Object.prototype', code: `(Object.prototype as any).groups = 5; (Object.prototype as any).panels = null;`, owner: 'trust-load' },
  { name: 'imports a missing module', code: `await import('./does-not-exist.ts');`, owner: 'trust-load', mustFail: true },
  { name: 'changes the working directory', code: `process.chdir('/');`, owner: 'trust-load' },
  { name: 'has a type error', code: `const n: number = 'text';`, owner: 'trust-load', mustFail: true },
  { name: 'has a syntax error', code: `const = ;`, owner: 'trust-load', mustFail: true },
];

/** What a module exports. */
const EXPORTS = [
  { name: 'exports a Promise of a rule group', code: `export const g = Promise.resolve(${GOOD_GROUP});`, owner: 'trust-load' },
  { name: 'exports a rejecting Promise', code: `export const g = Promise.reject(new Error('exported rejection'));`, owner: 'trust-load', mustFail: true },
  { name: 'exports a getter that throws', code: `export const g = { name: 'g', get rules(): never { throw new Error('getter'); } };`, owner: 'trust-load', mustFail: true },
  { name: 'exports a Proxy that throws', code: `export const g = new Proxy({}, { get() { throw new Error('proxy'); }, ownKeys() { throw new Error('proxy keys'); } });`, owner: 'trust-load', mustFail: true },
  { name: 'exports an unknown receiver kind', code: `export default alertmanager({ route: { receiver: receiver({ name: 'o', opsgenie_configs: [{ api_key: fromFile('/k') }] } as any) } });`, owner: 'trust-load' },
  { name: 'exports an object of unknown shape', code: `export const weird = { kind: 'Dashboard', panels: 5, groups: 'x' };`, owner: 'trust-load' },
  { name: 'exports a rule group of wrong types', code: `export const g = ruleGroup({ name: 5, rules: [{ alert: [], expr: null }] } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'exports a dashboard of nulls', code: `export default dashboard({ title: null, panels: [null, { type: null }] } as any);`, owner: 'trust-load', mustFail: true },
  // Exports that are not resources (constants, helpers' data) are allowed: a cyclic plain object is nothing to build.
  { name: 'exports a cyclic object', code: `const c: any = { name: 'c' }; c.self = c; c.rules = [c]; export const g = c;`, owner: 'trust-load' },
  { name: 'exports a cyclic object holding a rule group', code: `const c: any = { group: ${GOOD_GROUP} }; c.self = c; c.all = [c, c.group]; export const all = c;`, owner: 'trust-load' },
  // A cycle inside a resource cannot become a file: an error where it closes.
  { name: 'exports a rule group holding itself', code: `const g: any = ${GOOD_GROUP}; g.rules[0].labels.self = g; g.rules.push(g); export default g;`, owner: 'trust-load', mustFail: true },
  { name: 'exports a dashboard holding itself', code: `const d: any = dashboard({ title: 'D', panels: [] }); d.panels.push(d); d.links = [d]; export default d;`, owner: 'trust-load', mustFail: true },
  { name: 'exports a function and a class', code: `export function f() { return 1; }\nexport class K {}\nexport const s = Symbol('s');\nexport const b = 10n;`, owner: 'trust-load' },
  { name: 'exports 20,000 rules', code: `export const g = ruleGroup({ name: 'big', rules: Array.from({ length: 20000 }, (_, i) => ({ record: 'job:x' + i + ':sum', expr: 'sum by (job) (x' + i + ')' })) });`, owner: 'trust-load' },
  { name: 'exports a huge string', code: `export const g = ruleGroup({ name: 'g', rules: [{ record: 'job:x:sum', expr: 'sum(x{a="' + 'a'.repeat(5_000_000) + '"})' }] });`, owner: 'trust-load' },
  { name: 'an unclosed template in a label', code: `export const g = ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: '{{ $labels.job }' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://r.example.com/a' } })] });`, owner: 'trust-valid', mustFail: true },
  { name: 'an unknown template function', code: `export const g = ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: 'critical' }, annotations: { summary: '{{ nosuchfunc $value }}', description: 'd', runbook_url: 'https://r.example.com/a' } })] });`, owner: 'trust-valid', mustFail: true },
  { name: 'a function newer than the target', code: `export const g = ruleGroup({ name: 'g', rules: [{ record: 'job:x:sorted', expr: 'sort_by_label(up, "job")' }] });`, owner: 'trust-valid', mustFail: true },
  { name: 'an out-of-range duration', code: `export const g = ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'up == 0', for: '999999999999y', labels: { severity: 'critical' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://r.example.com/a' } })] });`, owner: 'trust-valid', mustFail: true },
  { name: 'an empty secret file path', code: `export default alertmanager({ route: { receiver: receiver({ name: 'w', webhook_configs: [{ url_file: fromFile('') } as any] }) } });`, owner: 'trust-valid', mustFail: true },
  { name: 'LogQL in a Prometheus system', code: `export const g = ruleGroup({ name: 'g', rules: [{ record: 'job:logs:rate', expr: 'sum(rate({job="a"} |= "error" [5m]))' }] });`, owner: 'trust-valid', mustFail: true },
  { name: 'a datasource URL with user:pass@', code: `export const d = datasource({ name: 'P', type: 'prometheus', url: 'http://admin:hunter2@prometheus:9090' });`, owner: 'trust-gates', mustFail: true },
  { name: 'a datasource URL with ?api_key=', code: `export const d = datasource({ name: 'P', type: 'prometheus', url: 'http://prometheus:9090/?api_key=eyJrIjoiT0tTcG1pUlY2RnVKZTFVaDFsNFZXdE9ZWmNrMkZYbk' });`, owner: 'trust-gates', mustFail: true },
  { name: 'a Bearer token in jsonData', code: `export const d = datasource({ name: 'P', type: 'prometheus', url: 'http://p:9090', jsonData: { httpHeaderName1: 'Authorization' }, secureJsonData: { httpHeaderValue1: 'Bearer glsa_abcdefghijklmnopqrstuvwxyz0123456789' } } as any);`, owner: 'trust-gates', mustFail: true },
  { name: 'an AWS key in a label', code: `export const g = ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: 'critical', key: 'AKIAIOSFODNN7EXAMPLE' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://r.example.com/a' } })] });`, owner: 'trust-gates', mustFail: true },
  { name: 'a token in a webhook path', code: `export default alertmanager({ route: { receiver: receiver({ name: 'w', webhook_configs: [{ url: 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX' }] }) } });`, owner: 'trust-gates', mustFail: true },
  { name: 'a ?token= in a runbook URL', code: `export const g = ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: 'critical' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://r.example.com/a?token=abcdef0123456789abcdef' } })] });`, owner: 'trust-gates', mustFail: true },
  { name: 'control characters in a title', code: `export default dashboard({ title: '\\x1b[2J\\x1b[31mred\\u202e', panels: [timeseries({ title: '\\x1b]0;x\\x07', unit: 'short', targets: [prom('rate(x[5m]')] })] });`, owner: 'trust-input', mustFail: true },
  { name: 'a PromQL fault', code: `export default dashboard({ title: 'D', panels: [timeseries({ title: 'T', unit: 'short', targets: [prom('sum(rate(x[5m])')] })] });`, owner: 'trust-input', mustFail: true },
  { name: 'a 500-term sum', code: `export const g = ruleGroup({ name: 'g', rules: [{ record: 'job:m:sum', expr: Array.from({ length: 500 }, (_, i) => 'm' + i).join(' + ') }] });`, owner: 'trust-input' },
  { name: '2,000 nested parentheses', code: `export const g = ruleGroup({ name: 'g', rules: [{ record: 'job:up:sum', expr: '('.repeat(2000) + 'sum by (job) (up)' + ')'.repeat(2000) }] });`, owner: 'trust-input' },
  { name: 'constructor and __proto__ label names', code: `export const g = ruleGroup({ name: 'g', rules: [alertRule({ alert: 'A', expr: 'up == 0', labels: { severity: 'critical', constructor: 'x', toString: 'y' }, annotations: { summary: 's', description: 'd', runbook_url: 'https://r.example.com/a' } })] });`, owner: 'trust-gates' },
  { name: 'a rule group of nulls', code: `export const g = ruleGroup({ name: 'g', rules: [null, undefined] } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'a dashboard with null panels', code: `export default dashboard({ title: 'D', panels: [null, undefined] } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'a panel with null targets', code: `export default dashboard({ title: 'D', panels: [timeseries({ title: 'T', unit: 'short', targets: [null] } as any)] });`, owner: 'trust-load', mustFail: true },
  { name: 'null receivers', code: `export default alertmanager({ route: { receiver: 'x' }, receivers: [null] } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'null labels and annotations', code: `export const g = ruleGroup({ name: 'g', rules: [{ alert: 'A', expr: 'up == 0', labels: [null], annotations: { summary: null } }] } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'a datasource of wrong types', code: `export const d = datasource({ name: 5, type: null, url: [] } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'a dashboard of wrong types', code: `export default dashboard({ title: 5, panels: 7, tags: 'x' } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'an alertmanager of wrong types', code: `export default alertmanager({ route: 5, receivers: 'r' } as any);`, owner: 'trust-load', mustFail: true },
  { name: 'a 5,000-term sum', code: `export const g = ruleGroup({ name: 'g', rules: [{ record: 'job:m:sum', expr: Array.from({ length: 5000 }, (_, i) => 'm' + i).join(' + ') }] });`, owner: 'trust-input' },
  { name: 'NaN and Infinity in a layout', code: `export default dashboard({ title: 'D', panels: [timeseries({ title: 'T', unit: 'short', gridPos: { x: NaN, y: Infinity, w: -1, h: 1e308 }, targets: [prom('up')] } as any)] });`, owner: 'trust-load' },
];

/** Places a statement where definitions run: four projects per statement. */
function placements(statement) {
  const good = `${IMPORTS}export const ok = ${GOOD_GROUP};\n`;
  return [
    { where: 'at a module top level', files: { 'mon.config.ts': CONFIG, 'definitions/app/index.ts': `${IMPORTS}${statement.code}\nexport const ok = ${GOOD_GROUP};\n` } },
    { where: 'in an imported helper', files: { 'mon.config.ts': CONFIG, 'definitions/app/helper.ts': `${statement.code}\nexport const helper = 1;\n`, 'definitions/app/index.ts': `${IMPORTS}import { helper } from './helper.ts';\nexport const ok = helper ? ${GOOD_GROUP} : undefined;\n` } },
    // An await needs an async builder; its export is then a Promise that is awaited (and must settle).
    { where: 'in a function building an export', files: { 'mon.config.ts': CONFIG, 'definitions/app/index.ts': `${IMPORTS}${/\bawait\b/.test(statement.code) ? 'async ' : ''}function build() {\n  ${statement.code}\n  return ${GOOD_GROUP};\n}\nexport const ok = build();\n` } },
    { where: 'in mon.config.ts', files: { 'mon.config.ts': `import { defineConfig } from 'moncode';\n${statement.code}\nexport default defineConfig({});\n`, 'definitions/app/index.ts': good } },
  ];
}

/** Every hostile definition project (more than 100), in a fixed order; `seed` only names them. */
export function hostileDefinitions(seed = 1) {
  const cases = [];
  for (const statement of STATEMENTS) {
    for (const place of placements(statement)) cases.push({ name: `${statement.name} ${place.where}`, owner: statement.owner, mustFail: statement.mustFail, files: place.files });
  }
  for (const exported of EXPORTS) {
    cases.push({ name: exported.name, owner: exported.owner, mustFail: exported.mustFail, files: { 'mon.config.ts': CONFIG, 'definitions/app/index.ts': `${IMPORTS}${exported.code}\n` } });
    // The same beside a healthy module: its output must still be judged on its own.
    cases.push({ name: `${exported.name}, beside a healthy module`, owner: exported.owner, mustFail: exported.mustFail, files: { 'mon.config.ts': CONFIG, 'definitions/app/index.ts': `${IMPORTS}${exported.code}\n`, 'definitions/other/index.ts': `${IMPORTS}export const ok = ${GOOD_GROUP.replace("name: 'g'", "name: 'other'")};\n` } });
  }
  return cases.map((c, i) => ({ ...c, id: `d${String(i).padStart(3, '0')}-s${seed}` }));
}
