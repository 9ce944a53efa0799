import type { Coverage, Defined } from './coverage.js';

/** One covered thing at a line: a name for the function list and its branches' hit counts. */
interface Item {
  name: string;
  line: number;
  /** Tests reaching it at all. */
  hits: number;
  /** An alert has two (fired, stays silent); the rest one. */
  branches: number[];
}

/**
 * The coverage as an LCOV tracefile (geninfo's format, read by Codecov, Coveralls, SonarQube,
 * genhtml): per definitions file, each alert, recording rule, receiver, route and inhibit rule
 * is a function at the line that defines it and a block of branches there — an alert's two
 * are "some test fires it" and "some test expects it silent" — with the number of tests that
 * reach them as hit counts. A line defining several things (a shared helper's) gets their sum,
 * and a block each, so one untested among them leaves the line partly covered.
 */
export function formatLcov(coverage: Coverage): string {
  const files = new Map<string, Item[]>();
  const add = (defined: Defined, name: string, hits: number, branches: number[]) => {
    if (defined.file === undefined || defined.line === undefined) return;
    const items = files.get(defined.file) ?? [];
    files.set(defined.file, items);
    // A function name runs to the end of its line: keep it one token-ish and free of commas.
    items.push({ name: name.replace(/[,\s]+/g, '_'), line: defined.line, hits, branches });
  };
  for (const s of coverage.systems) {
    for (const a of s.alerts) add(a, `${s.system}:alert:${a.alert}`, a.testedBy, [a.firedBy, a.silentBy]);
    for (const r of s.records) add(r, `${s.system}:record:${r.record}`, r.checkedBy, [r.checkedBy]);
    for (const r of s.receivers) add(r, `${s.system}:receiver:${r.receiver}`, r.reachedBy, [r.reachedBy]);
    for (const r of s.routes) add(r, `${s.system}:route:${r.route}`, r.reachedBy, [r.reachedBy]);
    for (const r of s.inhibitRules) add(r, `${s.system}:inhibit_rule:${r.rule + 1}`, r.exercisedBy, [r.exercisedBy]);
  }
  const out: string[] = [];
  for (const file of [...files.keys()].sort()) {
    const items = files.get(file)!.sort((a, b) => a.line - b.line);
    out.push('TN:', `SF:${file}`);
    const names = new Set<string>();
    const functions = items.filter((item) => !names.has(item.name) && names.add(item.name));
    for (const item of functions) out.push(`FN:${item.line},${item.name}`);
    for (const item of functions) out.push(`FNDA:${item.hits},${item.name}`);
    out.push(`FNF:${functions.length}`, `FNH:${functions.filter((item) => item.hits > 0).length}`);
    const lines = [...new Set(items.map((item) => item.line))];
    let branches = 0;
    let taken = 0;
    for (const line of lines) {
      const here = items.filter((item) => item.line === line);
      here.forEach((item, block) =>
        item.branches.forEach((hits, branch) => {
          out.push(`BRDA:${line},${block},${branch},${hits}`);
          branches += 1;
          if (hits > 0) taken += 1;
        }),
      );
    }
    out.push(`BRF:${branches}`, `BRH:${taken}`);
    for (const line of lines) out.push(`DA:${line},${items.filter((item) => item.line === line).reduce((sum, item) => sum + item.hits, 0)}`);
    out.push(`LF:${lines.length}`, `LH:${lines.filter((line) => items.some((item) => item.line === line && item.hits > 0)).length}`, 'end_of_record');
  }
  return out.length ? `${out.join('\n')}\n` : '';
}
