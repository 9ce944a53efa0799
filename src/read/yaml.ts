import * as jsyaml from 'js-yaml';
import type { Span } from '../model/source-location.js';
import { pointerSegments } from '../model/pointer.js';

/**
 * YAML documents with the source span of every node. Values come from
 * js-yaml's constructor (merge keys `<<:` resolved as Prometheus resolves
 * them); spans come from the same event stream, following anchors, aliases and
 * merges, so a merged rule points at the lines it was written on.
 */

export interface PositionNode {
  kind: 'map' | 'seq' | 'scalar';
  start: number;
  end: number;
  /** Where the key of this node (in its parent map) was written. */
  keyStart?: number;
  keyEnd?: number;
  entries?: Map<string, PositionNode>;
  items?: PositionNode[];
  /** Scalar style: plain, single-quoted, double-quoted, literal or folded block. */
  style?: number;
}

export interface YamlDocument {
  value: unknown;
  /** Source spans, built on first use (most files need none: they are only read when a problem is reported). */
  readonly root: PositionNode | undefined;
}

export class YamlInputError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** An alias-heavy document expanding past this many nodes is refused (a "billion laughs" file). */
const MAX_EXPANDED_NODES = 2_000_000;

const SCHEMA = jsyaml.CORE_SCHEMA.withTags(jsyaml.mergeTag);
const E = jsyaml.EVENT_ID;

export function parseYaml(text: string, file: string): YamlDocument[] {
  let events: jsyaml.Event[];
  let values: unknown[];
  try {
    events = jsyaml.parseEvents(text, { filename: file, maxDepth: 200 });
    refuseRecursiveAliases(events, text);
    values = jsyaml.constructFromEvents(events, { source: text, schema: SCHEMA, filename: file, maxTotalMergeKeys: 100_000 });
  } catch (error) {
    const e = error as { reason?: string; mark?: { position: number }; message: string };
    throw new YamlInputError(e.reason ?? e.message.split('\n')[0]!, e.mark?.position ?? 0);
  }
  let roots: Array<PositionNode | undefined> | undefined;
  const rootsOf = () => (roots ??= positions(events, text));
  // Only aliases can blow a document up; without any there is nothing to measure.
  if (events.some((event) => event.type === E.ALIAS)) {
    rootsOf().forEach((root) => {
      if (root && expandedSize(root, new Map()) > MAX_EXPANDED_NODES) {
        throw new YamlInputError(`aliases expand this document to more than ${MAX_EXPANDED_NODES.toLocaleString('en')} nodes; refusing it`, root.start);
      }
    });
  }
  return values.map((value, i) => ({
    value,
    get root() {
      return rootsOf()[i];
    },
  }));
}

/** An alias inside the node its anchor names makes a cycle: Prometheus and Alertmanager refuse it, and walking it never ends. */
function refuseRecursiveAliases(events: jsyaml.Event[], text: string): void {
  const open: Array<string | undefined> = [];
  for (const event of events) {
    if (event.type === E.MAPPING || event.type === E.SEQUENCE) open.push(event.anchorStart >= 0 ? text.slice(event.anchorStart, event.anchorEnd) : undefined);
    else if (event.type === E.POP) open.pop();
    else if (event.type === E.ALIAS) {
      const name = text.slice(event.anchorStart, event.anchorEnd);
      if (open.includes(name)) throw Object.assign(new Error(), { reason: `alias *${name} refers to the node that holds it (a cycle)`, mark: { position: event.anchorStart - 1 } });
    }
  }
}

function expandedSize(node: PositionNode, memo: Map<PositionNode, number>): number {
  const known = memo.get(node);
  if (known !== undefined) return known;
  memo.set(node, 1); // a recursive alias counts once
  let size = 1;
  if (node.entries) for (const child of node.entries.values()) size += expandedSize(child, memo);
  if (node.items) for (const child of node.items) size += expandedSize(child, memo);
  memo.set(node, size);
  return size;
}

interface Frame {
  node: PositionNode;
  /** For maps: the key waiting for its value. */
  pendingKey?: { text: string; start: number; end: number };
  merges: PositionNode[];
}

function positions(events: jsyaml.Event[], text: string): Array<PositionNode | undefined> {
  const roots: Array<PositionNode | undefined> = [];
  const anchors = new Map<string, PositionNode>();
  const stack: Frame[] = [];
  let inDocument = false;
  let root: PositionNode | undefined;

  const attach = (node: PositionNode, alias: boolean, keyText?: string): void => {
    const frame = stack[stack.length - 1];
    if (!frame) {
      root = node;
      return;
    }
    const parent = frame.node;
    if (parent.kind === 'seq') {
      parent.items!.push(node);
    } else if (!frame.pendingKey) {
      // This node is a key.
      frame.pendingKey = { text: keyText ?? text.slice(node.start, node.end), start: node.start, end: node.end };
    } else {
      const key = frame.pendingKey;
      frame.pendingKey = undefined;
      if (key.text === '<<' && (node.kind === 'map' || node.kind === 'seq')) {
        if (node.kind === 'map') frame.merges.push(node);
        else frame.merges.push(...node.items!.filter((item) => item.kind === 'map'));
        return;
      }
      const placed = alias ? { ...node, keyStart: key.start, keyEnd: key.end } : Object.assign(node, { keyStart: key.start, keyEnd: key.end });
      parent.entries!.set(key.text, placed);
    }
    if (node.end > parent.end) parent.end = node.end;
  };

  for (const event of events) {
    switch (event.type) {
      case E.DOCUMENT:
        inDocument = true;
        root = undefined;
        break;
      case E.MAPPING:
      case E.SEQUENCE: {
        const node: PositionNode =
          event.type === E.MAPPING ? { kind: 'map', start: event.start, end: event.start + 1, entries: new Map() } : { kind: 'seq', start: event.start, end: event.start + 1, items: [] };
        if (event.anchorStart >= 0) anchors.set(text.slice(event.anchorStart, event.anchorEnd), node);
        attach(node, false);
        stack.push({ node, merges: [] });
        break;
      }
      case E.SCALAR: {
        const frame = stack[stack.length - 1];
        // An empty value (`groups:` with nothing after it) has no text of its own: it sits where its key ends.
        const empty = event.valueStart < 0 ? (frame?.pendingKey?.end ?? frame?.node.end ?? 0) : undefined;
        const node: PositionNode = { kind: 'scalar', start: empty ?? event.valueStart, end: empty ?? event.valueEnd, style: event.style };
        if (event.anchorStart >= 0) anchors.set(text.slice(event.anchorStart, event.anchorEnd), node);
        const isKey = frame?.node.kind === 'map' && !frame.pendingKey;
        attach(node, false, isKey ? jsyaml.getScalarValue(text, event) : undefined);
        break;
      }
      case E.ALIAS: {
        const target = anchors.get(text.slice(event.anchorStart, event.anchorEnd));
        attach(target ?? { kind: 'scalar', start: event.anchorStart - 1, end: event.anchorEnd }, true);
        break;
      }
      case E.POP: {
        const frame = stack.pop();
        if (frame) {
          // Merged keys fill in what the map does not set itself; earlier merge sources win.
          for (const source of frame.merges) {
            for (const [key, child] of source.entries!) if (!frame.node.entries!.has(key)) frame.node.entries!.set(key, child);
          }
          const parent = stack[stack.length - 1];
          if (parent && frame.node.end > parent.node.end) parent.node.end = frame.node.end;
        } else if (inDocument) {
          roots.push(root);
          inDocument = false;
        }
        break;
      }
    }
  }
  return roots;
}

/** The node at a JSON pointer (`/groups/0/rules/3/expr`). */
export function nodeAt(root: PositionNode | undefined, pointer: string): PositionNode | undefined {
  let node = root;
  if (!pointer) return node;
  for (const segment of pointerSegments(pointer)) {
    if (!node) return undefined;
    node = node.kind === 'seq' ? node.items?.[Number(segment)] : node.entries?.get(segment);
  }
  return node;
}

/** A locator over a YAML document: the span of the node at a pointer. */
export function yamlLocator(file: string, root: PositionNode | undefined): (pointer: string) => Span | undefined {
  return (pointer) => {
    const node = nodeAt(root, pointer);
    return node ? { file, start: node.start, end: node.end } : undefined;
  };
}
