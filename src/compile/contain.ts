import { describeValue } from '../model/describe-value.js';
import { INVALID, type Problems } from '../model/diagnostic.js';
import type { LoadedResource } from '../model/project-model.js';
import { whereOf, type Where } from '../model/source-location.js';

/**
 * Definitions can bypass their types (`as any`, JavaScript values, data read at run time): what the
 * types promise is checked here before a resource is compiled. Holes in lists (`rules: [null]`,
 * `panels: [undefined]`) are errors at the list; a resource with one is not compiled.
 */
export function withoutHoles(resources: readonly LoadedResource[], problems: Problems): LoadedResource[] {
  return resources.filter((resource) => {
    let holes = 0;
    const seen = new Set<unknown>();
    const visit = (value: unknown, at: string, depth: number): void => {
      if (typeof value !== 'object' || value === null || depth > 64 || seen.has(value)) return;
      seen.add(value);
      if (!Array.isArray(value)) {
        for (const [key, item] of Object.entries(value)) {
          if (Array.isArray(item)) {
            item.forEach((entry, i) => {
              if (entry !== null && entry !== undefined) return;
              holes++;
              problems.error(
                INVALID,
                `\`${at}${key}[${i}]\` is ${entry === null ? 'null' : 'undefined'}: a list in a definition cannot have empty entries (leave the entry out)`,
                locate(resource, value, key),
                resource.exportPath,
              );
            });
          }
          visit(item, `${at}${key}.`, depth + 1);
        }
        return;
      }
      value.forEach((item, i) => visit(item, `${at.replace(/\.$/, '')}[${i}].`, depth + 1));
    };
    visit(resource.value, '', 0);
    return holes === 0 && wellTyped(resource, problems);
  });
}

/**
 * Compiles one resource; a value of a type compiling does not expect (which the types would have
 * refused) is an error at the resource, not a crash of the build.
 */
export function contained<T>(resource: LoadedResource, problems: Problems, compile: () => T): T | undefined {
  const before = problems.list.length;
  try {
    return compile();
  } catch (error) {
    if (!(error instanceof TypeError || error instanceof RangeError)) throw error;
    problems.error(
      INVALID,
      `\`${resource.exportPath}\` cannot be compiled: one of its fields holds a value of the wrong type (a value cast with \`as any\`, or data read at run time?); the types of moncode's helpers show what each field takes`,
      locate(resource, resource.value),
      resource.exportPath,
    );
    return undefined;
  } finally {
    // A problem the compiler could not place is at least at the resource.
    for (const problem of problems.list.slice(before)) problem.where ??= locate(resource, resource.value);
  }
}

function locate(resource: LoadedResource, owner: unknown, key?: string): Where {
  return whereOf(owner, key) ?? whereOf(resource.value) ?? { file: resource.module, start: 0, end: 0 };
}

type Check = (value: unknown, at: string, report: (at: string, expected: string, got: unknown) => void) => void;

const text =
  (required: boolean): Check =>
  (value, at, report) => {
    if (typeof value === 'string' || (!required && value === undefined)) return;
    report(at, 'text', value);
  };
const record =
  (entry: Check): Check =>
  (value, at, report) => {
    if (value === undefined) return;
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return report(at, 'a mapping', value);
    for (const [key, item] of Object.entries(value)) entry(item, `${at}.${key}`, report);
  };
const list =
  (entry: Check): Check =>
  (value, at, report) => {
    if (value === undefined) return;
    if (!Array.isArray(value)) return report(at, 'a list', value);
    value.forEach((item, i) => entry(item, `${at}[${i}]`, report));
  };
const fields =
  (shape: Record<string, Check>): Check =>
  (value, at, report) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return report(at, 'a mapping', value);
    for (const [key, check] of Object.entries(shape)) check((value as Record<string, unknown>)[key], at ? `${at}.${key}` : key, report);
  };

const labels = record(text(true));
const panel: Check = (value, at, report) => fields({ title: text(false), type: text(false), targets: list(fields({ expr: text(false) })), panels: list(panel) })(value, at, report);

/** The fields compiling and linting read as text, lists or mappings, by resource kind. */
const SHAPES: Partial<Record<LoadedResource['kind'], Check>> = {
  'rule-group': fields({
    name: text(true),
    interval: text(false),
    rules: list(fields({ alert: text(false), record: text(false), expr: text(true), for: text(false), keep_firing_for: text(false), labels, annotations: labels })),
  }),
  dashboard: fields({ title: text(false), uid: text(false), tags: list(text(true)), panels: list(panel) }),
  datasource: fields({ name: text(true), type: text(true), url: text(false), uid: text(false) }),
  alertmanager: fields({
    route: fields({
      receiver: (value, at, report) => (value === undefined || typeof value === 'string' || (typeof value === 'object' && value !== null) ? undefined : report(at, 'a receiver', value)),
    }),
  }),
};

/** Fields of the wrong type, as errors at the field: the resource is not compiled. */
function wellTyped(resource: LoadedResource, problems: Problems): boolean {
  const check = SHAPES[resource.kind];
  if (!check) return true;
  let faults = 0;
  check(resource.value, '', (at, expected, got) => {
    faults++;
    const [owner, key] = ownerOf(resource.value, at);
    problems.error(INVALID, `\`${at || resource.exportPath}\` must be ${expected}, got ${describeValue(got)}`, locate(resource, owner, key), resource.exportPath);
  });
  return faults === 0;
}

/** The object holding the field at `path` (`rules[0].expr`) and the field's name, as far as they exist. */
function ownerOf(root: unknown, at: string): [unknown, string | undefined] {
  const steps = at.match(/[^.[\]]+/g) ?? [];
  let owner: unknown = root;
  for (const step of steps.slice(0, -1)) {
    const next = typeof owner === 'object' && owner !== null ? (owner as Record<string, unknown>)[step] : undefined;
    if (typeof next !== 'object' || next === null) return [owner, undefined];
    owner = next;
  }
  return [owner, steps.at(-1)];
}
