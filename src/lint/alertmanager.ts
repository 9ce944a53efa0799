import { matchesValue, parseMatcher, type RouteMatcher } from '../model/matcher.js';
import type { AlertmanagerModel } from '../model/project-model.js';
import { pointerUnder } from '../model/pointer.js';

export { parseMatcher, type RouteMatcher };

interface RouteVisit {
  route: Record<string, unknown>;
  at: string;
  depth: number;
  matchers: RouteMatcher[];
}

/** More routes than this (an alias bomb) are not walked. */
const MAX_ROUTES = 10_000;

/** The matchers of a route or inhibit-rule part: `match`, `match_re` and `matchers`. */
export function matchersOf(node: Record<string, unknown>, at: string, prefix = ''): RouteMatcher[] {
  const matchers: RouteMatcher[] = [];
  const match = node[`${prefix}match`];
  if (isMap(match)) for (const [label, value] of Object.entries(match)) matchers.push({ label, op: '=', value: String(value), at: pointerUnder(at, `${prefix}match`, label) });
  const matchRe = node[`${prefix}match_re`];
  if (isMap(matchRe)) for (const [label, value] of Object.entries(matchRe)) matchers.push({ label, op: '=~', value: String(value), at: pointerUnder(at, `${prefix}match_re`, label) });
  const list = node[`${prefix}matchers`];
  if (Array.isArray(list)) {
    list.forEach((item, i) => {
      const parsed = typeof item === 'string' ? parseMatcher(item, pointerUnder(at, `${prefix}matchers`, i)) : undefined;
      if (parsed) matchers.push(parsed);
    });
  }
  return matchers;
}

/** Every route of the tree, root first, children in order. */
export function routesOf(config: AlertmanagerModel['config']): RouteVisit[] {
  const visits: RouteVisit[] = [];
  const visit = (route: unknown, at: string, depth: number): void => {
    if (!isMap(route) || visits.length >= MAX_ROUTES) return;
    visits.push({ route, at, depth, matchers: matchersOf(route, at) });
    if (Array.isArray(route.routes)) route.routes.forEach((child, i) => visit(child, pointerUnder(at, 'routes', i), depth + 1));
  };
  visit(config.route, '/route', 0);
  return visits;
}

/** Does a label value satisfy a matcher? undefined when the value is not known. */
export function satisfies(matcher: RouteMatcher, value: string | undefined): boolean | undefined {
  return value === undefined ? undefined : matchesValue(matcher, value);
}

export function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
