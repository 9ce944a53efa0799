import { findNodeAtLocation, parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import type { Span } from '../model/source-location.js';

export interface JsonDocument {
  value: unknown;
  /** The span of the node at a JSON pointer, computed on demand. */
  locate(pointer: string): Span | undefined;
}

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
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const errors: ParseError[] = [];
    parseTree(text, errors, { allowTrailingComma: false, disallowComments: true });
    const first = errors[0];
    throw new JsonInputError(first ? `invalid JSON: ${describe(printParseErrorCode(first.error))}` : 'invalid JSON', (first?.offset ?? 0) + offsetBase);
  }
  let tree: Node | undefined;
  return {
    value,
    locate(pointer) {
      tree ??= parseTree(text, [], { disallowComments: true });
      if (!tree) return undefined;
      const path = pointer ? pointer.slice(1).split('/').map((s) => (/^\d+$/.test(s) ? Number(s) : s.replace(/~1/g, '/').replace(/~0/g, '~'))) : [];
      const node = findNodeAtLocation(tree, path);
      return node ? { file, start: node.offset + offsetBase, end: node.offset + node.length + offsetBase } : undefined;
    },
  };
}

function describe(code: string): string {
  return code.replace(/([a-z])([A-Z])/g, '$1 $2').toLowerCase();
}
