// The fault harness (`npm run fuzz`, and a seeded slice in `npm test`): mutated corpus files and hostile
// specials through the real mon-lint, hostile definition projects through the real mon-build. A run is
// seeded and bounded (count and time); its report counts crashes, hangs and diagnostics without a location.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as jsyaml from 'js-yaml';
import { hostileDefinitions } from './definitions.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const CORPUS = path.resolve(REPO_ROOT, '..', 'shared', 'corpus');
/** An input that takes longer than this is a hang. */
export const HANG_MS = 20_000;

/** mulberry32: small, fast, and the same sequence on every machine for a seed. */
export function prng(seed) {
  let a = seed >>> 0;
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (n) => Math.floor(next() * n),
    pick: (list) => list[Math.floor(next() * list.length)],
  };
}

/** The corpus files (rule files and dashboards); throws when ../shared is missing. */
export function corpusFiles() {
  if (!existsSync(CORPUS)) throw new Error(`${CORPUS} is missing: the fault harness mutates the shared corpus (../shared/corpus)`);
  const files = [];
  for (const dir of ['rules', 'dashboards']) {
    for (const name of readdirSync(path.join(CORPUS, dir)).sort()) if (/\.(ya?ml|json)$/.test(name)) files.push(path.join(CORPUS, dir, name));
  }
  return files;
}

// ---------------------------------------------------------------- mutations

const CONTROL = ['\x1b[31m', '\x1b[2J\x1b[H', '\x1b]0;pwned\x07', '\r', '\x00', '\u202e', '\u2028', '\x9b31m', '\x7f', '\b\b\b\b'];
const WRONG = [null, 0, -1, 1e308, 9007199254740993, '', 'x', [], {}, true, [null], { a: null }, '{{ $labels.job }', 'NaN', -0, 1e-320];
const PROMQL_BITS = ['(', ')', '[5m]', '{job="a"}', ' + ', ' by (job) ', ' offset -5m', ' @ 0', '[1m:]', '"', '`', '#', ' and on() ', ' == bool ', 'rate(', 'sum(', '}', '{', ',', ' / 0', '$__rate_interval', '${var}'];

function nodes(value, at = [], into = []) {
  into.push({ value, at });
  if (into.length > 20_000) return into;
  if (Array.isArray(value)) value.forEach((v, i) => nodes(v, [...at, i], into));
  else if (value && typeof value === 'object') for (const k of Object.keys(value)) nodes(value[k], [...at, k], into);
  return into;
}

function parentOf(root, at) {
  let node = root;
  for (const key of at.slice(0, -1)) node = node !== null && typeof node === 'object' ? node[key] : undefined;
  return node !== null && typeof node === 'object' ? node : undefined;
}

/** Replaces the node at a path (a path an earlier mutation made stale is left alone). */
function replaceAt(root, at, replacement) {
  if (at.length === 0) return replacement;
  const parent = parentOf(root, at);
  if (parent) parent[at[at.length - 1]] = replacement;
  return root;
}

const DEEP = { marker: '__moncode_fuzz_deep__', text: '' };

function mutateExpr(expr, rnd) {
  switch (rnd.int(6)) {
    case 0:
      return expr.slice(0, rnd.int(expr.length + 1));
    case 1: {
      const at = rnd.int(expr.length + 1);
      return expr.slice(0, at) + rnd.pick(PROMQL_BITS) + expr.slice(at);
    }
    case 2:
      return `${'('.repeat(2000)}${expr}${')'.repeat(2000)}`;
    case 3:
      return Array.from({ length: 300 + rnd.int(300) }, (_, i) => `m${i}`).join(' + ');
    case 4:
      return `${expr}${rnd.pick(CONTROL)}`;
    default:
      return `${'-'.repeat(1000 + rnd.int(3000))}${expr}`;
  }
}

/** Structural mutations: on the parsed value, written back as JSON or YAML. */
const STRUCTURAL = {
  deleteKey(root, rnd) {
    const objects = nodes(root).filter((n) => n.value && typeof n.value === 'object' && !Array.isArray(n.value) && Object.keys(n.value).length);
    if (!objects.length) return root;
    const target = rnd.pick(objects).value;
    delete target[rnd.pick(Object.keys(target))];
    return root;
  },
  wrongType(root, rnd) {
    const all = nodes(root);
    for (let i = 0; i < 1 + rnd.int(4); i++) root = replaceAt(root, rnd.pick(all).at, structuredClone(rnd.pick(WRONG)));
    return root;
  },
  hugeNumber(root, rnd) {
    const scalars = nodes(root).filter((n) => typeof n.value === 'number' || typeof n.value === 'string');
    if (!scalars.length) return root;
    return replaceAt(root, rnd.pick(scalars).at, rnd.pick([1e308, -1e308, 2 ** 64, 9007199254740993, 1e-320, '999999999999y', '1e400', '-0', 'Infinity', '0x7fffffffffffffff']));
  },
  deepNesting(root, rnd) {
    // Written in after serialising (a serialiser would overflow its own stack).
    const target = rnd.pick(nodes(root));
    const depth = rnd.pick([100, 1000, 5000, 20000]);
    const [open, close] = rnd.next() < 0.5 ? ['[', ']'] : ['{"a": ', '}'];
    DEEP.text = `${open.repeat(depth)}1${close.repeat(depth)}`;
    return replaceAt(root, target.at, DEEP.marker);
  },
  duplicateSubtree(root, rnd) {
    const lists = nodes(root).filter((n) => Array.isArray(n.value) && n.value.length);
    if (!lists.length) return root;
    const list = rnd.pick(lists).value;
    const copies = rnd.pick([1, 2, 100]);
    for (let i = 0; i < copies; i++) list.push(structuredClone(list[rnd.int(list.length)]));
    return root;
  },
  controlChars(root, rnd) {
    const strings = nodes(root).filter((n) => typeof n.value === 'string');
    if (!strings.length) return root;
    for (let i = 0; i < 1 + rnd.int(3); i++) {
      const target = rnd.pick(strings);
      const s = String(parentOf(root, target.at)?.[target.at[target.at.length - 1]] ?? target.value);
      const at = rnd.int(s.length + 1);
      root = replaceAt(root, target.at, s.slice(0, at) + rnd.pick(CONTROL) + s.slice(at));
    }
    return root;
  },
  controlKey(root, rnd) {
    const objects = nodes(root).filter((n) => n.value && typeof n.value === 'object' && !Array.isArray(n.value));
    if (!objects.length) return root;
    rnd.pick(objects).value[rnd.pick(['constructor', '__proto__', 'toString', `k${rnd.pick(CONTROL)}`, 'hasOwnProperty', ''])] = rnd.pick(WRONG);
    return root;
  },
  exprs(root, rnd) {
    const exprs = nodes(root).filter((n) => n.at[n.at.length - 1] === 'expr' && typeof n.value === 'string');
    if (!exprs.length) return STRUCTURAL.wrongType(root, rnd);
    for (let i = 0; i < 1 + rnd.int(3); i++) {
      const target = rnd.pick(exprs);
      root = replaceAt(root, target.at, mutateExpr(target.value, rnd));
    }
    return root;
  },
  gridPos(root, rnd) {
    const grids = nodes(root).filter((n) => n.at[n.at.length - 1] === 'gridPos');
    if (!grids.length) return STRUCTURAL.wrongType(root, rnd);
    const target = rnd.pick(grids);
    return replaceAt(root, target.at, rnd.pick([null, [], { x: -1, y: 1e308, w: 0, h: -5 }, { x: 'a', y: {}, w: null }, { x: 23, y: 0, w: 1e9, h: 1 }, 5]));
  },
};

/** Text mutations: on the file's characters (or bytes). */
const TEXTUAL = {
  truncate: (text, rnd) => text.slice(0, rnd.int(text.length)),
  byteFlips(text, rnd) {
    const bytes = Buffer.from(text, 'utf8');
    for (let i = 0; i < 1 + rnd.int(20); i++) bytes[rnd.int(bytes.length)] = rnd.int(256);
    return bytes;
  },
  duplicateLine(text, rnd) {
    const lines = text.split('\n');
    const at = rnd.int(lines.length);
    lines.splice(at, 0, lines[at]);
    return lines.join('\n');
  },
  deleteLines(text, rnd) {
    const lines = text.split('\n');
    lines.splice(rnd.int(lines.length), 1 + rnd.int(5));
    return lines.join('\n');
  },
  controlChars(text, rnd) {
    let out = text;
    for (let i = 0; i < 1 + rnd.int(5); i++) {
      const at = rnd.int(out.length + 1);
      out = out.slice(0, at) + rnd.pick(CONTROL) + out.slice(at);
    }
    return out;
  },
  lineEndings: (text, rnd) => (rnd.next() < 0.5 ? `\uFEFF${text.replace(/\n/g, '\r\n')}` : text.replace(/\n/g, '\r')),
  aliases(text, rnd) {
    // An anchor on one block key and an alias to it later, sometimes inside the block itself (a cycle).
    const lines = text.split('\n');
    const keys = lines.map((l, i) => (/^\s*[\w-]+:\s*$/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (!keys.length) return `a: &x [*x]\n${text}`;
    const at = rnd.pick(keys);
    lines[at] += ' &anchor';
    const later = lines.map((l, i) => (i > at && /^\s*[\w-]+: \S/.test(l) ? i : -1)).filter((i) => i >= 0);
    if (later.length) {
      const target = rnd.pick(later.slice(0, rnd.next() < 0.5 ? 3 : later.length));
      lines[target] = lines[target].replace(/: .*$/, ': *anchor');
    }
    return lines.join('\n');
  },
  mergeBomb: (text) => `${['a: &a ["x","x","x","x","x","x","x","x","x"]', ...Array.from({ length: 12 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(9).fill(`*${String.fromCharCode(97 + i)}`).join(',')}]`)].join('\n')}\n${text}`,
  hugeLine: (text, rnd) => text.replace(/\n/, `\n# ${'x'.repeat(200_000 + rnd.int(800_000))}\n`),
};

/** One mutated input from a corpus file: its name, content and what was done. */
export function mutate(file, rnd) {
  const text = readFileSync(file, 'utf8');
  const json = file.endsWith('.json');
  const structural = rnd.next() < 0.55;
  const ext = json ? '.json' : '.yml';
  if (structural) {
    let value;
    try {
      value = json ? JSON.parse(text) : jsyaml.load(text);
    } catch {
      value = undefined;
    }
    if (value !== undefined) {
      const kind = rnd.pick(Object.keys(STRUCTURAL));
      const mutated = STRUCTURAL[kind](value, rnd);
      let out;
      try {
        out = json || rnd.next() < 0.15 ? JSON.stringify(mutated, null, rnd.next() < 0.3 ? 0 : 2) : jsyaml.dump(mutated, { noRefs: true, lineWidth: -1 });
      } catch {
        out = JSON.stringify(mutated);
      }
      out = (out ?? 'null').replace(new RegExp(`["']?${DEEP.marker}["']?`), () => DEEP.text);
      return { ext, content: out, how: `structural:${kind}` };
    }
  }
  const kind = rnd.pick(Object.keys(TEXTUAL));
  return { ext, content: TEXTUAL[kind](text, rnd), how: `textual:${kind}` };
}

// ---------------------------------------------------------------- hostile specials

const ruleFile = (expr) => `groups:\n  - name: g\n    rules:\n      - record: job:up:sum\n        expr: |\n          ${expr}\n`;
const dashboard = (extra) => JSON.stringify({ title: 'T', uid: 't', schemaVersion: 39, panels: [], ...extra });

/** Inputs nobody writes on purpose: each a file (or a path made on disk) and the name it is written under. */
export function hostileSpecials() {
  const panels = (n, at) => Array.from({ length: n }, (_, i) => ({ id: i, type: 'timeseries', title: `p${i}`, gridPos: at(i), targets: [{ expr: 'rate(x[5m])' }] }));
  return [
    { name: 'duplicate JSON keys', ext: '.json', content: '{"title": "a", "title": "b", "panels": [], "panels": [1]}' },
    { name: 'recursive YAML alias', ext: '.yml', content: 'route: &r\n  receiver: a\n  routes: [*r]\nreceivers: [{name: a}]\n' },
    { name: 'recursive alias in a mapping', ext: '.yml', content: 'groups:\n  - &g\n    name: x\n    rules: [*g]\n' },
    { name: 'billion laughs', ext: '.yml', content: TEXTUAL.mergeBomb('groups: []\n') },
    { name: 'merge-key bomb', ext: '.yml', content: `a: &a {x: 1}\n${Array.from({ length: 20 }, (_, i) => `b${i}: &b${i}\n  <<: [${i ? `*b${i - 1}, *b${i - 1}` : '*a, *a'}]`).join('\n')}\ngroups: []\n` },
    { name: '20,000-deep JSON', ext: '.json', content: `${'['.repeat(20000)}${']'.repeat(20000)}` },
    { name: '20,000-deep JSON dashboard', ext: '.json', content: `{"panels": ${'['.repeat(20000)}${']'.repeat(20000)}}` },
    { name: '999-deep JSON dashboard', ext: '.json', content: `{"title":"t","panels": [${'{"a":'.repeat(990)}1${'}'.repeat(990)}]}` },
    { name: '20,000-deep YAML', ext: '.yml', content: `groups: ${'['.repeat(20000)}${']'.repeat(20000)}\n` },
    { name: '20,000-deep YAML mappings', ext: '.yml', content: `groups: ${'{a: '.repeat(20000)}1${'}'.repeat(20000)}\n` },
    { name: 'templating list of null', ext: '.json', content: dashboard({ templating: { list: [null] } }) },
    { name: 'nulls everywhere', ext: '.json', content: dashboard({ panels: [null, { type: null, targets: [null], gridPos: null, fieldConfig: { defaults: null, overrides: [null] }, panels: [null] }], templating: { list: [{ name: null, type: 'query', query: null, current: null, options: [null] }] }, annotations: { list: [null] }, links: [null], rows: [null, { panels: null }] }) },
    { name: 'wrong types everywhere', ext: '.json', content: dashboard({ panels: [{ type: 5, title: [], targets: 'up', gridPos: 'x', datasource: 7, fieldConfig: [], options: 'o' }], templating: [], annotations: 'a', links: {}, rows: 5 }) },
    { name: 'rule file of wrong types', ext: '.yml', content: 'groups:\n  - name: [a]\n    rules: {a: 1}\n  - name: b\n    interval: 5\n    rules:\n      - alert: [x]\n        expr: 5\n      - record: r\n        expr: up\n        labels: [a]\n      - alert: A\n        expr: up\n        for: []\n        annotations: {a: {b: c}}\n' },
    { name: 'rule file of nulls', ext: '.yml', content: 'groups:\n  - null\n  - name: null\n  - name: x\n    rules: [null, {alert: null, expr: null}, {record: a, expr: up, labels: null}]\n' },
    { name: 'alertmanager of wrong types', ext: '.yml', content: 'route: {receiver: 5, routes: [null, 5, {matchers: 7}], group_by: x}\nreceivers: [null, {name: [a]}, {name: b, webhook_configs: [null, {url: 5}]}]\ninhibit_rules: 5\n' },
    { name: '500-term sum', ext: '.yml', content: ruleFile(Array.from({ length: 500 }, (_, i) => `m${i}`).join(' + ')) },
    { name: '2,000 nested parentheses', ext: '.yml', content: ruleFile(`${'('.repeat(2000)}up${')'.repeat(2000)}`) },
    { name: '20,000-term sum', ext: '.yml', content: ruleFile(Array.from({ length: 20000 }, (_, i) => `m${i}`).join(' + ')) },
    { name: 'minified 300 KB dashboard', ext: '.json', content: JSON.stringify({ title: 'M', uid: 'm', schemaVersion: 39, panels: panels(2600, () => ({ x: 0, y: 0, w: 12, h: 8 })).map((p) => ({ ...p, targets: [{ expr: 'rate(x[1m]' }] })) }) },
    { name: '20,000-panel dashboard', ext: '.json', content: JSON.stringify({ title: 'Big', uid: 'big', schemaVersion: 39, panels: panels(20000, (i) => ({ x: (i % 4) * 6, y: Math.floor(i / 4) * 8, w: 6, h: 8 })).map((p) => ({ ...p, fieldConfig: { defaults: { unit: 'short' } } })) }) },
    { name: 'raw ESC in YAML', ext: '.yml', content: 'groups:\n  - name: \x1b[2J\x1b[31mred\n' },
    { name: 'escaped ESC in YAML', ext: '.yml', content: 'groups:\n  - name: "\\e[2J\\e[31mred\\r"\n    rules:\n      - record: "a\\e]0;x\\a"\n        expr: up\n        "bad\\x9b\\u202e": 1\n' },
    { name: 'ESC in a dashboard', ext: '.json', content: dashboard({ title: '\x1b[31mred\u202e', panels: [{ type: 'timeseries', title: '\x1b]0;x\x07', targets: [{ expr: 'rate(x[5m]\x1b[0m' }] }] }) },
    { name: 'constructor and __proto__ keys', ext: '.yml', content: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: {constructor: x, __proto__: y, toString: z}\n        annotations: {constructor: {}, hasOwnProperty: 1}\n' },
    { name: 'constructor keys in a dashboard', ext: '.json', content: '{"title":"t","panels":[],"__proto__":{"panels":5},"constructor":{"name":1},"templating":{"list":[{"name":"constructor","type":"custom","query":"a"}]}}' },
    { name: 'binary', ext: '.yml', content: Buffer.from([0x67, 0x00, 0x01, 0xff, 0xfe]) },
    { name: 'invalid UTF-8', ext: '.yml', content: Buffer.concat([Buffer.from('groups:\n  - name: '), Buffer.from([0xc3, 0x28, 0xff, 0xa0]), Buffer.from('\n    rules: []\n')]) },
    { name: 'UTF-16 with BOM', ext: '.yml', content: Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('groups: []\n', 'utf16le')]) },
    { name: 'empty', ext: '.yml', content: '' },
    { name: 'BOM only', ext: '.json', content: '\uFEFF' },
    { name: 'only a comment', ext: '.yml', content: '# nothing\n' },
    { name: 'JSON null', ext: '.json', content: 'null' },
    { name: 'JSON number 1e999', ext: '.json', content: '{"title":"t","schemaVersion":1e999,"panels":[{"gridPos":{"x":1e999,"y":-1e999,"w":1e999,"h":1}}]}' },
    { name: 'YAML special floats', ext: '.yml', content: 'title: t\npanels:\n  - type: timeseries\n    gridPos: {x: .nan, y: .inf, w: -.inf, h: 1}\n' },
    { name: 'YAML tags', ext: '.yml', content: 'groups: !!binary aGVsbG8=\nx: !!js/function "function(){}"\ny: !custom 1\n' },
    { name: 'many documents', ext: '.yml', content: Array.from({ length: 2000 }, (_, i) => `groups:\n  - name: g${i}\n    rules: []\n`).join('---\n') },
    { name: 'a long line', ext: '.yml', content: `groups:\n  - name: ${'x'.repeat(2_000_000)}\n    rules: []\n` },
    { name: 'a 5 MB expression', ext: '.yml', content: ruleFile(`up{job="${'a'.repeat(5_000_000)}"}`) },
    { name: 'template faults', ext: '.yml', content: 'groups:\n  - name: g\n    rules:\n      - alert: A\n        expr: up == 0\n        labels: {severity: "{{ $labels.job }"}\n        annotations: {summary: "{{ nope .x }}", description: "{{ range }}", runbook_url: "{{"}\n' },
    { name: 'huge durations', ext: '.yml', content: 'groups:\n  - name: g\n    interval: 999999999999y\n    rules:\n      - alert: A\n        expr: rate(x[999999999999y]) > 0\n        for: 999999999999y\n        keep_firing_for: -5m\n' },
    { name: 'OpenSLO of wrong types', ext: '.yml', content: 'apiVersion: openslo/v1\nkind: SLO\nmetadata: {name: [x]}\nspec: {objectives: 5, indicator: null, timeWindow: [null], budgetingMethod: 7}\n' },
    { name: 'Sloth of wrong types', ext: '.yml', content: 'version: prometheus/v1\nservice: [a]\nslos: [null, {name: 5, objective: "x", sli: null}, {name: b, objective: 1e308, sli: {events: {error_query: 5, total_query: null}}}]\n' },
    { name: 'ConfigMap with bad dashboards', ext: '.yml', content: 'kind: ConfigMap\ndata:\n  a.json: "{\\"panels\\": [null], \\"title\\": 1, \\"title\\": 2}"\n  b.json: "{"\n  c.json: "{\\"panels\\": 5}"\n' },
    { name: 'exposition with faults', ext: '.prom', content: '# TYPE x counter\n# TYPE x gauge\nx{a="\x1b[31m"} NaN\n# HELP\n#TYPE\ny{ 1\n' },
    { name: 'a folder named like a file', make: (dir) => mkdirSync(path.join(dir, 'folder.yml')), file: 'folder.yml' },
    { name: 'a FIFO', make: (dir) => execFileSync('mkfifo', [path.join(dir, 'pipe.yml')]), file: 'pipe.yml' },
    { name: '/dev/zero', file: '/dev/zero' },
    { name: '/dev/null', file: '/dev/null' },
    { name: 'a sparse 65 MiB file', make: (dir) => { writeFileSync(path.join(dir, 'huge.yml'), ''); truncateSync(path.join(dir, 'huge.yml'), 65 * 1024 * 1024); }, file: 'huge.yml' },
    { name: 'a symlink loop', make: (dir) => { symlinkSync('loop-b.yml', path.join(dir, 'loop-a.yml')); symlinkSync('loop-a.yml', path.join(dir, 'loop-b.yml')); }, file: 'loop-a.yml' },
    { name: 'a dangling symlink', make: (dir) => symlinkSync('nowhere.yml', path.join(dir, 'dangling.yml')), file: 'dangling.yml' },
    { name: 'a missing file', file: 'missing.yml' },
  ];
}

// ---------------------------------------------------------------- running

/** Runs a command with a time limit; resolves with its exit, output and whether it was killed for time. */
export function runWithLimit(command, args, { cwd, input, limitMs = HANG_MS, env = {} }) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(command, args, { cwd, env: { ...process.env, NO_COLOR: '1', FORCE_COLOR: '', CI: '', ...env }, stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'], detached: true });
    const out = [];
    const err = [];
    let outBytes = 0;
    child.stdout.on('data', (chunk) => {
      outBytes += chunk.length;
      if (outBytes < 64 * 1024 * 1024) out.push(chunk);
    });
    child.stderr.on('data', (chunk) => err.push(chunk));
    if (input !== undefined) {
      child.stdin.on('error', () => {});
      child.stdin.end(input);
    }
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, limitMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, ms: Date.now() - started, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8'), outBytes });
    });
  });
}

const STACK = /^\s+at .+(:\d+:\d+\)?|\(native\))$/m;
const INTERNAL = /internal error|Maximum call stack|RangeError|TypeError|ReferenceError|Cannot read properties|is not a function|is not iterable|JavaScript heap/;
// What a terminal acts on: raw controls (newlines and tabs aside) and bidi overrides.
const RAW_CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

/** The failures one mon-lint or mon-build run shows (none is the goal). */
export function judge(result, { format, files = [] }) {
  const failures = [];
  if (result.timedOut) return [{ kind: 'hang', detail: `still running after ${HANG_MS / 1000} s` }];
  if (![0, 1, 2].includes(result.code)) failures.push({ kind: 'crash', detail: `exit ${result.code ?? result.signal}: ${firstLine(result.stderr || result.stdout)}` });
  const text = `${result.stdout}\n${result.stderr}`;
  if (STACK.test(text)) failures.push({ kind: 'crash', detail: `stack trace: ${firstLine(text.match(/.*\n\s+at .*/)?.[0] ?? '')}` });
  else if (INTERNAL.test(text)) failures.push({ kind: 'crash', detail: `internal error: ${firstLine(text.match(new RegExp(`.*(${INTERNAL.source}).*`))?.[0] ?? '')}` });
  if (RAW_CONTROL.test(result.stdout.replace(/\r?\n/g, '')) || RAW_CONTROL.test(result.stderr.replace(/\r?\n/g, ''))) failures.push({ kind: 'control', detail: 'raw control characters reached the output' });
  if (format === 'json' && result.code !== null && [0, 1, 2].includes(result.code) && result.stdout.trim()) {
    let report;
    try {
      report = JSON.parse(result.stdout);
    } catch {
      failures.push({ kind: 'crash', detail: `--format json printed no JSON: ${firstLine(result.stdout)}` });
    }
    for (const d of report?.diagnostics ?? []) {
      if (!d.file || !(d.line >= 1) || !(d.column >= 1)) failures.push({ kind: 'no-location', detail: `${d.rule}: ${d.message}`.slice(0, 200) });
    }
    if (report && files.length && report.summary?.files < files.length) failures.push({ kind: 'hidden', detail: `${files.length} files given, ${report.summary.files} reported` });
  }
  return failures;
}

function firstLine(text) {
  return String(text).split('\n').find((l) => l.trim())?.slice(0, 200) ?? '';
}

const MON_LINT = path.join(REPO_ROOT, 'bin', 'mon-lint.js');
const MON_BUILD = path.join(REPO_ROOT, 'bin', 'mon-build.js');
/** mon-build's --time-limit in the harness: well under the hang threshold, so a loop is stopped and reported (the default is 60 s). */
const BUILD_TIME_LIMIT_S = 10;

/**
 * Lints inputs in batches (one mon-lint for many files, as users run it); a batch with a failure is
 * re-run file by file so each failure is pinned to its input.
 */
async function lintBatch(dir, batch, format, record) {
  const files = batch.map((b) => b.file);
  const result = await runWithLimit(process.execPath, [MON_LINT, '--format', format, ...files], { cwd: dir, limitMs: HANG_MS + 250 * files.length });
  const failures = judge(result, { format, files: batch.filter((b) => !b.special).map((b) => b.file) });
  if (failures.length === 0) return batch.forEach((b) => record(b, []));
  if (batch.length === 1) return record(batch[0], failures);
  for (const item of batch) {
    const single = await runWithLimit(process.execPath, [MON_LINT, '--format', format, item.file], { cwd: dir });
    record(item, judge(single, { format }));
  }
}

/**
 * One harness run: `inputs` mutated corpus files, the hostile specials (all, or those named), and up to
 * `definitions` hostile projects (those of `owners`, or those named in `definitionNames`).
 */
export async function runHarness({ seed = 1, inputs = 2000, definitions = 1000, specials = true, definitionNames, timeLimitMs = 45 * 60_000, batchSize = 40, owners, log = () => {} }) {
  const started = Date.now();
  const rnd = prng(seed);
  const corpus = corpusFiles();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'moncode-fuzz-'));
  const report = { seed, inputs: 0, definitions: 0, crashes: 0, hangs: 0, noLocation: 0, control: 0, hidden: 0, failures: [], timedOut: false, ms: 0 };
  const record = (item, failures) => {
    if (item.counted) report[item.counted] += 1;
    for (const f of failures) {
      const key = { crash: 'crashes', hang: 'hangs', 'no-location': 'noLocation', control: 'control', hidden: 'hidden' }[f.kind];
      report[key] += 1;
      report.failures.push({ input: item.label, owner: item.owner ?? 'trust-input', kind: f.kind, detail: f.detail });
    }
  };
  try {
    const items = [];
    if (specials) {
      hostileSpecials().forEach((s, i) => {
        if (Array.isArray(specials) && !specials.includes(s.name)) return;
        if (s.make) s.make(dir);
        let file = s.file;
        if (!file) {
          file = `special-${String(i).padStart(3, '0')}${s.ext}`;
          writeFileSync(path.join(dir, file), s.content);
        }
        items.push({ file, label: `special: ${s.name}`, special: true, counted: 'inputs' });
      });
    }
    for (let i = 0; i < inputs; i++) {
      const source = rnd.pick(corpus);
      const m = mutate(source, rnd);
      const file = `m${String(i).padStart(5, '0')}${m.ext}`;
      writeFileSync(path.join(dir, file), m.content);
      items.push({ file, label: `${m.how} of ${path.basename(source)} (${file}, seed ${seed})`, counted: 'inputs' });
    }
    // In batches (a bad file must not hide the others' results), a quarter of them in pretty output;
    // a batch that fails is re-run file by file.
    const formats = ['json', 'json', 'json', 'pretty'];
    const queue = [];
    const specialItems = items.filter((i) => i.special);
    for (let i = 0; i < specialItems.length; i += 8) queue.push({ batch: specialItems.slice(i, i + 8), format: 'json' });
    const mutants = items.filter((i) => !i.special);
    for (let i = 0; i < mutants.length; i += batchSize) queue.push({ batch: mutants.slice(i, i + batchSize), format: formats[(i / batchSize) % formats.length] });
    const lintWorkers = Array.from({ length: 2 }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) {
        if (Date.now() - started > timeLimitMs) {
          report.timedOut = true;
          return;
        }
        await lintBatch(dir, job.batch, job.format, record);
        log(`lint: ${report.inputs} inputs`);
      }
    });
    await Promise.all(lintWorkers);
    // Hostile definitions: one project each, through mon-build.
    const cases = hostileDefinitions(seed).filter((c) => (!owners || owners.includes(c.owner)) && (!definitionNames || definitionNames.includes(c.name))).slice(0, definitions);
    const buildQueue = [...cases];
    const buildWorkers = Array.from({ length: 2 }, async () => {
      for (let c = buildQueue.shift(); c; c = buildQueue.shift()) {
        if (Date.now() - started > timeLimitMs) {
          report.timedOut = true;
          return;
        }
        const project = path.join(dir, 'projects', c.id);
        for (const [file, text] of Object.entries(c.files)) {
          mkdirSync(path.dirname(path.join(project, file)), { recursive: true });
          writeFileSync(path.join(project, file), text);
        }
        const result = await runWithLimit(process.execPath, [MON_BUILD, '--format', 'json', '--time-limit', String(BUILD_TIME_LIMIT_S)], { cwd: project });
        const failures = judge(result, { format: 'json' });
        if (c.mustFail && result.code === 0) failures.push({ kind: 'crash', detail: 'exit 0 although the definitions cannot build (silent success)' });
        record({ label: `definition: ${c.name}`, owner: c.owner, counted: 'definitions' }, failures);
        log(`build: ${report.definitions} definitions`);
      }
    });
    await Promise.all(buildWorkers);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  report.ms = Date.now() - started;
  return report;
}

/** The report as printed: the figures, then each failure class with its owner and examples. */
export function formatReport(report) {
  const lines = [
    `moncode fault harness, seed ${report.seed}${report.timedOut ? ' (stopped at the time limit)' : ''}: ${(report.ms / 1000).toFixed(0)} s`,
    `  inputs through mon-lint:       ${report.inputs}`,
    `  definitions through mon-build: ${report.definitions}`,
    `  crashes (stack trace, internal error, exit other than 0/1/2): ${report.crashes}`,
    `  hangs over ${HANG_MS / 1000} s:              ${report.hangs}`,
    `  diagnostics without a location: ${report.noLocation}`,
    `  raw control characters printed: ${report.control}`,
    `  other files' results hidden:    ${report.hidden}`,
  ];
  const classes = new Map();
  for (const f of report.failures) {
    const key = `${f.owner} | ${f.kind} | ${f.detail.replace(/\d+/g, 'N').slice(0, 120)}`;
    const entry = classes.get(key) ?? { count: 0, example: f.input };
    entry.count += 1;
    classes.set(key, entry);
  }
  if (classes.size) {
    lines.push('  failure classes (owner | kind | detail): count, an example');
    for (const [key, { count, example }] of [...classes].sort((a, b) => b[1].count - a[1].count)) lines.push(`    ${key}: ${count}, e.g. ${example}`);
  }
  return `${lines.join('\n')}\n`;
}
