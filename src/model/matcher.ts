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
  const value = match[3]!.startsWith('"') ? (JSON.parse(match[3]!) as string) : match[3]!.trim();
  return { label: match[1]!.replace(/^"|"$/g, ''), op: match[2] as RouteMatcher['op'], value, at };
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
