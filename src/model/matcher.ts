import { RE2JS } from 're2js';

/** A matcher of a route or inhibit rule, in any of Alertmanager's spellings. */
export interface RouteMatcher {
  label: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  /** Pointer of the matcher in the config. */
  at: string;
}

// An unquoted value may not hold a double quote: Alertmanager rejects `severity=critical"`.
const MATCHER = /^\s*\{?\s*([a-zA-Z_][a-zA-Z0-9_]*|"[^"]+")\s*(=~|!~|!=|=)\s*("(?:[^"\\]|\\.)*"|[^,}"]*?)\s*\}?\s*$/;

/** Parses the `matchers:` string syntax (`severity=~"critical|warning"`). */
export function parseMatcher(text: string, at: string): RouteMatcher | undefined {
  const match = MATCHER.exec(text);
  if (!match) return undefined;
  const value = match[3]!.startsWith('"') ? unescapeValue(match[3]!.slice(1, -1)) : match[3]!.trim();
  return { label: match[1]!.replace(/^"|"$/g, ''), op: match[2] as RouteMatcher['op'], value, at };
}

/** Alertmanager's unescaping of a quoted value: `\n`, `\"` and `\\`; any other backslash stays literal. */
function unescapeValue(raw: string): string {
  return raw.replace(/\\(.)/gs, (escape, ch: string) => (ch === 'n' ? '\n' : ch === '"' || ch === '\\' ? ch : escape));
}

const regexProblems = new Map<string, string | undefined>();

/**
 * Why a regex does not compile in Go's RE2, anchored as Prometheus and Alertmanager anchor it
 * (re2js ports RE2's parser, so `a(?=b)`, `\\1` or `a{2,1}` fail here as they fail to load).
 * Memoised: PromQL parsing asks for every matcher of every expression.
 */
export function regexProblem(value: string): string | undefined {
  if (!regexProblems.has(value)) {
    let problem: string | undefined;
    try {
      RE2JS.compile(`^(?:${value})$`);
    } catch (caught) {
      problem = caught instanceof Error ? caught.message : String(caught);
    }
    regexProblems.set(value, problem);
  }
  return regexProblems.get(value);
}

/** Why Alertmanager refuses a `matchers:` string, or undefined when it loads. */
export function matcherProblem(text: string): string | undefined {
  const parsed = parseMatcher(text, '');
  if (!parsed) return `matcher \`${text}\` is not label="value", label!="value", label=~"regex" or label!~"regex"`;
  const regex = parsed.op === '=~' || parsed.op === '!~' ? regexProblem(parsed.value) : undefined;
  return regex && `matcher \`${text}\`: ${regex}`;
}

/**
 * Whether a label value satisfies a matcher (PromQL's and Alertmanager's alike: regexes are
 * anchored); undefined when the regex does not compile.
 */
export function matchesValue(matcher: { op: '=' | '!=' | '=~' | '!~'; value: string }, value: string): boolean | undefined {
  if (matcher.op === '=' || matcher.op === '!=') return (value === matcher.value) === (matcher.op === '=');
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${matcher.value})$`);
  } catch {
    return undefined;
  }
  return regex.test(value) === (matcher.op === '=~');
}
