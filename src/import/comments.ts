import type { Where } from '../model/source-location.js';

/**
 * The `#` comment lines written directly above a node of a YAML file (no blank line between),
 * as `//` comment texts. `inside` says whether an offset lies in some scalar (a `#` line of a
 * block scalar is text, not a comment); `mon-lint` directives are left out, they become `lint:`.
 */
export function commentsAbove(text: string, where: Where | undefined, inside: (offset: number) => boolean, key?: string): string[] {
  if (!where || 'origin' in where) return [];
  let lineStart = text.lastIndexOf('\n', where.start - 1) + 1;
  // A block scalar's value starts on the line after its key: the comments are above the key.
  if (key !== undefined && !text.slice(lineStart, where.start).includes(key) && lineStart > 0) {
    const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    if (text.slice(previousStart, lineStart).includes(key)) lineStart = previousStart;
  }
  const found: string[] = [];
  while (lineStart > 0) {
    const previousStart = text.lastIndexOf('\n', lineStart - 2) + 1;
    const line = text.slice(previousStart, lineStart - 1);
    const trimmed = line.trim();
    if (!trimmed.startsWith('#') || inside(previousStart + line.indexOf('#'))) break;
    found.unshift(trimmed.replace(/^#+ ?/, '').trimEnd());
    lineStart = previousStart;
  }
  return found.filter((line) => !/^\s*mon-lint\s+disable/.test(line) && !/^-\*-.*-\*-$/.test(line));
}

/** The comment lines a file starts with (its header), before any content. */
export function leadingComments(text: string): string[] {
  const found: string[] = [];
  for (const line of text.replace(/^\uFEFF/, '').split('\n')) {
    const trimmed = line.trim();
    if (trimmed === '' && found.length === 0) continue;
    if (!trimmed.startsWith('#')) break;
    found.push(trimmed.replace(/^#+ ?/, '').trimEnd());
  }
  return found.filter((line) => !/^\s*mon-lint\s+disable/.test(line));
}
