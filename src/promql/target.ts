import { parser as logqlParser } from '@grafana/lezer-logql';
import { parser as promqlParser } from '@prometheus-io/lezer-promql';
import { durationProblem } from '../model/duration.js';
import { walk } from './ast.js';
import { lezerPieces, parsePromql } from './parse.js';
import { functionUnavailable, versionAtLeast } from './versions.js';

/** What a PromQL expression needs from the Prometheus it runs in, when that Prometheus lacks it. */
interface TargetFault {
  message: string;
  /** Offsets into the expression text. */
  from: number;
  to: number;
}

interface PromqlTarget {
  version: string;
  features: readonly string[];
}

/**
 * The syntax and functions of an expression that the target Prometheus version (and
 * its feature flags) cannot parse: newer or experimental functions, quoted UTF-8 names,
 * numbers as durations, duration arithmetic, `anchored`/`smoothed`, `fill()`, and
 * durations beyond Prometheus' range. Syntax errors are `promql/syntax`'s, not reported here.
 */
export function promqlTargetFaults(expr: string, target: PromqlTarget): readonly TargetFault[] {
  // Memoised by text and target, as parsePromql is: an editor lints the same expressions at every edit.
  const key = `${target.version}\0${target.features.join(',')}\0${expr}`;
  let faults = faultCache.get(key);
  if (!faults) {
    faults = targetFaultsUncached(expr, target);
    if (faultCache.size > 200_000) faultCache.clear();
    faultCache.set(key, faults);
  }
  return faults;
}

const faultCache = new Map<string, readonly TargetFault[]>();

function targetFaultsUncached(expr: string, target: PromqlTarget): TargetFault[] {
  const faults: TargetFault[] = [];
  const { version, features } = target;
  const needs = (from: number, to: number, what: string, since: [number, number], flag?: string, alwaysOnFrom?: [number, number]): void => {
    const on = alwaysOnFrom && versionAtLeast(version, ...alwaysOnFrom);
    if (!versionAtLeast(version, ...since)) {
      faults.push({ message: `${what} needs Prometheus ${since.join('.')} or later${flag ? ` (with \`${flag}\` in prometheus.features)` : ''}`, from, to });
    } else if (flag && !on && !features.includes(flag)) {
      faults.push({ message: `${what} is experimental: it needs \`${flag}\` in prometheus.features (the server's --enable-feature)`, from, to });
    }
  };
  const text = (from: number, to: number): string => expr.slice(from, to);
  // Functions and aggregations as moncode's parser reads them (it knows names the grammar has dropped, like holt_winters).
  const parsed = parsePromql(expr).expr;
  if (parsed) {
    walk(parsed, (node) => {
      const named = node.kind === 'call' ? { name: node.func, range: node.funcRange } : node.kind === 'aggregate' ? { name: node.op, range: node.opRange } : undefined;
      const problem = named && functionUnavailable(named.name, version, features);
      if (problem) faults.push({ message: problem, from: named.range.from, to: named.range.to });
      // Go 1.22 added `(?<name>…)` groups; Prometheus 2.x releases were built with older Go, where only `(?P<name>…)` parses.
      if (node.kind === 'vector' && !versionAtLeast(version, 3, 0)) {
        for (const m of node.matchers) {
          if ((m.op === '=~' || m.op === '!~') && /\(\?<[A-Za-z_]/.test(m.value)) {
            faults.push({ message: 'a `(?<name>…)` group in a regex needs Prometheus 3.0 or later; write `(?P<name>…)`', from: m.from, to: m.to });
          }
        }
      }
    });
  }
  // Piece by piece, so that a chain of 20,000 operators does not build a tree deeper than lezer can (positions stay the expression's).
  for (const piece of lezerPieces(expr)) {
    const at = piece.offset;
    let tree: ReturnType<typeof promqlParser.parse>;
    try {
      tree = promqlParser.parse(piece.text);
    } catch (caught) {
      // Nesting too deep for lezer's tree: parsePromql reports it ("nested too deeply").
      if (caught instanceof RangeError) continue;
      throw caught;
    }
    tree.iterate({
      enter(node) {
        switch (node.name) {
          case 'QuotedLabelName':
            needs(node.from + at, node.to + at, 'a quoted (UTF-8) metric or label name', [3, 0]);
            return false;
          case 'AnchoredExpr':
          case 'SmoothedExpr': {
            const modifier = node.node.lastChild;
            if (modifier) needs(modifier.from + at, modifier.to + at, `the \`${text(modifier.from + at, modifier.to + at)}\` range modifier`, [3, 7], 'promql-extended-range-selectors');
            return true;
          }
          case 'FillModifier':
            needs(node.from + at, node.to + at, 'a `fill()` binary-operator modifier', [3, 10], 'promql-binop-fill-modifiers');
            return false;
          case 'DurationExpr':
          case 'OffsetDurationExpr': {
            const literal = simpleDuration(node.node);
            if (!literal) {
              needs(node.from + at, node.to + at, 'a duration expression', [3, 4], 'promql-duration-expr', [3, 14]);
              return false;
            }
            const value = text(literal.from + at, literal.to + at);
            if (/^[0-9]/.test(value) && !/[a-z]$/i.test(value)) needs(literal.from + at, literal.to + at, 'a duration written as a number of seconds', [2, 54]);
            else {
              const problem = durationProblem(value);
              if (problem === 'range') faults.push({ message: `duration ${value} is out of Prometheus' range (at most 292y)`, from: literal.from + at, to: literal.to + at });
            }
            return false;
          }
          default:
            return true;
        }
      },
    });
  }
  return faults;
}

type SyntaxNode = ReturnType<ReturnType<typeof promqlParser.parse>['resolve']>;

/** The literal of a plain duration (`5m`, `300`, `-5m` in an offset); undefined for arithmetic, `step()`, … */
function simpleDuration(node: SyntaxNode): SyntaxNode | undefined {
  const first = node.firstChild;
  if (!first) return undefined;
  if (first.name === 'NumberDurationLiteralInDurationContext' && !first.nextSibling) return first;
  // A negative offset (`offset -5m`) is plain syntax since Prometheus 2.33.
  if (node.name === 'OffsetDurationExpr' && first.name === 'UnaryOp' && first.nextSibling?.name === 'OffsetDurationExpr' && !first.nextSibling.nextSibling) {
    return simpleDuration(first.nextSibling);
  }
  return undefined;
}

/** Where LogQL text first fails to parse, or undefined when it parses. */
export function logqlFault(expr: string): TargetFault | undefined {
  let fault: TargetFault | undefined;
  logqlParser.parse(expr).iterate({
    enter(node) {
      if (fault) return false;
      if (node.type.isError) fault = { message: 'not LogQL', from: node.from, to: Math.max(node.to, node.from + 1) };
      return true;
    },
  });
  return fault;
}
