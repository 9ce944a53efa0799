import type { AutoGrid, Panel, Row, Tab, Tabs } from '../../model/panel.js';
import type { Variable } from '../../model/variable.js';

/**
 * A dashboard's layout as written, before Grafana's v1 grid flattens it: what schema v2 keeps
 * (tabs, rows in tabs, section variables). Panels are named by their place in the depth-first
 * order, which is the order the compiler gives them ids in.
 */
export type SectionNode = { kind: 'panels'; panels: number[]; base: number; autoGrid?: AutoGrid } | { kind: 'rows'; rows: SectionRow[] } | { kind: 'tabs'; tabs: SectionTab[] };

export interface SectionRow {
  /** Index of the flat row the v1 form has for it; -1 for the headerless row of the panels above the first row. */
  flat: number;
  hideHeader?: boolean;
  /** Indexes into the flattened section variables. */
  variables: number[];
  content: SectionNode;
}

export interface SectionTab {
  flat: number;
  variables: number[];
  content: SectionNode;
}

/** A problem of the layout's shape, at an object of the definition. */
export interface SectionProblem {
  at: object;
  property?: string;
  message: string;
}

export interface Flattened {
  /** The v1 form: panels and rows, each tab a row of its own (Grafana's v1 grid has neither tabs nor nesting). */
  items: Array<Panel | Row>;
  /** What a flat row stands for: the row or tab written (synthetic rows carry no source location). */
  origins: Map<Row, Row | Tab>;
  layout: SectionNode;
  /** Section variables with their owner, in order. */
  variables: Array<{ owner: Row | Tab; variable: Variable }>;
  /** Every `tabs(…)` and every section with variables: a v1 dashboard has neither. */
  v2Only: Array<{ at: object; property?: string; what: 'tabs' | 'variables' }>;
  problems: SectionProblem[];
}

const isTabs = (item: Panel | Row | Tabs): item is Tabs => item.type === 'tabs';
const isRow = (item: Panel | Row | Tabs): item is Row => item.type === 'row';

/** Flattens a dashboard's panels, rows and tabs into the v1 form and the v2 layout tree. */
export function flattenSections(items: ReadonlyArray<Panel | Row | Tabs>, topAutoGrid: AutoGrid | undefined): Flattened {
  const result: Flattened = { items: [], origins: new Map(), layout: { kind: 'panels', panels: [], base: -1 }, variables: [], v2Only: [], problems: [] };
  let panels = 0;
  let flatRows = 0;

  const sectionVariables = (owner: Row | Tab): number[] => {
    if (!owner.variables?.length) return [];
    result.v2Only.push({ at: owner, property: 'variables', what: 'variables' });
    return owner.variables.map((variable) => result.variables.push({ owner, variable }) - 1);
  };
  const flatRow = (origin: Row | Tab): number => {
    const row: Row = { type: 'row', title: origin.title, panels: [] };
    if (origin.type === 'row' && origin.collapsed !== undefined) row.collapsed = origin.collapsed;
    if (origin.repeat !== undefined) row.repeat = origin.repeat;
    if (origin.autoGrid !== undefined) row.autoGrid = origin.autoGrid;
    if (origin.type === 'row' && origin.extra !== undefined) row.extra = origin.extra;
    result.items.push(row);
    result.origins.set(row, origin);
    return flatRows++;
  };
  const panel = (item: Panel): number => {
    result.items.push(item);
    return panels++;
  };

  const tabsNode = (item: Tabs): SectionNode => {
    result.v2Only.push({ at: item, what: 'tabs' });
    if (item.tabs.length === 0) result.problems.push({ at: item, message: '`tabs()` needs at least one `tab(…)`' });
    return {
      kind: 'tabs',
      tabs: item.tabs.map((tab) => {
        const flat = flatRow(tab);
        const variables = sectionVariables(tab);
        return { flat, variables, content: list(tab.panels, tab.autoGrid, flat) };
      }),
    };
  };

  /** One list of items: panels, rows with the panels after them, or one `tabs(…)`; `base` is the flat row the panels land in. */
  function list(items: ReadonlyArray<Panel | Row | Tabs>, autoGrid: AutoGrid | undefined, base: number): SectionNode {
    const tabs = items.filter(isTabs);
    if (tabs.length > 0 && items.length === 1) return tabsNode(tabs[0]!);
    for (const misplaced of tabs) {
      result.problems.push({ at: misplaced, message: '`tabs(…)` fills the place it stands in: make it the only item of these panels (put the other panels in a `tab(…)` of it)' });
    }
    const plain = items.filter((item): item is Panel | Row => !isTabs(item));
    if (!plain.some(isRow)) return { kind: 'panels', panels: plain.map((item) => panel(item as Panel)), base, autoGrid };
    const rows: SectionRow[] = [];
    let loose: { kind: 'panels'; panels: number[] } | undefined;
    for (const item of plain) {
      if (!isRow(item)) {
        if (rows.length === 0) {
          // Panels above the first row: in v2 a row without a header, as Grafana converts them.
          const content: SectionNode = { kind: 'panels', panels: [], base, autoGrid };
          rows.push({ flat: -1, hideHeader: true, variables: [], content });
          loose = content;
        }
        if (!loose) result.problems.push({ at: item, message: 'a panel after a row of tabs belongs to no row: move it into a row or a tab' });
        else loose.panels.push(panel(item));
        continue;
      }
      const flat = flatRow(item);
      const variables = sectionVariables(item);
      const content = list(item.panels, item.autoGrid, flat);
      rows.push({ flat, variables, content });
      // A loose panel after a row belongs to it, as in Grafana's v1 grid.
      loose = content.kind === 'panels' ? content : undefined;
    }
    return { kind: 'rows', rows };
  }

  result.layout = list(items, topAutoGrid, -1);
  return result;
}
