import type { Diagnostic } from '../model/diagnostic.js';
import type { Span } from '../model/source-location.js';
import { INPUT_INVALID, isMap, kindOf } from './rule-file.js';
import { pointerSegments, pointerUnder } from '../model/pointer.js';

/**
 * What a dashboard's structural fields must be, for the fields the lint rules walk. A field of the
 * wrong type is reported where it is written and taken out of what is linted (a list entry becomes
 * `{}` so the indexes of its neighbours stay those of the file); everything else is linted as usual.
 */
type Shape = 'object' | 'list' | 'text' | 'number' | { list: Fields } | { object: Fields } | { either: Shape[] };
interface Fields {
  [key: string]: Shape;
}

const DATASOURCE: Shape = { either: ['text', 'object'] };
const TARGET: Fields = { datasource: DATASOURCE, expr: 'text', refId: 'text' };
const FIELD_CONFIG: Fields = { defaults: { object: { unit: 'text', thresholds: 'object', custom: 'object', mappings: 'list' } }, overrides: { list: { matcher: 'object', properties: 'list' } } };
const PANEL_FIELDS: Fields = {
  type: 'text',
  title: 'text',
  gridPos: { object: { x: 'number', y: 'number', w: 'number', h: 'number' } },
  targets: { list: TARGET },
  datasource: DATASOURCE,
  fieldConfig: { object: FIELD_CONFIG },
  options: 'object',
  links: { list: {} },
  transformations: { list: {} },
};
const PANEL: Fields = { ...PANEL_FIELDS, panels: { list: PANEL_FIELDS } };
const VARIABLE: Fields = { name: 'text', type: 'text', datasource: DATASOURCE, current: 'object', options: { list: {} } };
const DASHBOARD: Fields = {
  title: 'text',
  uid: 'text',
  panels: { list: PANEL },
  rows: { list: { panels: { list: PANEL }, title: 'text' } },
  templating: { object: { list: { list: VARIABLE } } },
  annotations: { object: { list: { list: { datasource: DATASOURCE } } } },
  links: { list: {} },
  time: 'object',
};

/** Checks (and cleans, in place) a dashboard's structure; returns a problem per misplaced value. */
export function checkDashboardShape(json: Record<string, unknown>, locate: (pointer: string) => Span | undefined, file: string): Diagnostic[] {
  const problems: Diagnostic[] = [];
  const wrong = (pointer: string, expected: string, value: unknown): void => {
    const field = pointerSegments(pointer)
      .map((s) => (/^\d+$/.test(s) ? `[${s}]` : `.${s}`))
      .join('')
      .replace(/^\./, '');
    problems.push({ rule: INPUT_INVALID, severity: 'error', message: `\`${field}\` must be ${expected}, got ${kindOf(value)}; it is ignored`, where: locate(pointer) ?? { file, start: 0, end: 0 } });
  };
  walkFields(json, DASHBOARD, '', wrong);
  return problems;
}

function walkFields(object: Record<string, unknown>, fields: Fields, at: string, wrong: (pointer: string, expected: string, value: unknown) => void): void {
  for (const [key, shape] of Object.entries(fields)) {
    if (!Object.hasOwn(object, key) || object[key] === undefined) continue;
    const pointer = pointerUnder(at, key);
    // `null` means "not set" to Grafana (`"datasource": null` is the default one, `"rows": null` none).
    if (object[key] === null) continue;
    if (!fits(object[key], shape)) {
      wrong(pointer, describe(shape), object[key]);
      delete object[key];
      continue;
    }
    walkValue(object[key], shape, pointer, wrong);
  }
}

function walkValue(value: unknown, shape: Shape, pointer: string, wrong: (pointer: string, expected: string, value: unknown) => void): void {
  if (typeof shape !== 'object') return;
  if ('object' in shape) return walkFields(value as Record<string, unknown>, shape.object, pointer, wrong);
  if ('list' in shape) {
    const list = value as unknown[];
    list.forEach((item, i) => {
      if (!isMap(item)) {
        wrong(pointerUnder(pointer, i), 'an object', item);
        list[i] = {};
        return;
      }
      walkFields(item, shape.list, pointerUnder(pointer, i), wrong);
    });
    return;
  }
  const match = shape.either.find((s) => fits(value, s));
  if (match) walkValue(value, match, pointer, wrong);
}

function fits(value: unknown, shape: Shape): boolean {
  if (shape === 'text') return typeof value === 'string';
  if (shape === 'number') return typeof value === 'number';
  if (shape === 'object') return isMap(value);
  if (shape === 'list') return Array.isArray(value);
  if ('object' in shape) return isMap(value);
  if ('list' in shape) return Array.isArray(value);
  return shape.either.some((s) => fits(value, s));
}

function describe(shape: Shape): string {
  if (shape === 'text') return 'text';
  if (shape === 'number') return 'a number';
  if (shape === 'object' || (typeof shape === 'object' && 'object' in shape)) return 'an object';
  if (shape === 'list' || 'list' in shape) return 'a list';
  return shape.either.map(describe).join(' or ');
}
