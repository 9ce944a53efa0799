/**
 * Characters from input files that a terminal or log viewer would act on rather than show: C0 and C1
 * controls (ESC starts colour and cursor sequences, CR overwrites a line), DEL, line and paragraph
 * separators, and bidirectional overrides (text that reads differently than it is).
 */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
const UNSAFE_OR_TAB = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\t\n]/g;

/** `\x1b` for ESC, `\u202e` for a bidi override: visible, and never interpreted. Tabs and newlines stay. */
export function escapeControls(text: string): string {
  return text.replace(UNSAFE, visible);
}

/** Like `escapeControls`, also for tabs and newlines (a value that must stay on one line). */
export function escapeControlsInLine(text: string): string {
  return text.replace(UNSAFE_OR_TAB, visible);
}

/** For JSON text: the unsafe characters JSON.stringify leaves raw, as `\uXXXX` escapes (still the same JSON value). */
export function escapeJsonControls(json: string): string {
  return json.replace(UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

function visible(c: string): string {
  const code = c.charCodeAt(0);
  if (c === '\t') return '\\t';
  if (c === '\n') return '\\n';
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}
