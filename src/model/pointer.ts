/**
 * JSON pointers (RFC 6901) into a compiled or read document: `pointer('panels', 3, 'targets', 0)` is
 * `/panels/3/targets/0`. Keys are escaped (`~` → `~0`, `/` → `~1`) so a label or annotation key with a
 * slash still names one segment; the readers' locators decode the same way.
 */
type PointerSegment = string | number;

/** The pointer of `segments` from the document root; no segments is the root (`''`). */
export function pointer(...segments: PointerSegment[]): string {
  let at = '';
  for (const segment of segments) at += `/${escapeSegment(segment)}`;
  return at;
}

/** The pointer of `segments` below the pointer `base`. */
export function pointerUnder(base: string, ...segments: PointerSegment[]): string {
  return base + pointer(...segments);
}

/** The pointer one level up: `/rules/3/expr` → `/rules/3`; the root's parent is the root. */
export function parentPointer(at: string): string {
  const cut = at.lastIndexOf('/');
  return cut <= 0 ? '' : at.slice(0, cut);
}

/** The unescaped segments of a pointer: `/data/a~1b` → `['data', 'a/b']`. */
export function pointerSegments(at: string): string[] {
  return at ? at.slice(1).split('/').map(unescapeSegment) : [];
}

function escapeSegment(segment: PointerSegment): string {
  const text = String(segment);
  // Most segments (indices, field names) have nothing to escape: a compile makes hundreds of thousands.
  if (!text.includes('~') && !text.includes('/')) return text;
  return text.replace(/~/g, '~0').replace(/\//g, '~1');
}

function unescapeSegment(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}
