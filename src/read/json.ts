import { createRequire } from 'node:module';
import type { Node, ParseError } from 'jsonc-parser';
import type { Span } from '../model/source-location.js';
import { pointerSegments } from '../model/pointer.js';

const require = createRequire(import.meta.url);
/** jsonc-parser, loaded when a JSON file is read: a lint of YAML files needs none of it. */
const jsonc = (): typeof import('jsonc-parser') => require('jsonc-parser') as typeof import('jsonc-parser');

export interface JsonDocument {
  value: unknown;
  /** The span of the node at a JSON pointer, computed on demand. */
  locate(pointer: string): Span | undefined;
  /** Keys written twice in one object: JSON readers keep the last, so the first is silently lost. */
  duplicateKeys: Array<{ key: string; span: Span; first: Span }>;
}

/** Deeper nesting is refused: no dashboard needs it, and walking it would exhaust the stack. */
const MAX_JSON_DEPTH = 1000;

export class JsonInputError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Parses JSON, keeping the parse tree so any pointer can be located later. */
export function parseJson(text: string, file: string, offsetBase = 0): JsonDocument {
  const tooDeep = depthBeyond(text, MAX_JSON_DEPTH);
  if (tooDeep !== undefined) throw new JsonInputError(`invalid JSON: nested more than ${MAX_JSON_DEPTH.toLocaleString('en')} levels deep`, tooDeep + offsetBase);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    const { parseTree, printParseErrorCode } = jsonc();
    parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    throw new JsonInputError(first ? `invalid JSON: ${describe(printParseErrorCode(first.error))}` : 'invalid JSON', (first?.offset ?? 0) + offsetBase);
  }
  let tree: Node | undefined;
  return {
    value,
    duplicateKeys: duplicateKeys(text, file, offsetBase),
    locate(pointer) {
      const { findNodeAtLocation, parseTree } = jsonc();
      tree ??= parseTree(text, [], { disallowComments: true });
      if (!tree) return undefined;
      const path = pointerSegments(pointer).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
      const node = findNodeAtLocation(tree, path);
      return node ? { file, start: node.offset + offsetBase, end: node.offset + node.length + offsetBase } : undefined;
    },
  };
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}

/** The offset where nesting first goes deeper than `limit`, if it does (strings skipped). */
function depthBeyond(text: string, limit: number): number | undefined {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      for (i++; i < text.length && text.charCodeAt(i) !== 0x22; i++) if (text.charCodeAt(i) === 0x5c /* \ */) i++;
    } else if (c === 0x5b /* [ */ || c === 0x7b /* { */) {
      if (++depth > limit) return i;
    } else if (c === 0x5d /* ] */ || c === 0x7d /* } */) depth--;
  }
  return undefined;
}

function duplicateKeys(text: string, file: string, offsetBase: number): JsonDocument['duplicateKeys'] {
  const found: JsonDocument['duplicateKeys'] = [];
  const objects: Array<Map<string, Span>> = [];
  jsonc().visit(text, {
    onObjectBegin: () => void objects.push(new Map()),
    onObjectEnd: () => void objects.pop(),
    onObjectProperty(key, offset, length) {
      const keys = objects[objects.length - 1];
      if (!keys) return;
      const span = { file, start: offset + offsetBase, end: offset + length + offsetBase };
      const first = keys.get(key);
      if (first) found.push({ key, span, first });
      else keys.set(key, span);
    },
  });
  return found;
}
