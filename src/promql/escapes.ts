/** A string literal whose escapes Prometheus' lexer rejects, with the span of the fault. */
interface EscapeFault {
  message: string;
  from: number;
  to: number;
}

const SIMPLE = new Set(['a', 'b', 'f', 'n', 'r', 't', 'v', '\\']);
const NUMERIC: Record<string, { digits: number; base: number; max: number; skip: number }> = {
  x: { digits: 2, base: 16, max: 0xff, skip: 1 },
  u: { digits: 4, base: 16, max: 0x10ffff, skip: 1 },
  U: { digits: 8, base: 16, max: 0x10ffff, skip: 1 },
};

/** `U+002E '.'`, as Go's %#U prints a character in Prometheus' messages. */
function described(ch: string): string {
  return `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')} '${ch}'`;
}

/**
 * The first escape sequence in a quoted string of `text` that Prometheus' lexer refuses
 * (`"1\.0"`, `"\q"`, `'\x4'`): lezer's grammar accepts any character after a backslash, so
 * without this check such an expression would build clean and fail to load. Backtick strings
 * have no escapes; `#` starts a comment outside strings.
 */
export function firstEscapeFault(text: string): EscapeFault | undefined {
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '#') {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === '`') {
      const end = text.indexOf('`', i + 1);
      i = end < 0 ? text.length : end + 1;
    } else if (ch === '"' || ch === "'") {
      const fault = scanQuoted(text, i);
      if (typeof fault !== 'number') return fault;
      i = fault;
    } else i++;
  }
  return undefined;
}

/** Scans the string opened at `start`; returns the index after it, or the fault. */
function scanQuoted(text: string, start: number): number | EscapeFault {
  const quote = text[start]!;
  let i = start + 1;
  while (i < text.length && text[i] !== quote && text[i] !== '\n') {
    if (text[i] !== '\\') {
      i++;
      continue;
    }
    const escape = i;
    const next = text[i + 1];
    if (next === undefined) return { message: 'escape sequence not terminated', from: escape, to: text.length };
    if (SIMPLE.has(next) || next === quote) {
      i += 2;
      continue;
    }
    const numeric = /[0-7]/.test(next) ? { digits: 3, base: 8, max: 0xff, skip: 0 } : NUMERIC[next];
    if (!numeric) return { message: `unknown escape sequence ${described(next)}`, from: escape, to: escape + 2 };
    let value = 0;
    let at = i + 1 + numeric.skip;
    for (let n = 0; n < numeric.digits; n++, at++) {
      const digit = at < text.length ? parseInt(text[at]!, numeric.base) : NaN;
      if (Number.isNaN(digit)) {
        if (at >= text.length) return { message: 'escape sequence not terminated', from: escape, to: text.length };
        return { message: `illegal character ${described(text[at]!)} in escape sequence`, from: escape, to: at + 1 };
      }
      value = value * numeric.base + digit;
    }
    if (value > numeric.max || (value >= 0xd800 && value < 0xe000)) return { message: 'escape sequence is an invalid Unicode code point', from: escape, to: at };
    i = at;
  }
  return i < text.length && text[i] === quote ? i + 1 : text.length;
}
