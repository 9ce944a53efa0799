/**
 * Grafana template variables in queries: `$name`, `${name}`, `${name:format}`,
 * `[[name]]`. To parse such a query as PromQL each reference is replaced by a
 * stand-in of the same length — a duration inside `[…]`, a number where a
 * value goes, letters inside a name — so positions in the parsed text are
 * positions in the query as written.
 */

interface VariableUse {
  name: string;
  from: number;
  to: number;
}

const VARIABLE = /\$\{(\w+)(?::[^}]*)?\}|\[\[(\w+)(?::[^\]]*)?\]\]|\$(\w+)/g;

/** Every variable reference in a text, in order. `$1`-style regex groups are not variables. */
export function variableUses(text: string): VariableUse[] {
  const uses: VariableUse[] = [];
  for (const match of text.matchAll(VARIABLE)) {
    const name = match[1] ?? match[2] ?? match[3]!;
    // `$1` is a regex group; `\$SYS` an escaped dollar meant literally.
    if (/^\d/.test(name) || text[match.index - 1] === '\\') continue;
    uses.push({ name, from: match.index, to: match.index + match[0].length });
  }
  return uses;
}

/** Grafana's own variables (`$__rate_interval`, …, and the legacy `$interval`, `$timeFilter`). */
export function isBuiltInVariable(name: string): boolean {
  return name.startsWith('__') || name === 'timeFilter' || name === 'interval';
}

/**
 * `query` with each variable replaced by a stand-in of the same length.
 * `values` are values the dashboard fixes (custom, constant, textbox and
 * interval variables): used when they fit, so `$op on (x)` with `$op = unless` parses.
 */
export function substituteVariables(query: string, values: ReadonlyMap<string, string> = new Map()): string {
  let result = '';
  let last = 0;
  for (const use of variableUses(query)) {
    result += query.slice(last, use.from);
    const length = use.to - use.from;
    const before = query.slice(0, use.from);
    const trimmedBefore = before.replace(/\s+$/, '');
    const after = query.slice(use.to);
    const inString = (before.match(/(?<!\\)"/g)?.length ?? 0) % 2 === 1;
    const known = values.get(use.name);
    let standIn: string;
    // In a label value the variable may stand for anything, `.*` (All) included: a stand-in that matches empty says no more than that.
    if (inString) standIn = `${'.*'.repeat(Math.floor(length / 2))}${length % 2 ? '?' : ''}`;
    else if (/\[[^\]]*$/.test(before) || /offset\s*-?\s*$/.test(trimmedBefore)) standIn = duration(length);
    else if (/\b(by|without|on|ignoring|group_left|group_right)\s*\([^()]*$/.test(before)) standIn = 'x'.repeat(length);
    else if (known !== undefined && known.length <= length && known.trim() !== '' && !/\$/.test(known)) standIn = known.padEnd(length, ' ');
    else if (/[\w:]$/.test(before) || /^\s*[\w:{[]/.test(after)) standIn = 'x'.repeat(length);
    else standIn = '1'.repeat(length);
    result += standIn;
    last = use.to;
  }
  return result + query.slice(last);
}

/** A duration exactly `length` characters long: `5m`, `05m`, `005m`, … */
function duration(length: number): string {
  return length < 2 ? 'x' : `${'0'.repeat(length - 2)}5m`;
}
